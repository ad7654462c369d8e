"""Pydantic types shared by every layer."""

from evaluation.model.analysis import (
    AnalysisResult,
    AxisResult,
    CommitmentFlag,
    DocumentSummary,
    ElementResult,
    Evidence,
    Flag,
    OfferAnalysis,
    SuggestedLevel,
)
from evaluation.model.base import ELEMENT_IDS, ElementId, StrictModel
from evaluation.model.catalogue import AXIS_IDS, Axis, AxisCatalogue, Element, ElementCatalogue
from evaluation.model.consultation import Consultation, OfferDeclaration
from evaluation.model.document import Block, DocumentStatus, ReadDocument
from evaluation.model.grid import (
    AbnormallyLowRule,
    Criterion,
    Grid,
    PriceMethod,
    ScaleLevel,
    Signal,
    SubCriterion,
)
from evaluation.model.loading import load_model, load_yaml
from evaluation.model.ranking import (
    ConsensusLevel,
    CriterionScore,
    EvaluatorLevel,
    OfferRanking,
    PriceScore,
    Ranking,
    SubCriterionScore,
)

__all__ = [
    "AXIS_IDS",
    "ELEMENT_IDS",
    "AbnormallyLowRule",
    "AnalysisResult",
    "Axis",
    "AxisCatalogue",
    "AxisResult",
    "Block",
    "CommitmentFlag",
    "ConsensusLevel",
    "Consultation",
    "Criterion",
    "CriterionScore",
    "DocumentStatus",
    "DocumentSummary",
    "Element",
    "ElementCatalogue",
    "ElementId",
    "ElementResult",
    "EvaluatorLevel",
    "Evidence",
    "Flag",
    "Grid",
    "OfferAnalysis",
    "OfferDeclaration",
    "OfferRanking",
    "PriceMethod",
    "PriceScore",
    "Ranking",
    "ReadDocument",
    "ScaleLevel",
    "Signal",
    "StrictModel",
    "SubCriterion",
    "SubCriterionScore",
    "SuggestedLevel",
    "load_model",
    "load_yaml",
]

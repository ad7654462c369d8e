"""The analysis contract: resultats/analyse.json (keys fixed by DESIGN.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evaluation.model.document import DocumentStatus

__all__ = [
    "AnalysisResult",
    "AxisResult",
    "CommitmentFlag",
    "DocumentSummary",
    "ElementResult",
    "Evidence",
    "Flag",
    "OfferAnalysis",
    "RegulationFinding",
    "SharedPassage",
    "SuggestedLevel",
]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Contract):
    texte: str = Field(description="passage cité, tel qu'il figure dans le document")
    fichier: str
    page: int | None
    paragraphe: int


class DocumentSummary(_Contract):
    fichier: str
    sha256: str
    statut: DocumentStatus
    motif: str | None
    pages: int | None
    mots: int


class ElementResult(_Contract):
    present: bool
    confiance: float = Field(ge=0, le=1)
    preuves: list[Evidence]


class AxisResult(_Contract):
    couvert: bool
    confiance: float = Field(ge=0, le=1)
    mentionne: bool = Field(description="le nom ou les termes de l'axe apparaissent, même sans action")
    preuves: list[Evidence]


class Flag(_Contract):
    valeur: bool
    preuves: list[Evidence]


class CommitmentFlag(_Contract):
    valeur: Literal["ferme", "conditionnel", "vague"]
    preuves: list[Evidence]


class SuggestedLevel(_Contract):
    niveau: int
    explication: str
    preuves: list[Evidence] = Field(default_factory=list)
    nature: Literal["suggestion"] = Field(
        default="suggestion", description="niveau proposé par l'outil : la commission décide")


class SharedPassage(_Contract):
    """A passage nearly identical to one of another offer (common drafting template): both are shown."""

    offre: str = Field(description="l'autre offre")
    similarite: float = Field(ge=0, le=1, description="similarité cosinus TF-IDF des deux passages")
    passage: Evidence = Field(description="le passage de cette offre")
    autre: Evidence = Field(description="le passage de l'autre offre")


class RegulationFinding(_Contract):
    """A legal minimum cited by the offer (grids/reglementation.yaml), dépassé or merely restated."""

    id: str
    libelle: str
    source: str = Field(description="article et texte qui fixent le minimum")
    depassement: bool = Field(description="un engagement de l'offre va au-delà du minimum")
    preuves: list[Evidence]


class OfferAnalysis(_Contract):
    soumissionnaire: str
    a_verifier: bool = Field(description="un document n'a pas pu être lu entièrement : vérifier à la main")
    documents: list[DocumentSummary]
    elements: dict[str, ElementResult]
    axes: dict[str, AxisResult]
    planning_precis: Flag
    depassement_reglementaire: Flag
    conformite_seule: Flag
    engagement: CommitmentFlag
    niveaux_suggeres: dict[str, SuggestedLevel]
    # Additive keys (not in the DESIGN.md contract, which they leave unchanged).
    copies_clause: list[Evidence] = Field(default_factory=list, description="passages recopiés de clause.md")
    passages_communs: list[SharedPassage] = Field(
        default_factory=list, description="passages presque identiques à ceux d'une autre offre")
    reglementation: list[RegulationFinding] = Field(
        default_factory=list, description="minimums légaux cités, dépassés ou seulement rappelés")


class AnalysisResult(_Contract):
    reference: str
    grille: str
    versions: dict[str, str] = Field(description="versions de l'outil, de la grille et du modèle")
    axes_demandes: list[str]
    offres: dict[str, OfferAnalysis]

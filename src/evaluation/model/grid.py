"""Scoring grids: criteria, sub-criteria, weights, scale, analysis signals, price method."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator

from evaluation.model.base import ElementId, Identifier, StrictModel, Text

__all__ = [
    "AbnormallyLowRule",
    "Criterion",
    "Grid",
    "PriceMethod",
    "ScaleLevel",
    "Signal",
    "SubCriterion",
]

HUNDRED = Decimal(100)
Weight = Annotated[Decimal, Field(gt=0, le=100, decimal_places=2, description="poids en points")]

SignalType = Literal[
    "element",  # presence and depth of one of the seven parts
    "axes",  # share of the buyer's axes covered by concrete actions
    "axe",  # one named axis covered by concrete actions
    "planning_precis",  # actions carry checkable dates, deadlines or sequencing
    "depassement_reglementaire",  # commitments beyond a legal minimum
    "engagement",  # firm / conditional / vague commitments
    "aucun",  # scored by the commission only, no suggestion
]


class ScaleLevel(StrictModel):
    niveau: int = Field(ge=0, le=10)
    libelle: Text
    descripteur: Text


class Signal(StrictModel):
    """The analysis signal that suggests a level for a sub-criterion."""

    type: SignalType
    element: ElementId | None = Field(default=None, description="pour type: element")
    axe: Identifier | None = Field(default=None, description="pour type: axe")

    @model_validator(mode="after")
    def _target_iff_type(self) -> Self:
        for kind, value in (("element", self.element), ("axe", self.axe)):
            if self.type == kind and value is None:
                raise ValueError(f"un signal de type « {kind} » doit nommer l'{kind} visé (champ {kind})")
            if self.type != kind and value is not None:
                raise ValueError(f"le champ {kind} n'est permis qu'avec un signal de type « {kind} »")
        return self


class SubCriterion(StrictModel):
    id: Identifier
    libelle: Text
    description: Text | None = None
    poids: Weight
    signal: Signal
    descripteurs: dict[int, Text] = Field(
        default_factory=dict, description="descripteurs propres à ce sous-critère, par niveau"
    )


class AbnormallyLowRule(StrictModel):
    """Named detection rule for abnormally low offers: it flags, never excludes (R2152-3)."""

    regle: Literal["ecart_type", "moyenne_reduite", "estimation"]
    seuil: Decimal = Field(
        default=Decimal("0.8"), gt=0, le=1,
        description="moyenne_reduite / estimation : fraction sous laquelle l'offre est signalée",
    )
    estimation: Decimal | None = Field(default=None, gt=0, description="estimation de l'acheteur (HT)")

    @model_validator(mode="after")
    def _estimation(self) -> Self:
        if self.regle == "estimation" and self.estimation is None:
            raise ValueError("la règle « estimation » exige le montant de l'estimation (champ estimation)")
        return self


PriceMethodName = Literal["proportionnelle", "lineaire", "moyenne"]


class PriceMethod(StrictModel):
    """How the price criterion is scored (DAJ price-scoring sheet) and how abnormally low offers are flagged.

    `proportionnelle`: N = Nmax x Pmin / P; `lineaire`: N = Nmax x (Pmax - P) / (Pmax - Pmin);
    `moyenne`: N = Nmax x (2 x Pmoy - P) / (2 x Pmoy), never below 0 (see evaluation.scoring.price).
    """

    methode: PriceMethodName = Field(description="proportionnelle, lineaire ou moyenne")
    offre_anormalement_basse: AbnormallyLowRule


class Criterion(StrictModel):
    id: Identifier
    libelle: Text
    description: Text | None = None
    poids: Weight
    sous_criteres: list[SubCriterion] = Field(default_factory=list)
    prix: PriceMethod | None = None

    @field_validator("sous_criteres")
    @classmethod
    def _sub_weights(cls, value: list[SubCriterion]) -> list[SubCriterion]:
        if value:
            total = sum((s.poids for s in value), Decimal(0))
            if total != HUNDRED:
                detail = ", ".join(f"{s.id} {s.poids}" for s in value)
                raise ValueError(
                    f"les poids des sous-critères totalisent {total} au lieu de 100 ({detail}) ; "
                    "corrigez-les : ils ne sont jamais renormalisés"
                )
        return value

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if bool(self.sous_criteres) == (self.prix is not None):
            raise ValueError(
                f"le critère « {self.id} » doit avoir soit des sous-critères, soit une méthode de prix (prix)"
            )
        return self


class Grid(StrictModel):
    """A versioned scoring grid. `full_id` (`plan-de-progres-dae.v1`) is what consultations refer to."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
    version: int = Field(ge=1)
    libelle: Text
    description: Text | None = None
    agregation: Literal["moyenne", "mediane"] = Field(
        default="moyenne", description="agrégation des notes des évaluateurs"
    )
    echelle: list[ScaleLevel] = Field(min_length=2)
    criteres: list[Criterion] = Field(min_length=1)

    @property
    def full_id(self) -> str:
        return f"{self.id}.v{self.version}"

    @property
    def max_level(self) -> int:
        return self.echelle[-1].niveau

    @field_validator("echelle")
    @classmethod
    def _scale(cls, value: list[ScaleLevel]) -> list[ScaleLevel]:
        levels = [lv.niveau for lv in value]
        if levels != list(range(len(levels))):
            raise ValueError(
                f"les niveaux de l'échelle doivent se suivre à partir de 0 (trouvé : {levels})"
            )
        return value

    @field_validator("criteres")
    @classmethod
    def _weights(cls, value: list[Criterion]) -> list[Criterion]:
        total = sum((c.poids for c in value), Decimal(0))
        if total != HUNDRED:
            detail = ", ".join(f"{c.id} {c.poids}" for c in value)
            raise ValueError(
                f"les poids des critères totalisent {total} au lieu de 100 ({detail}) ; "
                "corrigez-les : ils ne sont jamais renormalisés"
            )
        if sum(1 for c in value if c.prix is not None) > 1:
            raise ValueError("une grille ne peut avoir qu'un seul critère prix")
        return value

    @model_validator(mode="after")
    def _ids_and_descriptors(self) -> Self:
        ids = [c.id for c in self.criteres] + [s.id for _, s in self.sub_criteria()]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"identifiant(s) utilisé(s) deux fois dans la grille : {', '.join(dupes)}")
        for criterion in self.criteres:
            for sub in criterion.sous_criteres:
                unknown = sorted(set(sub.descripteurs) - {lv.niveau for lv in self.echelle})
                if unknown:
                    raise ValueError(
                        f"sous-critère « {sub.id} » : descripteurs pour des niveaux absents de l'échelle {unknown}"
                    )
        return self

    def sub_criteria(self) -> list[tuple[Criterion, SubCriterion]]:
        return [(c, s) for c in self.criteres for s in c.sous_criteres]

    def price_criterion(self) -> Criterion | None:
        return next((c for c in self.criteres if c.prix is not None), None)

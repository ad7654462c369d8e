"""The scoring contract: resultats/classement.json. Points are decimal strings ("12.50")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ConsensusLevel",
    "CriterionScore",
    "EvaluatorLevel",
    "OfferRanking",
    "PriceScore",
    "Ranking",
    "SubCriterionScore",
]

ScoreSource = Literal["evaluateurs", "consensus", "suggestion"]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvaluatorLevel(_Contract):
    """One commission member's level for a sub-criterion, as imported from their workbook."""

    niveau: int
    justification: str


class ConsensusLevel(_Contract):
    """The level set by the commission lead when evaluators disagree; it replaces the aggregate."""

    niveau: int
    justification: str
    auteur: str


class SubCriterionScore(_Contract):
    libelle: str
    niveau: int | None = Field(
        description="niveau retenu ; None si non noté, ou si l'agrégat des évaluateurs n'est pas un niveau entier "
        "(voir niveau_agrege)"
    )
    points: str
    points_max: str
    source: ScoreSource
    justification: str
    niveau_agrege: str | None = Field(
        default=None, description="moyenne ou médiane exacte des niveaux des évaluateurs (« 2.33 »)"
    )
    evaluateurs: dict[str, EvaluatorLevel] = Field(
        default_factory=dict, description="niveau et justification de chaque évaluateur, toujours visibles"
    )
    desaccord: bool = Field(
        default=False, description="écart d'au moins deux niveaux, ou de 30 % de l'échelle, entre évaluateurs"
    )
    consensus: ConsensusLevel | None = Field(default=None, description="note de consensus du président")


class CriterionScore(_Contract):
    libelle: str
    points: str
    points_max: str
    sous_criteres: dict[str, SubCriterionScore] = Field(default_factory=dict)


class PriceScore(_Contract):
    montant: str | None
    points: str
    points_max: str
    methode: str
    anormalement_bas: bool
    regle: str | None = Field(description="règle de détection qui s'est déclenchée, le cas échéant")
    demande_precisions: str | None = Field(
        default=None,
        description="projet de demande de précisions (article R2152-3) lorsque l'offre est signalée ; "
        "jamais une exclusion automatique",
    )


class OfferRanking(_Contract):
    soumissionnaire: str
    a_verifier: bool
    notes: dict[str, CriterionScore]
    prix: PriceScore | None
    total: str
    rang: int | None = Field(description="rang, ex æquo possibles ; None si l'offre n'est pas classable")


class Ranking(_Contract):
    reference: str
    grille: str
    versions: dict[str, str]
    source_des_notes: ScoreSource
    provisoire: bool = Field(description="des notes manquent ou ne sont que des suggestions de l'outil")
    offres: dict[str, OfferRanking]
    avertissements: list[str]
    sensibilite: dict[str, str]

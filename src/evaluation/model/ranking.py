"""The scoring contract: resultats/classement.json. Points are decimal strings ("12.50")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CriterionScore", "OfferRanking", "PriceScore", "Ranking", "SubCriterionScore"]

ScoreSource = Literal["evaluateurs", "consensus", "suggestion"]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubCriterionScore(_Contract):
    libelle: str
    niveau: int | None = Field(description="niveau retenu ; None si non noté")
    points: str
    points_max: str
    source: ScoreSource
    justification: str


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

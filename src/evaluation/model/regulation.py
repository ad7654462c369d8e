"""Legal minimums a plan de progrès may go beyond (grids/reglementation.yaml).

Each rule names its source (article of a code, law or decree), the date from which it applies, and,
when it fixes a figure, the value and unit against which an offer's commitment is compared. A rule
without a figure (an obligation to do something) still lets the analysis tell "we comply with X" from a
commitment of the bidder's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from evaluation.model.base import Identifier, StrictModel, Terms, Text

__all__ = ["Comparison", "LegalThreshold", "RegulationCatalogue", "RegulationRule", "Unit"]

Unit = Literal["pourcent", "pourcent_reduction", "heures", "kw", "menus_par_semaine"]
#: `au_moins`: a commitment above the value goes beyond; `au_plus`: below it (an applicability threshold).
Comparison = Literal["au_moins", "au_plus"]


class LegalThreshold(StrictModel):
    """One figure of a rule: e.g. at least 50 % of sustainable products, from 1 January 2022."""

    valeur: float = Field(gt=0, description="valeur fixée par le texte")
    unite: Unit = Field(description="unité de la valeur")
    comparaison: Comparison = Field(default="au_moins", description="sens dans lequel une offre va au-delà")
    objet: Text = Field(description="ce que la valeur mesure, en clair")
    applicable_depuis: dt.date = Field(description="date à partir de laquelle la valeur s'applique")


class RegulationRule(StrictModel):
    id: Identifier
    libelle: Text = Field(description="nom usuel du texte (« loi EGAlim », « décret tertiaire »)")
    source: Text = Field(description="article et texte qui fixent l'obligation")
    applicable_depuis: dt.date = Field(description="date d'entrée en vigueur de l'obligation")
    secteurs: list[Text] = Field(default_factory=list, description="achats concernés")
    seuils: list[LegalThreshold] = Field(default_factory=list, description="valeurs chiffrées, s'il y en a")
    termes: Terms = Field(description="expressions qui désignent le texte dans une offre (sans accents ni casse)")
    remarque: Text | None = None


class RegulationCatalogue(StrictModel):
    version: int = Field(ge=1)
    regles: list[RegulationRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for rule in self.regles:
            if rule.id in seen:
                raise ValueError(f"identifiant de règle en double : {rule.id}")
            seen.add(rule.id)
        return self

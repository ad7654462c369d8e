"""The buyer's declaration of a consultation: consultation.yaml."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Self

from pydantic import Field, model_validator

from evaluation.model.base import Identifier, StrictModel, Text
from evaluation.model.catalogue import Axis

__all__ = ["Consultation", "OfferDeclaration"]


class OfferDeclaration(StrictModel):
    soumissionnaire: Text = Field(description="raison sociale du soumissionnaire")
    prix: Decimal | None = Field(default=None, ge=0, decimal_places=2, description="montant de l'offre")


class Consultation(StrictModel):
    reference: Text
    objet: Text
    acheteur: Text
    grille: Text = Field(description="identifiant versionné d'une grille fournie, ou chemin d'un fichier YAML")
    axes: list[Identifier | Axis] = Field(min_length=1, description="axes du catalogue ou axes propres")
    offres: dict[Identifier, OfferDeclaration] = Field(default_factory=dict)
    evaluateurs: list[Text] = Field(default_factory=list)
    prix_exprimes: Literal["HT", "TTC"] = Field(default="HT", description="les prix sont-ils HT ou TTC")

    @model_validator(mode="after")
    def _unique(self) -> Self:
        ids = [a if isinstance(a, str) else a.id for a in self.axes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"axe(s) déclaré(s) deux fois : {', '.join(dupes)}")
        names = [e.casefold() for e in self.evaluateurs]
        if len(set(names)) != len(names):
            raise ValueError("un évaluateur est déclaré deux fois")
        return self

"""The axis catalogue and the seven element definitions, bundled as data under grids/."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from evaluation.model.base import ELEMENT_IDS, ElementId, Identifier, StrictModel, Terms, Text

__all__ = ["AXIS_IDS", "Axis", "AxisCatalogue", "Element", "ElementCatalogue"]

#: Catalogue ids fixed by DESIGN.md.
AXIS_IDS: tuple[str, ...] = (
    "decarbonation",
    "adaptation_climat",
    "preservation_ressources",
    "vivant_biodiversite_sante",
    "emballages_dechets",
    "transport_logistique",
    "ecoconception",
    "economie_circulaire_reemploi",
    "energie",
    "insertion_sociale",
    "conditions_travail_formation",
    "qualite_service",
    "innovation",
    "achats_locaux_durables",
)


class Axis(StrictModel):
    """A progress axis: from the catalogue, or declared by the buyer in consultation.yaml."""

    id: Identifier = Field(description="identifiant stable, minuscules")
    libelle: Text = Field(description="libellé affiché dans les rapports")
    description: Text = Field(description="ce que l'axe recouvre")
    termes: Terms = Field(description="termes et expressions qui signalent l'axe (comparés sur les lemmes)")
    exemples: list[Text] = Field(default_factory=list, description="exemples d'actions concrètes")


class Element(StrictModel):
    """One of the seven parts a plan de progrès details."""

    id: ElementId
    libelle: Text
    description: Text
    termes: Terms
    exemples: list[Text] = Field(default_factory=list)


class AxisCatalogue(StrictModel):
    version: int = Field(ge=1)
    axes: list[Axis]

    @model_validator(mode="after")
    def _ids(self) -> Self:
        ids = [a.id for a in self.axes]
        missing = [i for i in AXIS_IDS if i not in ids]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if missing or dupes:
            raise ValueError(
                "le catalogue des axes doit contenir une fois chacun des identifiants fixés"
                + (f" ; manquants : {', '.join(missing)}" if missing else "")
                + (f" ; en double : {', '.join(dupes)}" if dupes else "")
            )
        return self

    def get(self, axis_id: str) -> Axis | None:
        return next((a for a in self.axes if a.id == axis_id), None)


class ElementCatalogue(StrictModel):
    version: int = Field(ge=1)
    elements: list[Element]

    @model_validator(mode="after")
    def _ids(self) -> Self:
        if tuple(e.id for e in self.elements) != ELEMENT_IDS:
            raise ValueError(f"les sept éléments doivent figurer dans cet ordre : {', '.join(ELEMENT_IDS)}")
        return self

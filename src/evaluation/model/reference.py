"""Reference corrections of the training samples: reference.yaml beside consultation.yaml.

A reference gives, per offer, the level and justification of every sub-criterion of the consultation's
grid, the expected offer-level flags, the expected ranking, and passage-level annotations (parts and
axes) on which the analysis is evaluated. Passages are located by a quoted excerpt, not by paragraph
number, so that they survive a change of reader.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from evaluation.model.base import ElementId, Identifier, StrictModel, Text

__all__ = ["ExpectedFlags", "PassageAnnotation", "Reference", "ReferenceLevel", "ReferenceOffer"]


class ReferenceLevel(StrictModel):
    niveau: int = Field(ge=0, le=10)
    justification: Text


class ExpectedFlags(StrictModel):
    planning_precis: bool
    depassement_reglementaire: bool
    conformite_seule: bool
    engagement: Literal["ferme", "conditionnel", "vague"]


class ReferenceOffer(StrictModel):
    niveaux: dict[Identifier, ReferenceLevel] = Field(description="niveau de référence par sous-critère")
    drapeaux: ExpectedFlags
    points_forts: list[Text] = Field(default_factory=list)
    points_faibles: list[Text] = Field(default_factory=list)


class PassageAnnotation(StrictModel):
    offre: Identifier
    extrait: Text = Field(description="extrait exact (au moins 30 caractères) du passage annoté")
    elements: list[ElementId] = Field(default_factory=list)
    axes: list[Identifier] = Field(default_factory=list)
    piege: Literal["conformite_seule", "negation", "conditionnel", "enumeration", "copie_clause",
                   "report"] | None = Field(default=None, description="piège que le passage illustre")

    @model_validator(mode="after")
    def _long_enough(self) -> Self:
        if len(self.extrait) < 30:
            raise ValueError("l'extrait doit compter au moins 30 caractères pour retrouver le passage sans ambiguïté")
        return self


class Reference(StrictModel):
    grille: Text = Field(description="grille dans laquelle les niveaux sont donnés (celle de la consultation)")
    classement_attendu: list[Identifier] = Field(min_length=2, description="offres, de la meilleure à la moins bonne")
    offres: dict[Identifier, ReferenceOffer]
    annotations: list[PassageAnnotation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if sorted(self.classement_attendu) != sorted(self.offres):
            raise ValueError("classement_attendu doit citer chaque offre de la référence une fois")
        unknown = sorted({a.offre for a in self.annotations} - set(self.offres))
        if unknown:
            raise ValueError(f"annotations sur des offres absentes de la référence : {', '.join(unknown)}")
        return self

"""The labelled passage corpus used to train and test the passage classifier (samples/corpus/*.yaml)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from evaluation.model.base import ElementId, Identifier, StrictModel, Text

__all__ = ["Corpus", "LabelledPassage", "Trap"]

Trap = Literal["conformite_seule", "negation", "conditionnel", "enumeration", "copie_clause", "report", "hors_sujet"]


class LabelledPassage(StrictModel):
    """One passage (1 to 4 sentences, or a planning-table row) and what it really gives."""

    texte: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=1500)]
    elements: list[ElementId] = Field(default_factory=list, description="éléments du plan que le passage donne")
    axes: list[Identifier] = Field(default_factory=list, description="axes couverts par une action concrète")
    piege: Trap | None = Field(default=None, description="piège que le passage illustre (négatif difficile)")


class Corpus(StrictModel):
    secteur: Text
    passages: list[LabelledPassage] = Field(min_length=50)

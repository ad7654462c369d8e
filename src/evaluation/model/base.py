"""Shared pydantic base and field types."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = ["ELEMENT_IDS", "ElementId", "Identifier", "StrictModel", "Text"]


class StrictModel(BaseModel):
    """Frozen model refusing unknown fields: a typo in a config file is an error, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]

ElementId = Literal[
    "objectifs",
    "indicateurs",
    "actions_titulaire",
    "actions_acheteur",
    "moyens",
    "calendrier",
    "partage_gains",
]
#: The seven parts a plan de progrès details (DAE clause), in the clause's order.
ELEMENT_IDS: tuple[ElementId, ...] = (
    "objectifs",
    "indicateurs",
    "actions_titulaire",
    "actions_acheteur",
    "moyens",
    "calendrier",
    "partage_gains",
)

Terms = Annotated[list[Text], Field(min_length=1)]

"""A bidder's document as read by ingest: blocks of text with their provenance, and a status."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Block", "DocumentStatus", "ReadDocument"]

DocumentStatus = Literal["ok", "partiel", "rejete", "sans_texte"]
BlockKind = Literal["paragraphe", "titre", "liste", "tableau"]


class Block(BaseModel):
    """One passage of text: a paragraph, a heading, a list item or a table row."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    texte: str
    page: int | None = Field(default=None, ge=1, description="page, quand le format la connaît")
    paragraphe: int = Field(ge=1, description="rang du bloc dans le document, à partir de 1")
    type: BlockKind = "paragraphe"
    titres: tuple[str, ...] = Field(default=(), description="chemin des titres au-dessus du bloc")
    tableau: int | None = Field(default=None, ge=1, description="pour une ligne de tableau : rang du tableau")
    ligne: int | None = Field(default=None, ge=1, description="pour une ligne de tableau : rang de la ligne")
    cellules: tuple[str, ...] = Field(default=(), description="pour une ligne de tableau : texte de chaque cellule")


class ReadDocument(BaseModel):
    """What a reader produced from one file. A failure is a status, never an exception."""

    model_config = ConfigDict(extra="forbid")

    fichier: str = Field(description="chemin relatif au dossier de la consultation")
    sha256: str
    format: str
    statut: DocumentStatus
    motif: str | None = None
    pages: int | None = None
    blocs: list[Block] = Field(default_factory=list)
    encodage: str | None = None

    @property
    def mots(self) -> int:
        return sum(len(b.texte.split()) for b in self.blocs)

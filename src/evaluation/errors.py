"""One exception tree for the whole toolkit.

`InputError` and its children are problems in what the user or a bidder gave us: the CLI turns them into
a French message and exit code 1. Anything else escaping the library is a defect of the toolkit.
Messages are written in French because they reach the user unchanged.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConsultationError",
    "DocumentError",
    "EvaluationError",
    "GridError",
    "InputError",
    "Problem",
    "StoreError",
]


class EvaluationError(Exception):
    """Base class of every error raised on purpose by the toolkit."""


class Problem:
    """One located problem: file, optional line and field path, what is wrong and how to fix it."""

    __slots__ = ("champ", "conseil", "fichier", "ligne", "raison")

    def __init__(
        self,
        raison: str,
        *,
        fichier: str | Path | None = None,
        ligne: int | None = None,
        champ: str | None = None,
        conseil: str | None = None,
    ) -> None:
        self.raison = raison
        self.fichier = str(fichier) if fichier is not None else None
        self.ligne = ligne
        self.champ = champ
        self.conseil = conseil

    def __str__(self) -> str:
        where = self.fichier or ""
        if where and self.ligne is not None:
            where += f":{self.ligne}"
        parts = []
        if where:
            parts.append(f"{where} :")
        if self.champ:
            parts.append(f"[{self.champ}]")
        parts.append(self.raison)
        text = " ".join(parts)
        if self.conseil:
            text += f" — {self.conseil}"
        return text

    def __repr__(self) -> str:
        return f"Problem({self!s})"


class InputError(EvaluationError):
    """Bad input from the user: wrong grid, unknown folder, malformed file. Exit code 1."""

    def __init__(self, problems: Problem | list[Problem] | str, **kwargs: object) -> None:
        if isinstance(problems, str):
            problems = Problem(problems, **kwargs)  # type: ignore[arg-type]
        self.problems: list[Problem] = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class GridError(InputError):
    """A scoring grid (or a catalogue under grids/) is invalid."""


class ConsultationError(InputError):
    """A consultation folder or its consultation.yaml is invalid."""


class DocumentError(InputError):
    """A bidder's document cannot be read. Readers raise it; the ingest layer turns it into a status."""


class StoreError(InputError):
    """The consultation store (consultation.db) is unusable or was altered outside the tool."""

"""Text folding shared by the lexicon and the pattern detectors."""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "quote"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " "})


def fold(text: str) -> str:
    """Lower-case, strip accents, normalise apostrophes and non-breaking spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def quote(text: str, limit: int = 400) -> str:
    """The passage as quoted in evidence: whole if short, else its beginning up to a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " […]"

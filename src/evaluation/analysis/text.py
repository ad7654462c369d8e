"""Text folding shared by the lexicon and the pattern detectors."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "quote", "shingles"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " "})


def _strip(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


#: Accented Latin letters mapped once to their base letters: folding is then one `translate` for the
#: text of a mémoire; the rare other characters go through Unicode decomposition.
_LATIN = str.maketrans({chr(code): _strip(chr(code)) for code in range(0xC0, 0x250)
                        if _strip(chr(code)) != chr(code)})


def fold(text: str) -> str:
    """Lower-case, strip accents, normalise apostrophes and non-breaking spaces."""
    folded = text.translate(_APOSTROPHES).casefold().translate(_LATIN)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def quote(text: str, limit: int = 400) -> str:
    """The passage as quoted in evidence: whole if short, else its beginning up to a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " […]"


def shingles(text: str, size: int = 5) -> frozenset[tuple[str, ...]]:
    """Word n-grams of the folded text, for spotting passages copied from another text."""
    words = re.findall(r"\w+", fold(text))
    return frozenset(tuple(words[i:i + size]) for i in range(len(words) - size + 1))

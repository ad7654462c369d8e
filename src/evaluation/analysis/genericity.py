"""Generic passages: near-identical passages shared by two offers (TF-IDF cosine), both shown.

Two bidders who start from the same drafting template produce paragraphs that differ by a few words
("bâtiment" / "site"). Such a paragraph is not an irregularity in itself, but a commission wants to see
both versions side by side before crediting either offer with it.

The inverse document frequencies come from a fixed background (the bundled corpus of plan de progrès
passages), not from the consultation: the similarity of two offers' passages never changes because a
third offer was added or is unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, diags
from sklearn.feature_extraction.text import HashingVectorizer  # type: ignore[import-untyped]
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

from evaluation.analysis.passages import Passage
from evaluation.analysis.text import fold
from evaluation.settings import data_dir

__all__ = ["MIN_WORDS", "SIMILARITY", "SharedPair", "shared_passages"]

#: Cosine similarity from which two passages count as the same text.
SIMILARITY = 0.8
#: Shorter passages (headings, table cells, set phrases) are alike by nature.
MIN_WORDS = 15
#: Pairs kept per offer, the most similar first.
MAX_PAIRS = 20
_CHUNK = 2_000
_TEXT_LINE = re.compile(r"^\s*-?\s*texte:\s*(.+)$", re.MULTILINE)
_HASHING = HashingVectorizer(ngram_range=(1, 2), n_features=2**20, alternate_sign=False, norm=None,
                             dtype=np.float32)


@cache
def _idf() -> NDArray[np.float32]:
    """Smoothed IDF per hashed feature, from the corpus passages (a term never seen gets the highest)."""
    texts: list[str] = []
    for path in sorted((data_dir("samples") / "corpus").glob("*.yaml")):
        # Only word counts are needed: the `texte:` lines are read directly, ten times faster than a YAML
        # parser in pure Python (quotes and escapes do not change the words).
        texts.extend(fold(m.group(1)) for m in _TEXT_LINE.finditer(path.read_text(encoding="utf-8")))
    counts = _HASHING.transform(texts) if texts else csr_matrix((0, _HASHING.n_features), dtype=np.float32)
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf: NDArray[np.float32] = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
    return idf


def _vectors(texts: list[str]) -> csr_matrix:
    counts = _HASHING.transform(texts)
    counts.data = 1 + np.log(counts.data)  # sublinear term frequency
    return normalize(counts @ diags(_idf()), norm="l2", copy=False).tocsr()


@dataclass(frozen=True)
class SharedPair:
    offer: str
    other: str
    similarity: float
    passage: Passage
    other_passage: Passage


def _eligible(passage: Passage) -> bool:
    return passage.block.type != "titre" and not passage.copied and len(passage.texte.split()) >= MIN_WORDS


def shared_passages(offers: Mapping[str, Sequence[Passage]], *, threshold: float = SIMILARITY,
                    limit: int = MAX_PAIRS) -> dict[str, list[SharedPair]]:
    """For each offer, its passages nearly identical to a passage of another offer, most similar first."""
    names = sorted(offers)
    # Identical texts are compared once: `holders[k]` lists (offer, passage) for the k-th distinct text.
    index: dict[str, int] = {}
    holders: list[list[tuple[str, Passage]]] = []
    for offer in names:
        for passage in offers[offer]:
            if not _eligible(passage):
                continue
            key = fold(passage.texte)
            if key not in index:
                index[key] = len(holders)
                holders.append([])
            if all(owner != offer for owner, _ in holders[index[key]]):  # once per offer
                holders[index[key]].append((offer, passage))
    found: dict[str, list[SharedPair]] = {offer: [] for offer in offers}
    pairs: list[tuple[float, int, int]] = [(1.0, k, k) for k, held in enumerate(holders) if len(held) > 1]
    if len(holders) > 1:
        vectors = _vectors(list(index))
        for start in range(0, len(holders), _CHUNK):
            block = (vectors[start:start + _CHUNK] @ vectors.T).tocoo()
            for row, col, value in zip(block.row, block.col, block.data, strict=True):
                i = start + int(row)
                j = int(col)
                if i < j and value >= threshold:
                    pairs.append((min(round(float(value), 4), 1.0), i, j))
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    full = 0
    for similarity, i, j in pairs:
        for offer, passage in holders[i]:
            for other, other_passage in holders[j]:
                if offer == other:
                    continue
                # An identical text is visited in both orders; a similar pair (i < j) only once.
                directions = [(offer, passage, other, other_passage)]
                if i != j:
                    directions.append((other, other_passage, offer, passage))
                for a, pa, b, pb in directions:
                    if len(found[a]) < limit:
                        found[a].append(SharedPair(a, b, similarity, pa, pb))
                        full += len(found[a]) == limit
        if full >= len(found):
            break
    for pairs_of_offer in found.values():
        pairs_of_offer.sort(key=lambda p: (-p.similarity, p.other))
    return found

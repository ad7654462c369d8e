"""Term matching on lemmas: a term matches when each of its tokens equals a token's lemma or form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Token

from evaluation.analysis.text import fold

__all__ = ["Lexicon", "token_key", "token_keys"]


@lru_cache(maxsize=200_000)
def token_key(text: str, lemma: str) -> frozenset[str]:
    """The folded keys a token can match: its form and its lemma."""
    form = fold(text)
    return frozenset((form, fold(lemma) if lemma else form))


def token_keys(tokens: Iterable[Token]) -> list[frozenset[str]]:
    """For each token, the folded keys it can match: its form and its lemma."""
    return [token_key(token.text, token.lemma_) for token in tokens]


#: Little words too frequent to anchor a term on (folded forms and lemmas).
_FREQUENT = frozenset({"le", "la", "les", "l'", "de", "des", "du", "d'", "a", "au", "aux", "un", "une", "en", "et",
                       "nous", "par", "pour", "sur", "dans", "avec", "son", "sa", "ses", "notre", "nos", "leur",
                       "leurs", "ce", "cette", "ces", "qui", "que", "se", "s'", "ne", "n'", "pas", "plus"})


def _anchor(keys: tuple[frozenset[str], ...]) -> int:
    """Position of the first token of a term that is not a frequent little word (0 when all are)."""
    return next((i for i, k in enumerate(keys) if k.isdisjoint(_FREQUENT)), 0)


@dataclass(frozen=True)
class _Term:
    label: str
    text: str
    keys: tuple[frozenset[str], ...]


class Lexicon:
    """Terms grouped by label (an axis or element id), compiled once with the analysis pipeline."""

    def __init__(self, nlp: Language, terms: Mapping[str, Sequence[str]]) -> None:
        labels = list(terms)
        flat = [(label, term) for label in labels for term in terms[label]]
        self.labels = tuple(labels)
        compiled: list[_Term] = []
        for (label, term), doc in zip(flat, nlp.pipe(t for _, t in flat), strict=True):
            # Punctuation inside a term ("bonus-malus") is kept: the text is tokenised the same way.
            keys = tuple(k for k in token_keys(doc) if any(key.strip() for key in k))
            if keys:
                compiled.append(_Term(label, term, keys))
        # Longest terms first so that a multi-word term is reported rather than one of its words.
        self._terms = sorted(compiled, key=lambda t: (-len(t.keys), t.label, t.text))
        # Terms indexed by every key of one of their tokens, their anchor: the first one that is not a
        # frequent little word ("le calendrier" is tried where "calendrier" occurs, not at every "le").
        self._anchor = [_anchor(t.keys) for t in self._terms]
        self._by_anchor: dict[str, list[int]] = {}
        for rank, compiled_term in enumerate(self._terms):
            for key in compiled_term.keys[self._anchor[rank]]:
                self._by_anchor.setdefault(key, []).append(rank)
        # The terms a token can anchor, by its keys: token keys are shared objects, so this is one lookup.
        self._starts: dict[frozenset[str], tuple[int, ...]] = {}

    def _starting(self, token: frozenset[str]) -> tuple[int, ...]:
        """The terms a token not met before can anchor (kept for the next time it is met)."""
        ranks = self._starts[token] = tuple(sorted({r for key in token for r in self._by_anchor.get(key, ())}))
        return ranks

    def match(self, keys: Sequence[frozenset[str]]) -> dict[str, list[str]]:
        """Return, for each label with at least one match in the token keys, the matched terms."""
        hits: set[int] = set()
        size = len(keys)
        starts = self._starts
        for position, token in enumerate(keys):
            ranks = starts.get(token)
            if ranks is None:
                ranks = self._starting(token)
            for rank in ranks:
                if rank in hits:
                    continue
                words = self._terms[rank].keys
                length = len(words)
                if length == 1:
                    hits.add(rank)
                    continue
                begin = position - self._anchor[rank]
                if begin >= 0 and begin + length <= size and all(
                        words[i] & keys[begin + i] for i in range(length) if begin + i != position):
                    hits.add(rank)
        found: dict[str, list[str]] = {}
        for rank in sorted(hits):  # longest terms first, as before
            term = self._terms[rank]
            matched = found.setdefault(term.label, [])
            if term.text not in matched:
                matched.append(term.text)
        return found

    def labels_in(self, matches: dict[str, list[str]], wanted: Iterable[str]) -> list[str]:
        return [label for label in wanted if label in matches]

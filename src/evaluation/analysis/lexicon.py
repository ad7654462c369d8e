"""Term matching on lemmas: a term matches when each of its tokens equals a token's lemma or form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Token

from evaluation.analysis.text import fold

__all__ = ["Lexicon", "token_keys"]

def token_keys(tokens: Iterable[Token]) -> list[frozenset[str]]:
    """For each token, the folded keys it can match: its form and its lemma."""
    keys = []
    for token in tokens:
        form = fold(token.text)
        lemma = fold(token.lemma_) if token.lemma_ else form
        keys.append(frozenset((form, lemma)))
    return keys


@dataclass(frozen=True)
class _Term:
    label: str
    text: str
    keys: tuple[frozenset[str], ...]


class Lexicon:
    """Terms grouped by label (an axis or element id), compiled once with the analysis pipeline."""

    def __init__(self, nlp: Language, terms: dict[str, Sequence[str]]) -> None:
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

    def match(self, keys: Sequence[frozenset[str]]) -> dict[str, list[str]]:
        """Return, for each label with at least one match in the token keys, the matched terms."""
        index: dict[str, list[int]] = {}
        for position, token in enumerate(keys):
            for key in token:
                index.setdefault(key, []).append(position)
        found: dict[str, list[str]] = {}
        for term in self._terms:
            if self._occurs(term.keys, keys, index):
                found.setdefault(term.label, [])
                if term.text not in found[term.label]:
                    found[term.label].append(term.text)
        return found

    @staticmethod
    def _occurs(term: tuple[frozenset[str], ...], keys: Sequence[frozenset[str]],
                index: dict[str, list[int]]) -> bool:
        starts: set[int] = set()
        for key in term[0]:
            starts.update(index.get(key, ()))
        for start in sorted(starts):
            if start + len(term) > len(keys):
                continue
            if all(term[i] & keys[start + i] for i in range(1, len(term))):
                return True
        return False

    def labels_in(self, matches: dict[str, list[str]], wanted: Iterable[str]) -> list[str]:
        return [label for label in wanted if label in matches]

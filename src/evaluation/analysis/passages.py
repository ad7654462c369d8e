"""Passages: the blocks of an offer's documents, annotated once with every detector."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from evaluation.analysis import patterns
from evaluation.analysis.lexicon import Lexicon, token_keys
from evaluation.analysis.text import fold, quote
from evaluation.model import Block, Evidence

__all__ = ["Passage", "annotate"]

#: spaCy refuses texts above its max_length; blocks are cut into pieces well under it.
MAX_CHARS_PER_DOC = 20_000
BATCH_SIZE = 64


@dataclass
class Passage:
    fichier: str
    block: Block
    axes: dict[str, list[str]] = field(default_factory=dict)
    elements: dict[str, list[str]] = field(default_factory=dict)
    heading_elements: tuple[str, ...] = ()
    dated: bool = False
    quantified: bool = False
    regulation: bool = False
    beyond: bool = False
    compliance: bool = False
    firm: bool = False
    conditional: bool = False
    vague: bool = False
    negated: bool = False
    action: bool = False

    @property
    def texte(self) -> str:
        return self.block.texte

    @property
    def is_table_row(self) -> bool:
        return self.block.type == "tableau"

    def evidence(self) -> Evidence:
        return Evidence(texte=quote(self.block.texte), fichier=self.fichier, page=self.block.page,
                        paragraphe=self.block.paragraphe)


def _pieces(text: str) -> Iterator[str]:
    for start in range(0, len(text), MAX_CHARS_PER_DOC):
        yield text[start:start + MAX_CHARS_PER_DOC]


def _has_action_verb(docs: list[Doc]) -> bool:
    for doc in docs:
        for token in doc:
            if token.pos_ not in ("VERB", "AUX"):
                continue
            morph = token.morph
            if "Fut" in morph.get("Tense") or "Cnd" in morph.get("Mood"):
                return True
            if token.pos_ == "VERB" and ("Inf" in morph.get("VerbForm") or "1" in morph.get("Person")):
                return True
    return False


def annotate(
    nlp: Language,
    items: Iterable[tuple[str, Block]],
    axes: Lexicon,
    elements: Lexicon,
    *,
    progress: Callable[[int], None] | None = None,
) -> list[Passage]:
    """Run the pipeline over (file, block) pairs in batches and apply every detector."""
    pairs = list(items)
    texts: list[str] = []
    owner: list[int] = []
    for index, (_, block) in enumerate(pairs):
        for piece in _pieces(block.texte):
            texts.append(piece)
            owner.append(index)
    per_block: list[list[Doc]] = [[] for _ in pairs]
    for position, doc in enumerate(nlp.pipe(texts, batch_size=BATCH_SIZE)):
        per_block[owner[position]].append(doc)
        if progress is not None:
            progress(1)
    heading_cache: dict[str, tuple[str, ...]] = {}
    passages = []
    for (fichier, block), docs in zip(pairs, per_block, strict=True):
        keys = [k for doc in docs for k in token_keys(doc)]
        folded = fold(block.texte)
        passage = Passage(fichier=fichier, block=block)
        passage.axes = axes.match(keys)
        passage.elements = elements.match(keys)
        if block.titres:
            heading = block.titres[-1]
            if heading not in heading_cache:
                heading_cache[heading] = tuple(elements.match(token_keys(nlp(heading))))
            passage.heading_elements = heading_cache[heading]
        passage.dated = bool(patterns.DATE.search(folded))
        passage.quantified = bool(patterns.QUANTITY.search(folded))
        passage.regulation = bool(patterns.REGULATION.search(folded))
        passage.beyond = bool(patterns.BEYOND.search(folded))
        passage.compliance = bool(patterns.COMPLIANCE.search(folded))
        passage.firm = bool(patterns.FIRM.search(folded))
        passage.conditional = bool(patterns.CONDITIONAL.search(folded))
        passage.vague = bool(patterns.VAGUE.search(folded))
        passage.negated = bool(patterns.NEGATION.search(folded))
        passage.action = block.type != "titre" and (
            passage.firm or passage.conditional or passage.is_table_row or _has_action_verb(docs)
        )
        passages.append(passage)
    return passages

"""Passages: the blocks of an offer's documents, annotated once, sentence by sentence.

Negation, deferral, conditions and compliance are read in the sentence where a term occurs, so that
"Nous ne proposons pas de partage des gains" does not count as gain-sharing while the next sentence of
the same paragraph still can.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Token

from evaluation.analysis import patterns
from evaluation.analysis.lexicon import Lexicon, token_keys
from evaluation.analysis.text import fold, quote, shingles
from evaluation.model import Block, Evidence

__all__ = ["ENUMERATION_AXES", "Passage", "Sentence", "annotate"]

#: spaCy refuses texts above its max_length; blocks are cut into pieces well under it.
MAX_CHARS_PER_DOC = 20_000
BATCH_SIZE = 64
#: A sentence naming this many axes at once is an enumeration, not an action on each of them.
ENUMERATION_AXES = 4
#: Share of a passage's word 5-grams found in the buyer's clause above which it is a copy of the clause.
COPY_THRESHOLD = 0.5
_SENTENCE_END = frozenset(".!?;")


@dataclass(frozen=True)
class Sentence:
    axes: frozenset[str]
    elements: frozenset[str]
    dated: bool
    quantified: bool
    regulation: bool
    beyond: bool
    compliance: bool
    firm: bool
    conditional: bool
    vague: bool
    deferred: bool
    negated: bool
    action: bool

    @property
    def asserts(self) -> bool:
        """The sentence states something now, rather than denying or postponing it."""
        return not self.negated and not self.deferred

    @property
    def exceeds_regulation(self) -> bool:
        return (self.beyond and (self.regulation or self.quantified) and self.asserts
                and not self.conditional and not self.vague)

    @property
    def compliance_only(self) -> bool:
        return self.regulation and self.compliance and not self.beyond

    @property
    def concrete(self) -> bool:
        """An action or commitment someone could check, not a wish or a reminder of the rules."""
        return (self.asserts and self.action and not self.compliance_only and (self.firm or not self.vague)
                and len(self.axes) < ENUMERATION_AXES)


@dataclass
class Passage:
    fichier: str
    block: Block
    sentences: list[Sentence] = field(default_factory=list)
    heading_elements: tuple[str, ...] = ()
    copied: bool = False

    @property
    def texte(self) -> str:
        return self.block.texte

    @property
    def is_table_row(self) -> bool:
        return self.block.type == "tableau"

    def _any(self, name: str) -> bool:
        return any(getattr(s, name) for s in self.sentences)

    @property
    def dated(self) -> bool:
        return any(s.dated and s.asserts and not s.compliance_only for s in self.sentences)

    @property
    def quantified(self) -> bool:
        return any(s.quantified and s.asserts for s in self.sentences)

    @property
    def firm(self) -> bool:
        """A firm commitment of the bidder's own, not a promise to obey the rules."""
        return any(s.firm and s.asserts and not s.compliance_only and not s.conditional for s in self.sentences)

    @property
    def conditional(self) -> bool:
        return self._any("conditional")

    @property
    def vague(self) -> bool:
        return self._any("vague")

    @property
    def action(self) -> bool:
        if self.block.type == "titre":
            return False
        # A row of a planning table or a dated list item is an action even without a verb.
        return self.is_table_row or (self.block.type == "liste" and self.dated) or self._any("action")

    @property
    def negated(self) -> bool:
        return bool(self.sentences) and all(s.negated for s in self.sentences)

    def elements(self) -> set[str]:
        """Parts of the plan this passage really gives (terms in asserting sentences, or its heading)."""
        # Restating the rules one obeys is a prerequisite, not a part of a plan de progrès.
        found = {e for s in self.sentences if s.asserts and not s.compliance_only for e in s.elements}
        if any(s.asserts and not s.compliance_only for s in self.sentences):
            found.update(self.heading_elements)
        return found

    def axes_mentioned(self) -> set[str]:
        return {a for s in self.sentences for a in s.axes}

    def axes_concrete(self) -> set[str]:
        concrete = {a for s in self.sentences if s.concrete for a in s.axes}
        if self.is_table_row and not concrete:
            concrete = {a for s in self.sentences if s.asserts and len(s.axes) < ENUMERATION_AXES for a in s.axes}
        return concrete

    def evidence(self) -> Evidence:
        return Evidence(texte=quote(self.block.texte), fichier=self.fichier, page=self.block.page,
                        paragraphe=self.block.paragraphe)


def _pieces(text: str) -> Iterator[str]:
    for start in range(0, len(text), MAX_CHARS_PER_DOC):
        yield text[start:start + MAX_CHARS_PER_DOC]


def _split(docs: Sequence[Doc]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for doc in docs:
        for token in doc:
            current.append(token)
            if token.text in _SENTENCE_END:
                yield current
                current = []
    if current:
        yield current


def _has_action_verb(tokens: Sequence[Token]) -> bool:
    for token in tokens:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        morph = token.morph
        if "Fut" in morph.get("Tense", []) or "Cnd" in morph.get("Mood", []):
            return True
        if token.pos_ == "VERB" and ("Inf" in morph.get("VerbForm", []) or "1" in morph.get("Person", [])):
            return True
    return False


def _sentence(tokens: list[Token], axes: Lexicon, elements: Lexicon) -> Sentence:
    text = fold("".join(t.text_with_ws for t in tokens))
    keys = token_keys(tokens)
    undated = patterns.LEGAL_REFERENCE.sub(" ", text)
    firm = bool(patterns.FIRM.search(text))
    conditional = bool(patterns.CONDITIONAL.search(text))
    return Sentence(
        axes=frozenset(axes.match(keys)),
        elements=frozenset(elements.match(keys)),
        dated=bool(patterns.DATE.search(undated)),
        quantified=bool(patterns.QUANTITY.search(text)),
        regulation=bool(patterns.REGULATION.search(text)),
        beyond=bool(patterns.BEYOND.search(text)),
        compliance=bool(patterns.COMPLIANCE.search(text)),
        firm=firm,
        conditional=conditional,
        vague=bool(patterns.VAGUE.search(text)),
        deferred=bool(patterns.DEFERRED.search(text)),
        negated=bool(patterns.NEGATION.search(text)),
        action=firm or conditional or _has_action_verb(tokens),
    )


def annotate(
    nlp: Language,
    items: Iterable[tuple[str, Block]],
    axes: Lexicon,
    elements: Lexicon,
    *,
    clause: frozenset[tuple[str, ...]] = frozenset(),
    progress: Callable[[int], None] | None = None,
) -> list[Passage]:
    """Run the pipeline over (file, block) pairs in batches and apply every detector.

    `clause` holds the word 5-grams of the buyer's clause: passages mostly made of them are marked
    `copied` and support no signal.
    """
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
        passage = Passage(fichier=fichier, block=block)
        passage.sentences = [_sentence(tokens, axes, elements) for tokens in _split(docs)]
        if block.titres:
            heading = block.titres[-1]
            if heading not in heading_cache:
                heading_cache[heading] = tuple(sorted(elements.match(token_keys(nlp(heading)))))
            passage.heading_elements = heading_cache[heading]
        if clause:
            grams = shingles(block.texte)
            passage.copied = bool(grams) and len(grams & clause) / len(grams) >= COPY_THRESHOLD
        passages.append(passage)
    return passages

"""Passages: the blocks of an offer's documents, annotated once, sentence by sentence.

Negation, deferral, conditions and compliance are read in the sentence where a term occurs, so that
"Nous ne proposons pas de partage des gains" does not count as gain-sharing while the next sentence of
the same paragraph still can.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from spacy.attrs import LEMMA, MORPH, ORTH, POS, SPACY
from spacy.language import Language
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc

from evaluation.analysis import patterns
from evaluation.analysis.lexicon import Lexicon, token_key, token_keys
from evaluation.analysis.quantities import find_quantities
from evaluation.analysis.regulation import RegulationIndex
from evaluation.analysis.temporal import find_times
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
    #: Kinds of the temporal expressions found (see `temporal`), and the ids of the legal rules cited.
    times: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    periodic: bool = False

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
    """A block with its sentences. What is read of the sentences is computed once (`cached_property`):
    the sentences are given at construction and never change afterwards."""

    fichier: str
    block: Block
    sentences: list[Sentence] = field(default_factory=list)
    heading_elements: tuple[str, ...] = ()
    copied: bool = False
    #: Labels (parts and catalogue axes) the passage classifier gives, with their probabilities; None
    #: when no classifier is loaded (rules only).
    labels: frozenset[str] | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def texte(self) -> str:
        return self.block.texte

    @property
    def is_table_row(self) -> bool:
        return self.block.type == "tableau"

    def _any(self, name: str) -> bool:
        return any(getattr(s, name) for s in self.sentences)

    @cached_property
    def dated(self) -> bool:
        return any(s.dated and s.asserts and not s.compliance_only for s in self.sentences)

    @cached_property
    def quantified(self) -> bool:
        return any(s.quantified and s.asserts for s in self.sentences)

    @cached_property
    def firm(self) -> bool:
        """A firm commitment of the bidder's own, not a promise to obey the rules."""
        return any(s.firm and s.asserts and not s.compliance_only and not s.conditional for s in self.sentences)

    @cached_property
    def conditional(self) -> bool:
        return self._any("conditional")

    @cached_property
    def vague(self) -> bool:
        return self._any("vague")

    @cached_property
    def action(self) -> bool:
        if self.block.type == "titre":
            return False
        # A row of a planning table or a dated list item is an action even without a verb.
        return self.is_table_row or (self.block.type == "liste" and self.dated) or self._any("action")

    @cached_property
    def negated(self) -> bool:
        return bool(self.sentences) and all(s.negated for s in self.sentences)

    @cached_property
    def compliance_only(self) -> bool:
        """Every action of the passage is a reminder of the rules the bidder must obey anyway."""
        return any(s.compliance_only for s in self.sentences) and all(
            s.compliance_only or not s.action for s in self.sentences)

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


_ATTRS = [ORTH, LEMMA, POS, MORPH, SPACY]
_VERBS = frozenset({VERB, AUX})


@dataclass
class _Piece:
    """What the detectors read of one sentence: its text, the keys of its tokens, a verb of action."""

    text: list[str] = field(default_factory=list)
    keys: list[frozenset[str]] = field(default_factory=list)
    action: bool = False


class _TokenReader:
    """Reads token attributes from the doc arrays, with caches: no Token object is created per token."""

    def __init__(self, nlp: Language) -> None:
        self.strings = nlp.vocab.strings
        self._text: dict[int, str] = {}
        self._keys: dict[tuple[int, int], frozenset[str]] = {}
        self._action: dict[tuple[int, int], bool] = {}

    def _is_action(self, pos: int, morph: int) -> bool:
        """A verb in the future or conditional, an infinitive, or a first person: something someone will do."""
        found = self._action.get((pos, morph))
        if found is None:
            features = set(self.strings[morph].split("|")) if morph else set()
            found = (pos in _VERBS and bool(features & {"Tense=Fut", "Mood=Cnd"})) or (pos == VERB and bool(
                features & {"VerbForm=Inf", "Person=1"}))
            self._action[(pos, morph)] = found
        return found

    def sentences(self, docs: Sequence[Doc]) -> Iterator[_Piece]:
        current = _Piece()
        for doc in docs:
            for orth, lemma, pos, morph, space in doc.to_array(_ATTRS).tolist():
                text = self._text.get(orth)
                if text is None:
                    text = self._text[orth] = self.strings[orth]
                keys = self._keys.get((orth, lemma))
                if keys is None:
                    keys = self._keys[(orth, lemma)] = token_key(text, self.strings[lemma] if lemma else "")
                current.text.append(text + " " if space else text)
                current.keys.append(keys)
                if not current.action and self._is_action(pos, morph):
                    current.action = True
                if text in _SENTENCE_END:
                    yield current
                    current = _Piece()
        if current.text:
            yield current


def _sentence(piece: _Piece, axes: Lexicon, elements: Lexicon, regulation: RegulationIndex) -> Sentence:
    text = fold("".join(piece.text))
    keys = piece.keys
    times = find_times(text)
    quantities = [q for q in find_quantities(text) if not q.is_duration]
    reading = regulation.read(text, quantities)
    beyond = bool(patterns.BEYOND.search(text)) or reading.beyond
    firm = bool(patterns.FIRM.search(text))
    conditional = bool(patterns.CONDITIONAL.search(text))
    return Sentence(
        axes=frozenset(axes.match(keys)),
        elements=frozenset(elements.match(keys)),
        dated=any(t.checkable for t in times),
        quantified=bool(quantities),
        regulation=bool(reading.rules) or bool(patterns.REGULATION.search(text)),
        beyond=beyond,
        compliance=bool(patterns.COMPLIANCE.search(text)) or (reading.restated and not beyond),
        firm=firm,
        conditional=conditional,
        vague=bool(patterns.VAGUE.search(text)),
        deferred=bool(patterns.DEFERRED.search(text)),
        negated=bool(patterns.NEGATION.search(text)),
        action=firm or conditional or piece.action,
        times=tuple(t.kind for t in times),
        rules=reading.rules,
        periodic=any(t.kind == "periodicite" for t in times),
    )


def annotate(
    nlp: Language,
    items: Iterable[tuple[str, Block]],
    axes: Lexicon,
    elements: Lexicon,
    *,
    clause: frozenset[tuple[str, ...]] = frozenset(),
    regulation: RegulationIndex | None = None,
) -> list[Passage]:
    """Run the pipeline over (file, block) pairs in batches and apply every detector.

    `clause` holds the word 5-grams of the buyer's clause: passages mostly made of them are marked
    `copied` and support no signal.
    """
    pairs = list(items)
    regulation = regulation if regulation is not None else RegulationIndex()
    texts: list[str] = []
    counts: list[int] = []
    for _, block in pairs:
        chunks = list(_pieces(block.texte))
        texts.extend(chunks)
        counts.append(len(chunks))
    docs = iter(nlp.pipe(texts, batch_size=BATCH_SIZE))  # streamed: an offer's docs are never all held
    tokens = _TokenReader(nlp)
    passages: list[Passage] = []
    # The elements a heading names, matched on the tokens of its own block (a heading is read before the
    # blocks under it): no second pass of the pipeline.
    heading_elements: dict[str, tuple[str, ...]] = {}
    for (fichier, block), count in zip(pairs, counts, strict=True):
        pieces = list(tokens.sentences([next(docs) for _ in range(count)]))
        passage = Passage(fichier=fichier, block=block,
                          sentences=[_sentence(piece, axes, elements, regulation) for piece in pieces])
        if block.type == "titre" and block.texte not in heading_elements:
            heading_elements[block.texte] = tuple(sorted(elements.match([k for p in pieces for k in p.keys])))
        if clause:
            grams = shingles(block.texte)
            passage.copied = bool(grams) and len(grams & clause) / len(grams) >= COPY_THRESHOLD
        passages.append(passage)
    # A heading cut by the size limits is not the text of its block: those few go through the pipeline.
    missing = sorted({p.block.titres[-1] for p in passages if p.block.titres} - heading_elements.keys())
    for heading, doc in zip(missing, nlp.pipe(missing, batch_size=BATCH_SIZE), strict=True):
        heading_elements[heading] = tuple(sorted(elements.match(token_keys(doc))))
    for passage in passages:
        if passage.block.titres:
            passage.heading_elements = heading_elements[passage.block.titres[-1]]
    return passages

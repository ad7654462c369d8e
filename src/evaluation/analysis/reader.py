"""The offer reader: what one process needs to turn an offer's files into classified passages.

Built once per process (the pipeline is loaded once, the lexicons and the classifier compiled once),
then applied offer by offer, in the calling process or in the workers of a process pool (`--jobs`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from spacy.language import Language
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from evaluation.analysis.lexicon import Lexicon
from evaluation.analysis.modelfile import LoadedClassifier, load_classifier
from evaluation.analysis.nlp import load_pipeline
from evaluation.analysis.passages import Passage, annotate
from evaluation.analysis.regulation import RegulationIndex
from evaluation.ingest import read_document
from evaluation.model import ReadDocument

__all__ = ["OfferReader", "ReaderSpec", "read_offers"]

#: Passages sent to the classifier at once.
CLASSIFIER_BATCH = 512


@dataclass(frozen=True)
class ReaderSpec:
    """Everything a worker needs to build its own reader: plain, picklable data."""

    pipeline: str
    axis_terms: dict[str, tuple[str, ...]]
    element_terms: dict[str, tuple[str, ...]]
    clause: frozenset[tuple[str, ...]]
    model: Path | None
    root: Path


class OfferReader:
    def __init__(self, spec: ReaderSpec, *, nlp: Language | None = None,
                 classifier: LoadedClassifier | None = None) -> None:
        self.spec = spec
        self.nlp = nlp if nlp is not None else load_pipeline(spec.pipeline)
        self.axes = Lexicon(self.nlp, spec.axis_terms)
        self.elements = Lexicon(self.nlp, spec.element_terms)
        self.regulation = RegulationIndex()
        self.classifier = classifier if classifier is not None else (
            load_classifier(spec.model) if spec.model is not None else None)

    def classify(self, passages: Sequence[Passage]) -> None:
        """Give each passage the classifier's labels (headings and clause copies are left out)."""
        if self.classifier is None:
            return
        todo = [p for p in passages if p.block.type != "titre" and not p.copied]
        for start in range(0, len(todo), CLASSIFIER_BATCH):
            chunk = todo[start:start + CLASSIFIER_BATCH]
            for passage, given in zip(chunk, self.classifier.classifier.labels_of([p.texte for p in chunk]),
                                      strict=True):
                passage.labels = frozenset(given)
                passage.scores = given
        for passage in passages:
            if passage.labels is None:
                passage.labels = frozenset()

    def read(self, files: Sequence[Path]) -> tuple[list[ReadDocument], list[Passage]]:
        """Read an offer's files and annotate every block of the readable ones."""
        docs = [read_document(path, self.spec.root) for path in files]
        readable = [d for d in docs if d.statut in ("ok", "partiel")]
        passages = annotate(self.nlp, ((d.fichier, b) for d in readable for b in d.blocs), self.axes,
                            self.elements, clause=self.spec.clause, regulation=self.regulation)
        self.classify(passages)
        return docs, passages


_WORKER: OfferReader | None = None


def _one_thread() -> None:
    """One BLAS thread per worker: the workers already share the cores between them."""
    threadpool_limits(limits=1)


def _start_worker(spec: ReaderSpec) -> None:
    global _WORKER
    _one_thread()
    _WORKER = OfferReader(spec)


def _read_in_worker(files: Sequence[Path]) -> tuple[list[ReadDocument], list[Passage]]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.read(files)


def read_offers(reader: OfferReader, offers: Sequence[tuple[str, Sequence[Path]]], *, jobs: int = 1,
                progress: Callable[[str, int, int], None] | None = None,
                ) -> dict[str, tuple[list[ReadDocument], list[Passage]]]:
    """Read and annotate every offer, in this process (`jobs` = 1) or in a pool of `jobs` processes."""
    total = len(offers)
    results: dict[str, tuple[list[ReadDocument], list[Passage]]] = {}
    if jobs <= 1 or total <= 1:
        for index, (offer_id, files) in enumerate(offers):
            if progress is not None:
                progress(offer_id, index, total)
            results[offer_id] = reader.read(files)
        return results
    global _WORKER
    if "fork" in get_all_start_methods():
        # The workers inherit this process's reader, pipeline and classifier already loaded: nothing is
        # reloaded and nothing large is pickled.
        _WORKER = reader
        pool = ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=get_context("fork"),
                                   initializer=_one_thread)
    else:  # each fresh interpreter loads the pipeline once
        pool = ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=get_context("spawn"),
                                   initializer=_start_worker, initargs=(reader.spec,))
    with pool:
        futures = [(offer_id, pool.submit(_read_in_worker, list(files))) for offer_id, files in offers]
        for index, (offer_id, future) in enumerate(futures):
            if progress is not None:
                progress(offer_id, index, total)
            results[offer_id] = future.result()
    return results

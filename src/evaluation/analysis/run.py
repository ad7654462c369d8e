"""Analyse a consultation folder: read every document, detect signals, suggest levels, store results."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language

from evaluation.analysis.lexicon import Lexicon
from evaluation.analysis.nlp import load_pipeline, pipeline_version
from evaluation.analysis.passages import Passage, annotate
from evaluation.analysis.signals import compute_signals
from evaluation.analysis.suggest import suggest_levels
from evaluation.analysis.text import shingles
from evaluation.atomic import write_atomic_text
from evaluation.ingest import read_document
from evaluation.model import AnalysisResult, DocumentSummary, OfferAnalysis, ReadDocument
from evaluation.model.folder import ConsultationFolder
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue
from evaluation.settings import TOOL_VERSION
from evaluation.store import Store

__all__ = ["AnalysisRun", "analyse", "analyse_folder", "dump_analysis"]

ANALYSIS_FILE = "analyse.json"
CLAUSE_FILE = "clause.md"


@dataclass(frozen=True)
class AnalysisRun:
    result: AnalysisResult
    documents: dict[str, list[ReadDocument]]
    #: Every annotated passage of each offer, for measuring the analysis against reference annotations.
    passages: dict[str, list[Passage]]


def dump_analysis(result: AnalysisResult) -> str:
    """Stable JSON: same analysis, same bytes."""
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def _summary(doc: ReadDocument) -> DocumentSummary:
    return DocumentSummary(fichier=doc.fichier, sha256=doc.sha256, statut=doc.statut, motif=doc.motif,
                           pages=doc.pages, mots=doc.mots)


def _clause_shingles(folder: ConsultationFolder) -> frozenset[tuple[str, ...]]:
    """Word 5-grams of the buyer's published clause (clause.md), if the folder has one."""
    path = folder.root / CLAUSE_FILE
    if not path.is_file():
        return frozenset()
    clause = read_document(path, folder.root)
    return frozenset().union(*(shingles(b.texte) for b in clause.blocs))


def analyse(
    folder: ConsultationFolder,
    *,
    nlp: Language | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> AnalysisRun:
    """Analyse every offer of `folder` without writing anything.

    A document that cannot be read becomes a status on its offer; the other offers are analysed anyway.
    """
    nlp = nlp if nlp is not None else load_pipeline()
    catalogue_axes = {a.id: a for a in load_axis_catalogue().axes} | {a.id: a for a in folder.axes}
    axis_ids = [a.id for a in folder.axes]
    axis_labels = {axis_id: axis.libelle for axis_id, axis in catalogue_axes.items()}
    axes_lexicon = Lexicon(nlp, {a: catalogue_axes[a].termes for a in sorted(catalogue_axes)})
    elements_lexicon = Lexicon(nlp, {e.id: e.termes for e in load_element_catalogue().elements})
    # The grid may score an axis the buyer did not list (per-axis sub-criteria): analyse those too.
    graded = [s.signal.axe for _, s in folder.grid.sub_criteria() if s.signal.axe]
    analysed_axes = axis_ids + [a for a in graded if a not in axis_ids]

    clause = _clause_shingles(folder)
    documents: dict[str, list[ReadDocument]] = {}
    all_passages: dict[str, list[Passage]] = {}
    offers: dict[str, OfferAnalysis] = {}
    total = len(folder.offers)
    for index, offer in enumerate(folder.offers):
        if progress is not None:
            progress(offer.id, index, total)
        docs = [read_document(path, folder.root) for path in offer.files]
        documents[offer.id] = docs
        readable = [d for d in docs if d.statut in ("ok", "partiel")]
        passages = annotate(nlp, ((d.fichier, b) for d in readable for b in d.blocs),
                            axes_lexicon, elements_lexicon, clause=clause)
        all_passages[offer.id] = passages
        signals = compute_signals(passages, analysed_axes)
        offers[offer.id] = OfferAnalysis(
            soumissionnaire=offer.soumissionnaire,
            a_verifier=not readable or any(d.statut != "ok" for d in docs),
            documents=[_summary(d) for d in docs],
            elements=signals.elements,
            axes=signals.axes,
            planning_precis=signals.planning_precis,
            depassement_reglementaire=signals.depassement_reglementaire,
            conformite_seule=signals.conformite_seule,
            engagement=signals.engagement,
            niveaux_suggeres=suggest_levels(folder.grid, signals, axis_ids, axis_labels),
        )
    if progress is not None:
        progress("", total, total)
    result = AnalysisResult(
        reference=folder.consultation.reference,
        grille=folder.grid.full_id,
        versions={"outil": TOOL_VERSION, "grille": folder.grid.full_id, "modele": pipeline_version(nlp)},
        axes_demandes=axis_ids,
        offres=offers,
    )
    return AnalysisRun(result=result, documents=documents, passages=all_passages)


def analyse_folder(
    folder: ConsultationFolder,
    *,
    nlp: Language | None = None,
    auteur: str = "evaluation",
    progress: Callable[[str, int, int], None] | None = None,
) -> AnalysisRun:
    """Analyse every offer of `folder`, write resultats/analyse.json and record it in the store."""
    run = analyse(folder, nlp=nlp, progress=progress)
    result, documents = run.result, run.documents
    text = dump_analysis(result)
    with Store.open(folder.db_path) as store, store.transaction():
        # One transaction: the store holds this whole analysis or none of it.
        store.sync_offers({o.id: o.soumissionnaire for o in folder.offers}, auteur)
        for offer_id, docs in documents.items():
            # A file that could not even be read has no fingerprint to store; analyse.json still lists it.
            store.record_documents(offer_id, [d for d in docs if d.sha256], auteur)
        store.record_analysis(text, version_outil=TOOL_VERSION, grille=folder.grid.full_id,
                              modele=result.versions["modele"], auteur=auteur)
    write_atomic_text(folder.results_dir / ANALYSIS_FILE, text)
    return run

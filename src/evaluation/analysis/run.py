"""Analyse a consultation folder: read every document, detect signals, suggest levels, store results."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from evaluation.analysis.classifier import LABELS
from evaluation.analysis.genericity import SharedPair, shared_passages
from evaluation.analysis.modelfile import LoadedClassifier, bundled_model_path, load_classifier
from evaluation.analysis.nlp import PIPELINE, load_pipeline, pipeline_version
from evaluation.analysis.passages import Passage
from evaluation.analysis.reader import OfferReader, ReaderSpec, read_offers
from evaluation.analysis.regulation import load_regulation
from evaluation.analysis.signals import MAX_EVIDENCE, compute_signals
from evaluation.analysis.suggest import suggest_levels
from evaluation.analysis.text import shingles
from evaluation.atomic import write_atomic_text
from evaluation.ingest import read_document
from evaluation.model import AnalysisResult, DocumentSummary, OfferAnalysis, ReadDocument
from evaluation.model.analysis import RegulationFinding, SharedPassage
from evaluation.model.folder import ConsultationFolder
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue
from evaluation.settings import TOOL_VERSION
from evaluation.store import Store

__all__ = ["RULES_ONLY", "AnalysisRun", "analyse", "analyse_folder", "dump_analysis"]

ANALYSIS_FILE = "analyse.json"
CLAUSE_FILE = "clause.md"
#: How analyse.json names the model when no trained classifier is available.
RULES_ONLY = "regles-seules"


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


def _pipeline_name(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta['lang']}_{meta['name']}" if meta.get("name") and meta.get("lang") else "blank"


def _shared(pairs: list[SharedPair]) -> list[SharedPassage]:
    return [SharedPassage(offre=pair.other, similarite=pair.similarity, passage=pair.passage.evidence(),
                          autre=pair.other_passage.evidence()) for pair in pairs]


def _regulation_findings(passages: list[Passage]) -> list[RegulationFinding]:
    """Per legal rule cited by the offer: whether an asserted sentence goes beyond it, with the passages."""
    rules = {r.id: r for r in load_regulation().regles}
    cited: dict[str, list[Passage]] = {}
    beyond: set[str] = set()
    for passage in passages:
        if passage.copied:
            continue
        for sentence in passage.sentences:
            for rule in sentence.rules:
                if passage not in cited.setdefault(rule, []):
                    cited[rule].append(passage)
                if sentence.exceeds_regulation:
                    beyond.add(rule)
    return [RegulationFinding(id=rule, libelle=rules[rule].libelle, source=rules[rule].source,
                              depassement=rule in beyond,
                              preuves=[p.evidence() for p in found[:MAX_EVIDENCE]])
            for rule, found in sorted(cited.items())]


def analyse(
    folder: ConsultationFolder,
    *,
    nlp: Language | None = None,
    classifier: LoadedClassifier | None = None,
    model: Path | None = None,
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> AnalysisRun:
    """Analyse every offer of `folder` without writing anything.

    A document that cannot be read becomes a status on its offer; the other offers are analysed anyway.
    `classifier` (or the model file `model`, by default the bundled one) adds the passage classifier to
    the rules; without a model file the analysis runs on rules only and says so in `versions`.
    `jobs` > 1 reads and annotates the offers in that many processes.
    """
    nlp = nlp if nlp is not None else load_pipeline()
    if classifier is None:
        classifier = load_classifier(model if model is not None else bundled_model_path())
    catalogue_axes = {a.id: a for a in load_axis_catalogue().axes} | {a.id: a for a in folder.axes}
    axis_ids = [a.id for a in folder.axes]
    axis_labels = {axis_id: axis.libelle for axis_id, axis in catalogue_axes.items()}
    # The grid may score an axis the buyer did not list (per-axis sub-criteria): analyse those too.
    graded = [s.signal.axe for _, s in folder.grid.sub_criteria() if s.signal.axe]
    analysed_axes = axis_ids + [a for a in graded if a not in axis_ids]
    custom = {a.id for a in folder.axes if a.id not in LABELS}
    known_axes = frozenset() if classifier is None else frozenset(
        str(c) for c in classifier.classifier.classes_ if str(c) in LABELS) - custom

    spec = ReaderSpec(
        pipeline=_pipeline_name(nlp) if nlp.meta.get("name") else PIPELINE,
        axis_terms={a: tuple(catalogue_axes[a].termes) for a in sorted(catalogue_axes)},
        element_terms={e.id: tuple(e.termes) for e in load_element_catalogue().elements},
        clause=_clause_shingles(folder),
        model=classifier.path if classifier is not None else None,
        root=folder.root,
    )
    reader = OfferReader(spec, nlp=nlp, classifier=classifier)
    read = read_offers(reader, [(o.id, o.files) for o in folder.offers], jobs=jobs, progress=progress)
    documents = {offer_id: docs for offer_id, (docs, _) in read.items()}
    all_passages = {offer_id: passages for offer_id, (_, passages) in read.items()}
    shared = shared_passages(all_passages)
    offers: dict[str, OfferAnalysis] = {}
    for offer in folder.offers:
        docs, passages = read[offer.id]
        readable = [d for d in docs if d.statut in ("ok", "partiel")]
        signals = compute_signals(passages, analysed_axes, known_axes)
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
            copies_clause=[p.evidence() for p in passages if p.copied][:MAX_EVIDENCE * 4],
            passages_communs=_shared(shared.get(offer.id, [])),
            reglementation=_regulation_findings(passages),
        )
    if progress is not None:
        progress("", len(folder.offers), len(folder.offers))
    result = AnalysisResult(
        reference=folder.consultation.reference,
        grille=folder.grid.full_id,
        versions={"outil": TOOL_VERSION, "grille": folder.grid.full_id, "pipeline": pipeline_version(nlp),
                  "modele": classifier.version if classifier is not None else RULES_ONLY},
        axes_demandes=axis_ids,
        offres=offers,
    )
    return AnalysisRun(result=result, documents=documents, passages=all_passages)


def analyse_folder(
    folder: ConsultationFolder,
    *,
    nlp: Language | None = None,
    auteur: str = "evaluation",
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> AnalysisRun:
    """Analyse every offer of `folder`, write resultats/analyse.json and record it in the store."""
    run = analyse(folder, nlp=nlp, jobs=jobs, progress=progress)
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

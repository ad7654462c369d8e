"""Produce the ranking and the comparative report of a consultation from its analysis and the store.

`write_ranking` is the one place classement.json is computed and written: by `evaluation rapport` and after
every import of evaluator workbooks or consensus level, so every route gives the same scores.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from evaluation.analysis import ANALYSIS_FILE
from evaluation.atomic import write_atomic_bytes, write_atomic_text
from evaluation.errors import ConsultationError, Problem
from evaluation.model import AnalysisResult, Ranking
from evaluation.model.folder import ConsultationFolder
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import STANDSTILL_DAYS as DEFAULT_STANDSTILL
from evaluation.scoring import compute_ranking, load_commission_scores
from evaluation.store import Store

__all__ = ["DEFAULT_FORMATS", "FORMATS", "RANKING_FILE", "REQUEST_PREFIX", "compute_folder_ranking",
           "load_analysis", "produce_report", "render_reports", "report_context", "write_ranking"]

RANKING_FILE = "classement.json"
FORMATS = ("html", "xlsx", "docx", "pdf")
#: PDF is asked for explicitly: it needs system libraries (Pango) and takes seconds, the others do not.
DEFAULT_FORMATS = ("html", "xlsx", "docx")
REPORT_NAME = "rapport-analyse-offres"
#: resultats/demande-precisions-<offre>.txt: draft request for justification of an abnormally low price.
REQUEST_PREFIX = "demande-precisions-"


def load_analysis(folder: ConsultationFolder) -> AnalysisResult:
    path = folder.results_dir / ANALYSIS_FILE
    if not path.is_file():
        raise ConsultationError(Problem("aucune analyse trouvée", fichier=path,
                                        conseil=f"lancez d'abord : evaluation analyser {folder.root}"))
    try:
        result = AnalysisResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        raise ConsultationError(Problem("analyse illisible ou modifiée à la main", fichier=path,
                                        conseil="relancez : evaluation analyser")) from exc
    if result.grille != folder.grid.full_id:
        raise ConsultationError(Problem(
            f"l'analyse a été faite avec la grille {result.grille}, la consultation déclare {folder.grid.full_id}",
            fichier=path, conseil="relancez : evaluation analyser"))
    return result


def dump_ranking(ranking: Ranking) -> str:
    return json.dumps(ranking.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def compute_folder_ranking(folder: ConsultationFolder, analysis: AnalysisResult) -> Ranking:
    """The ranking with the commission's scores recorded in the store (suggestions where there are none)."""
    with Store.open(folder.db_path) as store:
        scores = load_commission_scores(store)
    return compute_ranking(folder, analysis, scores)


def write_ranking(folder: ConsultationFolder, analysis: AnalysisResult | None = None,
                  ranking: Ranking | None = None) -> Ranking:
    """Compute the ranking (unless given), write resultats/classement.json and the draft requests."""
    analysis = analysis if analysis is not None else load_analysis(folder)
    ranking = ranking if ranking is not None else compute_folder_ranking(folder, analysis)
    write_atomic_text(folder.results_dir / RANKING_FILE, dump_ranking(ranking))
    for offer_id, offer in ranking.offres.items():
        if offer.prix is not None and offer.prix.demande_precisions:
            write_atomic_text(folder.results_dir / f"{REQUEST_PREFIX}{offer_id}.txt", offer.prix.demande_precisions)
    return ranking


def report_context(folder: ConsultationFolder, analysis: AnalysisResult, ranking: Ranking,
                   date: str | None = None) -> ReportContext:
    catalogue = {a.id: a.libelle for a in load_axis_catalogue().axes} | {a.id: a.libelle for a in folder.axes}
    return ReportContext(
        consultation=folder.consultation, grid=folder.grid, analysis=analysis, ranking=ranking,
        axis_labels=catalogue, element_labels={e.id: e.libelle for e in load_element_catalogue().elements},
        date=date,
    )


def render_reports(context: ReportContext, formats: Sequence[str], *,
                   delai_suspension: int = DEFAULT_STANDSTILL) -> dict[str, bytes]:
    """Every file of the requested formats, as bytes keyed by path relative to rapports/.

    Nothing is written here: a format that fails to render (bad classement.json, missing PDF library)
    raises before any file of the report is touched.
    """
    from evaluation.reporting.html import render_html
    from evaluation.reporting.xlsx import render_xlsx

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ConsultationError(Problem(f"format de rapport inconnu « {unknown[0]} »",
                                        conseil="formats disponibles : " + ", ".join(FORMATS)))
    files: dict[str, bytes] = {}
    for fmt in FORMATS:  # a fixed order, whatever the order asked
        if fmt not in formats:
            continue
        if fmt == "html":
            files[f"{REPORT_NAME}.html"] = render_html(context).encode("utf-8")
        elif fmt == "xlsx":
            files[f"{REPORT_NAME}.xlsx"] = render_xlsx(context)
        elif fmt == "docx":
            from evaluation.reporting.word_reports import render_docx

            files.update(render_docx(context, delai_suspension=delai_suspension))
        else:
            from evaluation.reporting.pdf import render_pdf

            files[f"{REPORT_NAME}.pdf"] = render_pdf(context)
    return files


def _remove_stale(reports_dir: Path, files: dict[str, bytes], offer_ids: set[str]) -> None:
    """Letters and requests of a previous run that this run did not write (the winner changed, a price is no
    longer flagged): left in place they would be sent by mistake. Only « <offer id>.docx » files go."""
    from evaluation.reporting.word_reports import LETTERS_DIR, REQUESTS_DIR, file_stem

    stems = {file_stem(o) for o in offer_ids}
    for directory in (LETTERS_DIR, REQUESTS_DIR):
        folder = reports_dir / directory
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.docx")):
            if path.stem in stems and f"{directory}/{path.name}" not in files:
                path.unlink()


def produce_report(folder: ConsultationFolder, *, formats: Sequence[str] = DEFAULT_FORMATS,
                   date: str | None = None, delai_suspension: int = DEFAULT_STANDSTILL) -> list[Path]:
    """Score with the current levels, write classement.json and the reports; return the files written.

    Every requested format is rendered in memory first; files are written (each atomically) only when all
    rendered, so a failure leaves the previous reports as they were.
    """
    analysis = load_analysis(folder)
    ranking = compute_folder_ranking(folder, analysis)
    context = report_context(folder, analysis, ranking, date)
    files = render_reports(context, formats, delai_suspension=delai_suspension)
    write_ranking(folder, analysis, ranking)
    written = [write_atomic_bytes(folder.reports_dir / name, data) for name, data in files.items()]
    if "docx" in formats:
        _remove_stale(folder.reports_dir, files, set(ranking.offres) | set(analysis.offres))
    return written

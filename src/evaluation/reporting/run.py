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
from evaluation.atomic import write_atomic_text
from evaluation.errors import ConsultationError, Problem
from evaluation.model import AnalysisResult, Ranking
from evaluation.model.folder import ConsultationFolder
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue
from evaluation.reporting.context import ReportContext
from evaluation.scoring import compute_ranking, load_commission_scores
from evaluation.store import Store

__all__ = ["FORMATS", "RANKING_FILE", "REQUEST_PREFIX", "compute_folder_ranking", "load_analysis",
           "produce_report", "write_ranking"]

RANKING_FILE = "classement.json"
FORMATS = ("html", "xlsx")
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


def write_ranking(folder: ConsultationFolder, analysis: AnalysisResult | None = None) -> Ranking:
    """Compute the ranking, write resultats/classement.json and the draft requests for justification."""
    analysis = analysis if analysis is not None else load_analysis(folder)
    ranking = compute_folder_ranking(folder, analysis)
    write_atomic_text(folder.results_dir / RANKING_FILE, dump_ranking(ranking))
    for offer_id, offer in ranking.offres.items():
        if offer.prix is not None and offer.prix.demande_precisions:
            write_atomic_text(folder.results_dir / f"{REQUEST_PREFIX}{offer_id}.txt", offer.prix.demande_precisions)
    return ranking


def produce_report(folder: ConsultationFolder, *, formats: Sequence[str] = FORMATS,
                   date: str | None = None) -> list[Path]:
    """Score with the current levels, write classement.json and the reports; return the files written."""
    from evaluation.reporting.html import write_html
    from evaluation.reporting.xlsx import write_xlsx

    analysis = load_analysis(folder)
    ranking = write_ranking(folder, analysis)
    catalogue = {a.id: a.libelle for a in load_axis_catalogue().axes} | {a.id: a.libelle for a in folder.axes}
    context = ReportContext(
        consultation=folder.consultation, grid=folder.grid, analysis=analysis, ranking=ranking,
        axis_labels=catalogue, element_labels={e.id: e.libelle for e in load_element_catalogue().elements},
        date=date,
    )
    written = []
    for fmt in formats:
        target = folder.reports_dir / f"{REPORT_NAME}.{fmt}"
        if fmt == "html":
            write_html(context, target)
        elif fmt == "xlsx":
            write_xlsx(context, target)
        else:
            raise ConsultationError(Problem(f"format de rapport inconnu « {fmt} »",
                                            conseil="formats disponibles : " + ", ".join(FORMATS)))
        written.append(target)
    return written

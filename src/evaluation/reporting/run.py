"""Produce the comparative report of a consultation from its stored analysis."""

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
from evaluation.scoring import rank_from_suggestions

__all__ = ["FORMATS", "RANKING_FILE", "load_analysis", "produce_report"]

RANKING_FILE = "classement.json"
FORMATS = ("html", "xlsx")
REPORT_NAME = "rapport-analyse-offres"


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


def produce_report(folder: ConsultationFolder, *, formats: Sequence[str] = FORMATS,
                   date: str | None = None) -> list[Path]:
    """Score with the current levels, write classement.json and the reports; return the files written."""
    from evaluation.reporting.html import write_html
    from evaluation.reporting.xlsx import write_xlsx

    analysis = load_analysis(folder)
    ranking = rank_from_suggestions(folder, analysis)
    write_atomic_text(folder.results_dir / RANKING_FILE, dump_ranking(ranking))
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

"""Everything a report shows, gathered once so every format renders the same facts."""

from __future__ import annotations

from dataclasses import dataclass

from evaluation.model import AnalysisResult, Consultation, Grid, Ranking

__all__ = ["ReportContext"]


@dataclass(frozen=True)
class ReportContext:
    """Inputs of a report. `date` is printed only when the user passes it (reports stay reproducible)."""

    consultation: Consultation
    grid: Grid
    analysis: AnalysisResult
    ranking: Ranking
    axis_labels: dict[str, str]
    element_labels: dict[str, str]
    date: str | None = None

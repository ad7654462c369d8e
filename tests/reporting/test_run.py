"""`produce_report`: every format rendered before anything is written, stale letters removed."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from evaluation.errors import ConsultationError, InputError, Problem
from evaluation.reporting import ReportContext, run
from evaluation.reporting.pdf import PdfUnavailable


@pytest.fixture
def folder(tmp_path: Path, ctx: ReportContext, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A consultation folder whose analysis, ranking and context are the synthetic ones."""
    state = SimpleNamespace(ctx=ctx, rankings_written=0)
    fake = SimpleNamespace(reports_dir=tmp_path / "rapports", results_dir=tmp_path / "resultats")
    monkeypatch.setattr(run, "load_analysis", lambda _folder: state.ctx.analysis)
    monkeypatch.setattr(run, "compute_folder_ranking", lambda _folder, _analysis: state.ctx.ranking)
    monkeypatch.setattr(run, "report_context", lambda *_args: state.ctx)

    def write_ranking(*_args: Any) -> Any:
        state.rankings_written += 1
        return state.ctx.ranking

    monkeypatch.setattr(run, "write_ranking", write_ranking)
    fake.state = state
    return fake


def names(folder: Any) -> list[str]:
    return sorted(str(p.relative_to(folder.reports_dir)) for p in folder.reports_dir.rglob("*") if p.is_file())


def test_default_formats_write_report_letters_and_requests(folder: Any) -> None:
    written = run.produce_report(folder)
    assert [str(p.relative_to(folder.reports_dir)) for p in written] == [
        "rapport-analyse-offres.html",
        "rapport-analyse-offres.xlsx",
        "rapport-analyse-offres.docx",
        "lettres/beta.docx",
        "lettres/gamma.docx",
        "demandes-precisions/beta.docx",
    ]
    assert names(folder) == sorted(str(p.relative_to(folder.reports_dir)) for p in written)
    assert run.DEFAULT_FORMATS == ("html", "xlsx", "docx")


def test_same_inputs_give_identical_files(folder: Any) -> None:
    run.produce_report(folder)
    first = {n: (folder.reports_dir / n).read_bytes() for n in names(folder)}
    run.produce_report(folder)
    assert {n: (folder.reports_dir / n).read_bytes() for n in names(folder)} == first


def test_failed_render_leaves_every_previous_file_intact(folder: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    run.produce_report(folder)
    before = {n: (folder.reports_dir / n).read_bytes() for n in names(folder)}
    rankings = folder.state.rankings_written

    def no_pango(_ctx: ReportContext) -> bytes:
        raise PdfUnavailable(Problem("rapport PDF impossible : une bibliothèque du système manque"))

    monkeypatch.setattr("evaluation.reporting.pdf.render_pdf", no_pango)
    offers = dict(folder.state.ctx.ranking.offres)
    offers["alpha"] = offers["alpha"].model_copy(update={"rang": 2})  # the next run would change the letters
    folder.state.ctx = dataclasses.replace(
        folder.state.ctx, ranking=folder.state.ctx.ranking.model_copy(update={"offres": offers}))
    with pytest.raises(PdfUnavailable):
        run.produce_report(folder, formats=["html", "xlsx", "docx", "pdf"])
    assert {n: (folder.reports_dir / n).read_bytes() for n in names(folder)} == before
    assert folder.state.rankings_written == rankings  # classement.json not rewritten either


def test_bad_ranking_leaves_every_previous_file_intact(folder: Any) -> None:
    run.produce_report(folder)
    before = {n: (folder.reports_dir / n).read_bytes() for n in names(folder)}
    offers = dict(folder.state.ctx.ranking.offres)
    offers["alpha"] = offers["alpha"].model_copy(update={"total": "n/a"})
    folder.state.ctx = dataclasses.replace(
        folder.state.ctx, ranking=folder.state.ctx.ranking.model_copy(update={"offres": offers}))
    with pytest.raises(InputError):
        run.produce_report(folder)
    assert {n: (folder.reports_dir / n).read_bytes() for n in names(folder)} == before


def test_letters_of_a_previous_winner_change_are_removed(folder: Any) -> None:
    run.produce_report(folder)
    keep = folder.reports_dir / "lettres" / "notes-de-l-acheteur.txt"
    keep.write_text("à garder", encoding="utf-8")
    offers = dict(folder.state.ctx.ranking.offres)
    offers["alpha"] = offers["alpha"].model_copy(update={"rang": 2})
    offers["beta"] = offers["beta"].model_copy(update={"rang": 1})
    folder.state.ctx = dataclasses.replace(
        folder.state.ctx, ranking=folder.state.ctx.ranking.model_copy(update={"offres": offers}))
    run.produce_report(folder)
    letters = sorted(p.name for p in (folder.reports_dir / "lettres").iterdir())
    assert letters == ["alpha.docx", "gamma.docx", "notes-de-l-acheteur.txt"]  # no letter to the new winner


def test_unknown_format_is_refused_before_writing(folder: Any) -> None:
    with pytest.raises(ConsultationError, match="format de rapport inconnu « odt »"):
        run.produce_report(folder, formats=["html", "odt"])
    assert not folder.reports_dir.exists()

"""Atomic writes: a failed write or render never damages the previous report."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from evaluation.errors import InputError
from evaluation.reporting import ReportContext, write_atomic_bytes, write_html, write_pdf, write_xlsx


def broken(ctx: ReportContext) -> ReportContext:
    offers = dict(ctx.ranking.offres)
    offers["alpha"] = offers["alpha"].model_copy(update={"total": "n/a"})
    return dataclasses.replace(ctx, ranking=ctx.ranking.model_copy(update={"offres": offers}))


def test_writes_bytes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "rapports" / "rapport.html"
    write_atomic_bytes(target, b"contenu")
    assert target.read_bytes() == b"contenu"
    assert sorted(p.name for p in target.parent.iterdir()) == ["rapport.html"]


def test_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "rapport.html"
    target.write_bytes(b"ancien")
    target.chmod(0o640)
    write_atomic_bytes(target, b"nouveau")
    assert target.read_bytes() == b"nouveau"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_is_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "rapport.html"
    write_atomic_bytes(target, b"x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_failed_rename_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "rapport.html"
    target.write_bytes(b"ancien")

    def fail(*_args: Any) -> None:
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disque plein"):
        write_atomic_bytes(target, b"nouveau")
    assert target.read_bytes() == b"ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.html"]


@pytest.mark.parametrize("writer", [write_html, write_xlsx, write_pdf], ids=["html", "xlsx", "pdf"])
def test_failed_render_keeps_previous_report(ctx: ReportContext, tmp_path: Path, writer: Any) -> None:
    target = tmp_path / "rapport"
    target.write_bytes(b"rapport precedent")
    with pytest.raises(InputError):
        writer(broken(ctx), target)
    assert target.read_bytes() == b"rapport precedent"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport"]


def test_write_html_is_utf8_and_deterministic(ctx: ReportContext, tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_html(ctx, first)
    write_html(ctx, second)
    assert first.read_bytes() == second.read_bytes()
    assert "Rapport d'analyse des offres" in first.read_text(encoding="utf-8")

"""Fixtures: a small consultation folder with its analysis and store (see factories.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluation.model import AnalysisResult
from evaluation.model.folder import ConsultationFolder
from evaluation.store import Store

from .factories import analysis_for, fixed_clock, make_folder


@pytest.fixture
def folder(tmp_path: Path) -> ConsultationFolder:
    return make_folder(tmp_path / "consultation")


@pytest.fixture
def analysis(folder: ConsultationFolder) -> AnalysisResult:
    return analysis_for()


@pytest.fixture
def store(folder: ConsultationFolder) -> Iterator[Store]:
    with Store.open(folder.db_path, clock=fixed_clock()) as opened:
        yield opened

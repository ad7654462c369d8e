"""Shared fixtures: the real French pipeline is loaded once per session, only by the tests that need it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from evaluation.analysis.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()

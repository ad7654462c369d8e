"""The PDF report, printed from the HTML by WeasyPrint, checked on the text pypdfium2 extracts."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest

from evaluation.reporting import ReportContext
from evaluation.reporting.pdf import SYSTEM_PACKAGES, PdfUnavailable, render_pdf


@pytest.fixture
def pdf_bytes(report_pdf: bytes) -> bytes:
    return report_pdf


@pytest.fixture
def pages(report_pdf_pages: list[str]) -> list[str]:
    return report_pdf_pages


def test_is_a_pdf_with_several_pages(pdf_bytes: bytes, pages: list[str]) -> None:
    assert pdf_bytes.startswith(b"%PDF-")
    assert len(pages) >= 5


def test_first_page_carries_title_consultation_and_draft_mark(pages: list[str]) -> None:
    first = pages[0]
    for expected in ("Rapport d'analyse des offres", "Fourniture de vêtements professionnels écoresponsables",
                     "2026-VET-01", "15 mars 2026", "Projet — classement provisoire", "Synthèse et classement"):
        assert expected in first, expected
    assert f"page 1 / {len(pages)}" in first


def test_every_section_is_printed(pages: list[str]) -> None:
    text = " ".join(pages)
    for heading in ("Méthode de notation", "Analyse par critère", "Couverture du plan de progrès",
                    "Calendrier des actions", "Engagements et minimum légal", "Forces et faiblesses",
                    "Prix et offres anormalement basses", "Analyse détaillée des offres",
                    "Avertissements et sensibilité", "Annexe A : documents examinés",
                    "Annexe B : demandes de précisions sur les prix", "Annexe C : versions"):
        assert heading in text, heading
    for name in ("Alpha Textiles SAS", "Beta & Fils"):
        assert name in text
    assert "offres/alpha/memoire.pdf, page 4, § 17" in text


def test_same_context_gives_the_same_pdf_on_one_machine(pdf_bytes: bytes, make_ctx: Any) -> None:
    assert render_pdf(make_ctx(date="2026-03-15")) == pdf_bytes


@pytest.mark.parametrize("error", [OSError("cannot load library 'libpango-1.0-0'"), ImportError("weasyprint")])
def test_missing_library_is_a_french_error_naming_what_to_install(
    ctx: ReportContext, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    real: Callable[..., Any] = importlib.import_module

    def fake(name: str, *args: Any) -> Any:
        if name == "weasyprint":
            raise error
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(PdfUnavailable) as excinfo:
        render_pdf(ctx)
    message = str(excinfo.value)
    assert message.startswith("rapport PDF impossible")
    assert SYSTEM_PACKAGES in message and "apt-get install" in message
    assert "html, xlsx et docx fonctionnent sans elles" in message

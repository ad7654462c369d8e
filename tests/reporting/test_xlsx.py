"""The XLSX report, reopened with openpyxl and checked cell by cell."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

from evaluation.reporting import ReportContext, write_xlsx
from evaluation.reporting.xlsx import render_xlsx

SHEETS = ["Synthèse", "Détail", "Prix", "Couverture", "Calendrier", "Réglementation", "Forces et faiblesses",
          "Preuves", "Avertissements", "Documents", "Versions"]


@pytest.fixture
def workbook(ctx: ReportContext, tmp_path: Path) -> Any:
    path = tmp_path / "rapport.xlsx"
    write_xlsx(ctx, path)
    return openpyxl.load_workbook(path)


def rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def table(ws: Any) -> list[dict[str, Any]]:
    """Data rows as dicts keyed by header, up to the first empty row."""
    header, *data = rows(ws)
    out = []
    for row in data:
        if all(v is None for v in row):
            break
        out.append(dict(zip(header, row, strict=True)))
    return out


def test_sheets_in_order(workbook: Any) -> None:
    assert workbook.sheetnames == SHEETS


@pytest.mark.parametrize("sheet", SHEETS)
def test_header_is_bold_frozen_and_wrapped(workbook: Any, sheet: str) -> None:
    ws = workbook[sheet]
    assert ws.freeze_panes == "A2"
    for cell in ws[1]:
        if cell.value is not None:
            assert cell.font.b, cell.coordinate
    assert ws.cell(row=2, column=1).alignment.wrap_text
    assert all((ws.column_dimensions[c].width or 0) >= 8 for c in "ABC")


def test_summary_sorted_by_rank_with_numeric_points(workbook: Any) -> None:
    ws = workbook["Synthèse"]
    data = table(ws)
    assert [(r["Rang"], r["Offre"]) for r in data] == [(1, "alpha"), (2, "beta"), ("Non classée", "gamma")]
    assert data[0]["Total (sur 100)"] == pytest.approx(79.01)
    assert data[1]["Plan de progrès (sur 60)"] == pytest.approx(30.0)
    assert data[2]["Prix (sur 40)"] is None
    assert data[1]["Source des notes"] == "Mixte (évaluateurs, suggestion de l'outil)"
    assert data[1]["Document(s) à vérifier"] == "Oui"
    assert data[1]["Offre potentiellement anormalement basse"] == "Oui"
    total = ws.cell(row=2, column=6)
    assert total.data_type == "n" and total.number_format == "0.00"


def test_summary_carries_the_notice(workbook: Any) -> None:
    values = [v for row in rows(workbook["Synthèse"]) for v in row if isinstance(v, str)]
    assert any("la commission d'appel d'offres reste seule juge de la notation" in v for v in values)
    assert "2026-VET-01" in values


def test_detail_has_one_row_per_offer_and_sub_criterion(workbook: Any) -> None:
    data = table(workbook["Détail"])
    scored = [r for r in data if r["Sous-critère"] != "—"]
    assert len(scored) == 3 * 3
    first = scored[0]
    assert first["Offre"] == "alpha"
    assert first["Critère"] == "Plan de progrès"
    assert first["Sous-critère"] == "Objectifs chiffrés"
    assert first["Niveau"] == "3 — Satisfaisant"
    assert first["Points"] == pytest.approx(30.0)
    assert first["Points max"] == pytest.approx(30.0)
    assert first["Source"] == "Suggestion de l'outil"
    assert first["Explication"] == "Justification : objectifs chiffrés."
    assert first["Explication de la suggestion"] == "Objectifs chiffrés pour deux axes sur trois."
    prices = [r for r in data if r["Critère"] == "Prix"]
    assert [r["Offre"] for r in prices] == ["alpha", "beta"]
    assert "anormalement basse" in prices[1]["Explication"]


def test_coverage_matrix_as_text(workbook: Any) -> None:
    data = {r["Offre"]: r for r in table(workbook["Couverture"])}
    assert data["alpha"]["Élément : Calendrier"] == "Présent (93\u202f%)"
    assert data["beta"]["Axe : Emballages et déchets"] == "Mentionné sans action"
    assert data["beta"]["Axe : Circuits courts"] == "Absent"
    assert data["gamma"]["Nature des engagements"] == "Ferme"


def test_evidence_sheet_lists_every_quote(workbook: Any, payloads: SimpleNamespace) -> None:
    data = table(workbook["Preuves"])
    beta = next(r for r in data if r["Offre"] == "beta" and r["Signal"] == "Planning précis")
    assert beta["Texte"] == "Nous livrerons en vélo-cargo dès la notification."
    assert beta["Fichier"] == "offres/beta/memoire.txt"
    assert beta["Page"] is None
    assert beta["Paragraphe"] == 3
    texts = {r["Texte"] for r in data}
    assert {payloads.script, payloads.js_url, payloads.formula, payloads.at_formula} <= texts


@pytest.mark.parametrize("attr", ["formula", "at_formula"])
def test_formula_like_text_stays_text(workbook: Any, payloads: SimpleNamespace, attr: str) -> None:
    expected = getattr(payloads, attr)
    ws = workbook["Preuves"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == expected]
    assert cells, expected
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.value == expected
        assert cell.quotePrefix


def test_formula_like_text_is_not_stored_as_formula(ctx: ReportContext) -> None:
    with zipfile.ZipFile(io.BytesIO(render_xlsx(ctx))) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)


def test_hostile_supplier_name_is_plain_text(workbook: Any, payloads: SimpleNamespace) -> None:
    names = {r["Soumissionnaire"] for r in table(workbook["Synthèse"])}
    assert payloads.hostile_name in names


def test_documents_sheet(workbook: Any, payloads: SimpleNamespace) -> None:
    data = table(workbook["Documents"])
    assert [r["Fichier"] for r in data] == [
        "offres/alpha/memoire.pdf",
        "offres/beta/memoire.txt",
        "offres/beta/annexe.pdf",
        "offres/gamma/memoire.docx",
    ]
    assert data[0]["SHA-256"] == payloads.sha_alpha
    assert data[1]["Statut"] == "Lu partiellement"
    assert data[1]["Motif"] == "page 7 illisible"


def test_control_characters_are_replaced(workbook: Any) -> None:
    texts = {r["Texte"] for r in table(workbook["Preuves"])}
    assert "Texte avec un caractère de contrôle" in texts


def test_two_writes_are_byte_identical(
    ctx: ReportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx(ctx, first)
    later = time.time() + 3 * 86400  # zip entries and document properties would otherwise carry the clock
    monkeypatch.setattr(time, "time", lambda: later)
    write_xlsx(ctx, second)
    assert first.read_bytes() == second.read_bytes()


def test_document_dates_follow_the_report_date(make_ctx: Any) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(make_ctx(date="2026-03-15"))))
    assert wb.properties.created.date().isoformat() == "2026-03-15"
    assert wb.properties.modified == wb.properties.created

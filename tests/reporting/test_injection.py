"""Bidders' text is inert in every format: no script, no link, no formula, no disguised or control character.

The synthetic consultation plants the payloads in a bidder's name, quotes, an evaluator's justification and
a warning: `<script>`, `javascript:` links, `=HYPERLINK(…)`, `@SUM`, text led by a tab, « + », « - » or
spaces then « = », right-to-left overrides and isolates, control characters.
"""

from __future__ import annotations

import io
import re
import zipfile
from types import SimpleNamespace
from typing import Any

import docx
import lxml.html
import openpyxl
import pytest

from evaluation.reporting import ReportContext, render_html
from evaluation.reporting.word_reports import render_docx
from evaluation.reporting.xlsx import render_xlsx

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_LEAD = ("=", "+", "-", "@", "\t")


def test_html_shows_payloads_as_text(ctx: ReportContext, payloads: SimpleNamespace) -> None:
    page = render_html(ctx)
    doc = lxml.html.document_fromstring(page)
    assert not doc.xpath("//script | //iframe | //object | //embed | //img | //link | //form")
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    for element in doc.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on"), f"{element.tag} {name}"
            assert "javascript:" not in value.lower() or name == "title", f"{element.tag} {name}={value!r}"
    text = doc.text_content()
    assert payloads.bidi_clean in " ".join(text.split())
    assert payloads.formula in text and payloads.at_formula in text


@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx"])
def test_no_bidi_override_nor_control_character_survives(ctx: ReportContext, fmt: str) -> None:
    for name, text in _texts(ctx, fmt):
        assert not BIDI.search(text), name
        assert not CONTROL.search(text.replace("\t", "")), name


def _texts(ctx: ReportContext, fmt: str) -> list[tuple[str, str]]:
    if fmt == "html":
        return [("rapport.html", render_html(ctx))]
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(render_xlsx(ctx))) as archive:
            return [(n, archive.read(n).decode("utf-8")) for n in archive.namelist() if n.endswith(".xml")]
    out = []
    for path, data in render_docx(ctx).items():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            out += [(f"{path}:{n}", archive.read(n).decode("utf-8")) for n in archive.namelist()
                    if n.endswith(".xml")]
    return out


@pytest.fixture
def workbook(ctx: ReportContext) -> Any:
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(ctx)))


def test_xlsx_never_stores_a_formula(ctx: ReportContext) -> None:
    with zipfile.ZipFile(io.BytesIO(render_xlsx(ctx))) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s or "<f " in s for s in sheets)


@pytest.mark.parametrize("attr", ["formula", "at_formula", "tab_formula", "plus_formula", "minus_formula",
                                  "space_formula"])
def test_xlsx_formula_like_text_is_a_quoted_string(workbook: Any, payloads: SimpleNamespace, attr: str) -> None:
    expected = getattr(payloads, attr)
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value == expected]
    assert cells, expected
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix, cell.coordinate


def test_xlsx_every_text_cell_that_could_read_as_a_formula_is_quoted(workbook: Any) -> None:
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip(" ").startswith(FORMULA_LEAD):
                    assert cell.data_type == "s" and cell.quotePrefix, f"{ws.title}!{cell.coordinate}"


def test_xlsx_bidi_text_is_cleaned_not_dropped(workbook: Any, payloads: SimpleNamespace) -> None:
    values = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    assert payloads.bidi_clean in values


def test_docx_keeps_bidder_text_as_plain_runs(ctx: ReportContext, payloads: SimpleNamespace) -> None:
    files = render_docx(ctx)
    letter = docx.Document(io.BytesIO(files["lettres/gamma.docx"]))
    cells = "\n".join(c.text for t in letter.tables for r in t.rows for c in r.cells)
    assert payloads.script in cells and payloads.bidi_clean in cells
    assert "=1+2" in cells
    for path, data in files.items():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        assert "<script" not in xml, path
        assert "w:hyperlink" not in xml and "w:instrText" not in xml and "w:fldChar" not in xml, path
        if path in ("rapport-analyse-offres.docx", "lettres/gamma.docx"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml, path


def test_pdf_text_is_clean(report_pdf_pages: list[str], payloads: SimpleNamespace) -> None:
    text = " ".join(report_pdf_pages)
    assert not BIDI.search(text)
    assert payloads.bidi_clean in " ".join(text.split())
    assert "<script>alert(1)</script>" in text

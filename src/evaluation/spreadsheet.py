"""Deterministic XLSX files and safe text cells, shared by the report and the evaluator workbooks.

openpyxl's `Workbook.save()` stamps the current time into docProps/core.xml and zipfile stamps every
entry: the same data would give different bytes at each run. `workbook_bytes` fixes both, so a file can
be compared, archived and fingerprinted. `set_text` writes a value that may come from a bidder as a plain
string: a passage starting with « = » or « @ » must never become a formula (formula injection).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from evaluation.officefile import FIXED_DATE, ZIP_DATE, stable_zip

__all__ = [
    "EXCEL_MAX_TEXT",
    "FIXED_DATE",
    "FORMULA_PREFIXES",
    "ZIP_DATE",
    "clean",
    "fixed_zip_dates",
    "looks_like_formula",
    "set_text",
    "workbook_bytes",
]

EXCEL_MAX_TEXT = 32767
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# C0 controls other than tab and newline (invalid in XML, openpyxl refuses them), C1 controls, and the
# bidirectional overrides and isolates that can make a cell display something else than what it holds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def workbook_bytes(wb: Workbook, *, stamp: datetime = FIXED_DATE, title: str | None = None) -> bytes:
    """The workbook as bytes; the same workbook content always gives the same bytes."""
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "evaluation-plan-de-progres"
    wb.properties.lastModifiedBy = None
    if title is not None:
        wb.properties.title = clean(title)
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save(), which stamps the current time into docProps/core.xml.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip_dates(buffer.getvalue())


def fixed_zip_dates(data: bytes) -> bytes:
    """Rewrite the archive with a constant date on every entry (see `evaluation.officefile.stable_zip`)."""
    return stable_zip(data)


def clean(value: str) -> str:
    """Controls become spaces, bidi overrides and isolates are dropped, line ends become « \\n »."""
    return _BIDI.sub("", _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n")))


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read `text` typed in a cell as a formula (even after leading spaces)."""
    return text.startswith(FORMULA_PREFIXES) or text.lstrip(" ").startswith(FORMULA_PREFIXES)


def set_text(cell: Any, value: str) -> None:
    """Write `value` as a plain string cell, never a formula, truncated to Excel's limit."""
    text = clean(value)
    if len(text) > EXCEL_MAX_TEXT:
        text = text[: EXCEL_MAX_TEXT - 1] + "…"
    cell.value = text
    cell.data_type = "s"  # openpyxl turns « =… » into a formula on assignment: undo it
    if looks_like_formula(text):
        cell.quotePrefix = True  # and keep it text when someone edits the cell in Excel

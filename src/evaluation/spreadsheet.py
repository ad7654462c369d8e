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

__all__ = [
    "EXCEL_MAX_TEXT",
    "FIXED_DATE",
    "FORMULA_PREFIXES",
    "ZIP_DATE",
    "clean",
    "fixed_zip_dates",
    "set_text",
    "workbook_bytes",
]

FIXED_DATE = datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
EXCEL_MAX_TEXT = 32767
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# C0 controls other than tab and newline: invalid in XML, openpyxl refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    """Rewrite the archive with a constant date on every entry (zipfile stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            copy.writestr(entry, source.read(info))
    return out.getvalue()


def clean(value: str) -> str:
    """Control characters (PDF extraction leaves some) become spaces; line ends become « \\n »."""
    return _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))


def set_text(cell: Any, value: str) -> None:
    """Write `value` as a plain string cell, never a formula, truncated to Excel's limit."""
    text = clean(value)
    if len(text) > EXCEL_MAX_TEXT:
        text = text[: EXCEL_MAX_TEXT - 1] + "…"
    cell.value = text
    cell.data_type = "s"  # openpyxl turns « =… » into a formula on assignment: undo it
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True  # and keep it text when someone edits the cell in Excel

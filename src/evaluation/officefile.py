"""Deterministic Office Open XML containers (XLSX, DOCX): the same content always gives the same bytes.

zipfile stamps every entry with the current time and the writing libraries choose their own entry order
and permissions, so the same workbook or document would give different bytes at each run. `stable_zip`
rewrites a container with a constant date, constant permissions and a canonical entry order, so a report
can be compared, archived and fingerprinted.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

__all__ = ["CONTENT_TYPES", "FIXED_DATE", "ZIP_DATE", "document_date", "stable_zip"]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
CONTENT_TYPES = "[Content_Types].xml"
_MODE = 0o644 << 16  # regular file, rw-r--r--


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip container with fixed dates and permissions, `[Content_Types].xml` first, then by name.

    Office applications look for `[Content_Types].xml` first; the order of the other parts does not
    matter to them, so sorting by name makes the order independent of how the library walked its parts.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        infos = sorted(source.infolist(), key=lambda i: (i.filename != CONTENT_TYPES, i.filename))
        for info in infos:
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = _MODE
            entry.create_system = 3  # Unix: the permissions above are read as such everywhere
            copy.writestr(entry, source.read(info))
    return out.getvalue()


#: Date stamped in office documents when the user passes none: fixed, so that outputs stay reproducible.
FIXED_DATE = datetime(2000, 1, 1)


def document_date(value: str | None) -> datetime:
    """The date stamped in the document properties: the report date when given, else `FIXED_DATE`."""
    if value:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return datetime(day.year, day.month, day.day)
    return FIXED_DATE

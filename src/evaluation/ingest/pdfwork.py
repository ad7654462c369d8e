"""The PDF reading done in the child process: pypdfium2 for each page's text, pdfplumber for ruled tables.

Run as a script (`python -I pdfwork.py PATH MAX_PAGES MAX_CHARS`, see `isolation.run_worker`), it
imports nothing of the toolkit and writes its answer as JSON on its standard output. Only plain data
goes back (see `extract`). At most `max_pages` pages and `max_chars` characters are read; every page and
parser object is closed as soon as it has been read.
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["extract", "main"]

_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "mot de passe requis : le PDF est protégé à l'ouverture",
    pdfium_c.FPDF_ERR_SECURITY: "PDF chiffré par un procédé non pris en charge",
    pdfium_c.FPDF_ERR_SUCCESS: "PDF sans aucune page",
}
_PASSWORD_ERRORS = (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)
#: A page with less text than this may be a scan carrying only a running header or a page number.
_SCAN_MAX_CHARS = 200
#: A page needs at least this many drawn paths (ruling lines, cell borders) to be searched for tables.
_TABLE_MIN_PATHS = 4
_OBJECT_DEPTH = 2

#: One piece of a page, in reading order: ("texte", text) or ("tableau", rows of cell texts).
Segment = tuple[str, Any]


class _Tables:
    """Ruled tables found by pdfplumber, opened only for the first page that may hold one."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._pdf: Any = None
        self._broken = False

    def find(self, index: int) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
        """Tables of page `index` with at least two rows and two columns; none if pdfplumber fails."""
        if self._broken:
            return []
        try:
            if self._pdf is None:
                import pdfplumber  # only documents with ruled pages pay for importing it

                self._pdf = pdfplumber.open(self._path)
            page = self._pdf.pages[index]
            try:
                found = [(table.bbox, table.extract()) for table in page.find_tables()]
            finally:
                page.close()
        except Exception:  # a table is a bonus: the page text has been read by pdfium anyway
            self._broken = True
            return []
        tables = []
        for bbox, rows in sorted(found, key=lambda item: item[0][1]):
            cleaned = [[cell or "" for cell in row] for row in rows]
            if len(cleaned) >= 2 and max(len(row) for row in cleaned) >= 2:
                tables.append((bbox, cleaned))
        return tables

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _has_objects(page: pdfium.PdfPage, kind: int, count: int) -> bool:
    """Whether the page holds at least `count` objects of `kind`, without listing them all."""
    objects = page.get_objects((kind,), max_depth=_OBJECT_DEPTH)
    return sum(1 for _ in itertools.islice(objects, count)) >= count


def _segments(textpage: pdfium.PdfTextPage, page: pdfium.PdfPage, tables: list[Any]) -> list[Segment]:
    """Cut the page into the text above, beside and below each table, and the tables themselves."""
    left, bottom, right, top = page.get_bbox()
    height = page.get_height()
    segments: list[Segment] = []
    cursor = top
    for (x0, table_top, x1, table_bottom), rows in tables:
        upper, lower = height - table_top, height - table_bottom
        if upper > cursor:  # overlaps the previous table: leave it in the page text
            continue
        segments.append(("texte", textpage.get_text_bounded(left, upper, right, cursor)))
        segments.append(("tableau", rows))
        beside = [textpage.get_text_bounded(left, lower, x0, upper), textpage.get_text_bounded(x1, lower, right, upper)]
        segments.append(("texte", "\n".join(beside)))
        cursor = lower
    segments.append(("texte", textpage.get_text_bounded(left, bottom, right, cursor)))
    return segments


def _read_page(document: pdfium.PdfDocument, index: int, tables: _Tables) -> tuple[list[Segment], bool, int]:
    """Return the page's segments, whether it holds images, and its number of characters."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            # Only a page with little text can be a scan; listing the objects of a full page would be wasted.
            images = len(text.strip()) < _SCAN_MAX_CHARS and _has_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE, 1)
            found = tables.find(index) if text.strip() and _has_objects(
                page, pdfium_c.FPDF_PAGEOBJ_PATH, _TABLE_MIN_PATHS) else []
            segments = _segments(textpage, page, found) if found else [("texte", text)]
        finally:
            textpage.close()
    finally:
        page.close()
    return segments, images, len(text)


def extract(path: str, max_pages: int, max_chars: int) -> dict[str, Any]:
    """Read a PDF; return plain data.

    Returns:
        {"error": French reason, "password": bool} when the file cannot be opened; otherwise
        {"page_count": pages in the file, "pages": one item per page read, None when unreadable, else
        {"segments": [...], "images": bool}, "truncated_chars": bool, "owner_password": bool}.
    """
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        return {"error": _OPEN_ERRORS.get(code, "PDF corrompu ou tronqué"), "password": code in _PASSWORD_ERRORS}
    tables = _Tables(path)
    pages: list[dict[str, Any] | None] = []
    characters, truncated = 0, False
    try:
        count = len(document)
        # An encrypted PDF that opened without a password has an owner password only (restrictions).
        owner_password = pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1
        for index in range(min(count, max_pages)):
            try:
                segments, images, size = _read_page(document, index, tables)
            except pdfium.PdfiumError:
                pages.append(None)
                continue
            if characters + size > max_chars:
                truncated = True
                text = "\n".join(value for kind, value in segments if kind == "texte")
                segments = [("texte", text[: max(max_chars - characters, 0)])]
            pages.append({"segments": segments, "images": images})
            characters += size
            if truncated:
                break
    finally:
        tables.close()
        document.close()
    return {"page_count": count, "pages": pages, "truncated_chars": truncated, "owner_password": owner_password}


def main() -> None:
    """Entry point of the worker: write {"ok": result}, {"memoire": true} or {"erreur": class name}."""
    try:
        answer: dict[str, Any] = {"ok": extract(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))}
    except MemoryError:
        answer = {"memoire": True}
    except Exception as exc:  # reported to the parent, which turns it into a rejection
        answer = {"erreur": type(exc).__name__}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

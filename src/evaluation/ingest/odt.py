"""Reader for OpenDocument text files (.odt), via odfpy."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from odf.namespaces import OFFICENS, SVGNS, TABLENS, TEXTNS
from odf.opendocument import load

from evaluation.errors import DocumentError
from evaluation.ingest.archive import check_package
from evaluation.ingest.base import BlockBuilder, ReaderOutput, add_table, clean_text

__all__ = ["read"]

_TEXT_NODE = 3
_P, _H, _LIST = (TEXTNS, "p"), (TEXTNS, "h"), (TEXTNS, "list")
_TABLE, _ROW, _CELL = (TABLENS, "table"), (TABLENS, "table-row"), (TABLENS, "table-cell")
_COVERED, _HEADER_ROWS = (TABLENS, "covered-table-cell"), (TABLENS, "table-header-rows")
_ROW_GROUPS = frozenset({(TABLENS, "table-rows"), (TABLENS, "table-row-group")})
_SPACES = frozenset({(TEXTNS, "s"), (TEXTNS, "tab"), (TEXTNS, "line-break")})
# Not the document's running text: footnotes, comments, deleted revisions, image captions for screen
# readers, and generated indexes that repeat the headings.
_SKIPPED = frozenset(
    {
        (TEXTNS, "note"),
        (TEXTNS, "tracked-changes"),
        (TEXTNS, "table-of-content"),
        (TEXTNS, "alphabetical-index"),
        (TEXTNS, "illustration-index"),
        (TEXTNS, "table-index"),
        (TEXTNS, "object-index"),
        (TEXTNS, "user-index"),
        (OFFICENS, "annotation"),
        (OFFICENS, "annotation-end"),
    }
)
#: A cell repeated more often than this is the filler LibreOffice writes up to the last column.
_MAX_REPEAT = 64


def _is_element(node: Any) -> bool:
    return getattr(node, "qname", None) is not None


def _text(element: Any) -> str:
    """Return the text under `element`, spaces and line breaks included, notes and comments left out."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        for child in node.childNodes:
            if child.nodeType == _TEXT_NODE:
                parts.append(child.data)
            elif not _is_element(child) or child.qname in _SKIPPED or child.qname[0] == SVGNS:
                continue
            elif child.qname in _SPACES or child.qname in (_P, _H):
                parts.append(" ")
                visit(child)
            else:
                visit(child)

    visit(element)
    return "".join(parts)


def _int_attribute(element: Any, namespace: str, name: str, default: int) -> int:
    value = element.getAttrNS(namespace, name)
    return int(value) if value and str(value).isdigit() else default


def _rows(table: Any) -> Iterator[tuple[Any, bool]]:
    """Yield the table's rows with whether each is a declared header row."""
    for child in table.childNodes:
        if not _is_element(child):
            continue
        if child.qname == _ROW:
            yield child, False
        elif child.qname == _HEADER_ROWS:
            yield from ((row, True) for row in child.childNodes if _is_element(row) and row.qname == _ROW)
        elif child.qname in _ROW_GROUPS:
            yield from _rows(child)


def _table_rows(table: Any) -> Iterator[tuple[list[tuple[int, str]], bool]]:
    """Yield each row as (grid column, text) per cell, and whether it is a declared header row."""
    above: dict[int, str] = {}
    for row, header in _rows(table):
        cells: list[tuple[int, str]] = []
        column = spanned_until = 0
        for cell in row.childNodes:
            if not _is_element(cell) or cell.qname not in (_CELL, _COVERED):
                continue
            repeat = min(_int_attribute(cell, TABLENS, "number-columns-repeated", 1), _MAX_REPEAT)
            for _ in range(repeat):
                if cell.qname == _CELL:
                    text = clean_text(_text(cell))
                    spanned_until = column + _int_attribute(cell, TABLENS, "number-columns-spanned", 1)
                    cells.append((column, text))
                    above[column] = text
                elif column >= spanned_until and above.get(column):
                    # Covered by a cell of a row above: repeat its text so that each row stands alone.
                    cells.append((column, above[column]))
                column += 1
        yield cells, header


def _add_table(builder: BlockBuilder, table: Any) -> None:
    add_table(builder, list(_table_rows(table)))


def _walk(builder: BlockBuilder, element: Any, in_list: bool = False) -> None:
    for child in element.childNodes:
        if not _is_element(child) or child.qname in _SKIPPED:
            continue
        if child.qname == _H:
            builder.heading(_text(child), _int_attribute(child, TEXTNS, "outline-level", 1))
        elif child.qname == _P:
            builder.add(_text(child), "liste" if in_list else "paragraphe")
        elif child.qname == _TABLE:
            _add_table(builder, child)
        else:
            _walk(builder, child, in_list or child.qname == _LIST)


def read(path: Path) -> ReaderOutput:
    """Read an .odt file: headings, paragraphs, list items and one block per table row, in order.

    Raises:
        DocumentError: damaged or encrypted package, macros, DTD in a part, or invalid XML.
    """
    check_package(path, "odt")
    # odfpy prints a part it cannot parse to standard output and goes on: capture it to detect the
    # failure (redirect_stdout is process-wide; readers are not meant to run in threads).
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            document = load(str(path))
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, ValueError) as exc:
        raise DocumentError("document OpenDocument illisible : partie manquante ou XML invalide") from exc
    if "SAX FAILED" in captured.getvalue():
        raise DocumentError("document OpenDocument illisible : XML invalide dans le contenu")
    body = getattr(document, "text", None)  # set only when content.xml holds an office:text body
    if body is None:
        raise DocumentError("document OpenDocument illisible : pas de corps de texte (content.xml)")
    builder = BlockBuilder()
    _walk(builder, body)
    return ReaderOutput(blocks=builder.blocks)

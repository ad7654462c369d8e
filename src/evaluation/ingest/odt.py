"""Reader for OpenDocument text files (.odt).

The package is checked by `archive.check_package` first; then only content.xml is parsed, with lxml
configured to resolve nothing. Pictures and other parts are never unpacked.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evaluation.errors import DocumentError
from evaluation.ingest.archive import check_package, read_part
from evaluation.ingest.base import BlockBuilder, ReaderOutput, add_table, clean_text
from evaluation.ingest.xmlsafe import parse_xml

__all__ = ["read"]

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
_CONTENT = "content.xml"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


_P, _H, _LIST = _q(_TEXT, "p"), _q(_TEXT, "h"), _q(_TEXT, "list")
_TABLE_EL, _ROW, _CELL = _q(_TABLE, "table"), _q(_TABLE, "table-row"), _q(_TABLE, "table-cell")
_COVERED, _HEADER_ROWS = _q(_TABLE, "covered-table-cell"), _q(_TABLE, "table-header-rows")
_ROW_GROUPS = frozenset({_q(_TABLE, "table-rows"), _q(_TABLE, "table-row-group")})
_SPACE, _BREAKS = _q(_TEXT, "s"), frozenset({_q(_TEXT, "tab"), _q(_TEXT, "line-break")})
# Not the document's running text: footnotes, comments, deleted revisions, and generated indexes that
# repeat the headings.
_SKIPPED = frozenset(
    _q(namespace, name)
    for namespace, name in (
        (_TEXT, "note"),
        (_TEXT, "tracked-changes"),
        (_TEXT, "table-of-content"),
        (_TEXT, "alphabetical-index"),
        (_TEXT, "illustration-index"),
        (_TEXT, "table-index"),
        (_TEXT, "object-index"),
        (_TEXT, "user-index"),
        (_OFFICE, "annotation"),
        (_OFFICE, "annotation-end"),
    )
)
#: A cell repeated more often than this is the filler LibreOffice writes up to the last column.
_MAX_REPEAT = 64
#: Spaces written as <text:s text:c="n"/> beyond this count are layout, not text.
_MAX_SPACES = 64


def _skipped(node: Any) -> bool:
    tag = node.tag
    return not isinstance(tag, str) or tag in _SKIPPED or tag.startswith(f"{{{_SVG}}}")


def _text(element: Any) -> str:
    """Return the text under `element`, spaces and line breaks included, notes and comments left out."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        parts.append(node.text or "")
        for child in node:
            if not _skipped(child):
                if child.tag == _SPACE:
                    parts.append(" " * min(_int_attribute(child, _TEXT, "c", 1), _MAX_SPACES))
                elif child.tag in _BREAKS or child.tag in (_P, _H):
                    parts.append(" ")
                visit(child)
            parts.append(child.tail or "")

    visit(element)
    return "".join(parts)


def _int_attribute(element: Any, namespace: str, name: str, default: int) -> int:
    value = element.get(_q(namespace, name))
    return int(value) if value and str(value).isdigit() else default


def _rows(table: Any) -> Iterator[tuple[Any, bool]]:
    """Yield the table's rows with whether each is a declared header row."""
    for child in table:
        if child.tag == _ROW:
            yield child, False
        elif child.tag == _HEADER_ROWS:
            yield from ((row, True) for row in child if row.tag == _ROW)
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _table_rows(table: Any) -> Iterator[tuple[list[tuple[int, str]], bool]]:
    """Yield each row as (grid column, text) per cell, and whether it is a declared header row."""
    above: dict[int, str] = {}
    for row, header in _rows(table):
        cells: list[tuple[int, str]] = []
        column = spanned_until = 0
        for cell in row:
            if cell.tag not in (_CELL, _COVERED):
                continue
            repeat = min(_int_attribute(cell, _TABLE, "number-columns-repeated", 1), _MAX_REPEAT)
            for _ in range(repeat):
                if cell.tag == _CELL:
                    text = clean_text(_text(cell))
                    spanned_until = column + _int_attribute(cell, _TABLE, "number-columns-spanned", 1)
                    cells.append((column, text))
                    above[column] = text
                elif column >= spanned_until and above.get(column):
                    # Covered by a cell of a row above: repeat its text so that each row stands alone.
                    cells.append((column, above[column]))
                column += 1
        yield cells, header


def _walk(builder: BlockBuilder, element: Any, in_list: bool = False) -> None:
    for child in element:
        if builder.full:
            return
        if _skipped(child):
            continue
        if child.tag == _H:
            builder.heading(_text(child), _int_attribute(child, _TEXT, "outline-level", 1))
        elif child.tag == _P:
            builder.add(_text(child), "liste" if in_list else "paragraphe")
        elif child.tag == _TABLE_EL:
            add_table(builder, list(_table_rows(child)))
        else:
            _walk(builder, child, in_list or child.tag == _LIST)


def read(path: Path) -> ReaderOutput:
    """Read an .odt file: headings, paragraphs, list items and one block per table row, in order.

    Macros are never read: their presence is listed in `problems`, which makes the document `partiel`.

    Raises:
        DocumentError: damaged, encrypted or hostile package, DTD in a part, or invalid XML.
    """
    notes = check_package(path)
    try:
        with zipfile.ZipFile(path) as archive:
            if _CONTENT not in archive.NameToInfo:
                raise DocumentError("document OpenDocument illisible : pas de corps de texte (content.xml)")
            content = parse_xml(read_part(archive, _CONTENT), _CONTENT)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DocumentError("archive corrompue ou illisible") from exc
    body = content.find(f"{_q(_OFFICE, 'body')}/{_q(_OFFICE, 'text')}")
    if body is None:
        raise DocumentError("document OpenDocument illisible : pas de corps de texte (content.xml)")
    builder = BlockBuilder()
    _walk(builder, body)
    return ReaderOutput(blocks=builder.blocks, problems=[*notes, *builder.problems])

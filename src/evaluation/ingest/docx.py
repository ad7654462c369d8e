"""Reader for Word documents (.docx): body paragraphs and tables in body order, via python-docx."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from evaluation.errors import DocumentError
from evaluation.ingest.archive import check_package
from evaluation.ingest.base import BlockBuilder, ReaderOutput, add_table, clean_text

__all__ = ["read"]

_TAGS = (
    "p tbl tr tc t tab br cr noBreakHyphen sdt sdtContent customXml del pPr pStyle numPr numId outlineLvl "
    "val style styleId type name basedOn tcPr gridSpan vMerge trPr tblHeader gridBefore"
)
_W = {name: qn(f"w:{name}") for name in _TAGS.split()}
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Text that is not the document's current content: deleted revisions, and the fallback copy of a text
# box that Word stores next to the modern one.
_SKIPPED = frozenset({_W["del"], _MC_FALLBACK})
_CONTAINERS = frozenset({_W["sdt"], _W["sdtContent"], _W["customXml"]})
_HEADING_NAME = re.compile(r"^(?:heading|titre)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = frozenset({"title", "titre"})
_LIST_NAME = re.compile(r"\blist", re.IGNORECASE)
_BODY_TEXT_OUTLINE = 9
_MAX_STYLE_DEPTH = 20


def _text(element: Any) -> str:
    """Return the visible text under `element`: runs, hyperlinks, fields, insertions, text boxes."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        for child in node:
            tag = child.tag
            if tag == _W["t"]:
                parts.append(child.text or "")
            elif tag in (_W["tab"], _W["br"], _W["cr"]):
                parts.append(" ")
            elif tag == _W["noBreakHyphen"]:
                parts.append("-")
            elif isinstance(tag, str) and tag not in _SKIPPED:
                if tag == _W["p"]:
                    parts.append(" ")
                visit(child)

    visit(element)
    return "".join(parts)


def _val(element: Any, *path: str) -> str | None:
    """Return the w:val attribute at the end of `path` (tag names without prefix), or None."""
    for name in path:
        if element is None:
            return None
        element = element.find(_W[name])
    return None if element is None else element.get(_W["val"])


def _int(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.isdigit() else default


class _Styles:
    """Heading levels and list flags of the paragraph styles, following w:basedOn inheritance."""

    def __init__(self, styles_element: Any) -> None:
        self._by_id: dict[str, Any] = {
            style.get(_W["styleId"]): style
            for style in styles_element.iter(_W["style"])
            if style.get(_W["type"]) == "paragraph"
        }

    def _chain(self, style_id: str | None) -> Iterator[Any]:
        for _ in range(_MAX_STYLE_DEPTH):
            style = self._by_id.get(style_id or "")
            if style is None:
                return
            yield style
            style_id = _val(style, "basedOn")

    def heading_level(self, style_id: str | None) -> int | None:
        for style in self._chain(style_id):
            name = (_val(style, "name") or "").strip()
            match = _HEADING_NAME.match(name)
            if match:
                return int(match.group(1))
            if name.lower() in _TITLE_NAMES:
                return 0
            outline = _int(_val(style, "pPr", "outlineLvl"), _BODY_TEXT_OUTLINE)
            if outline < _BODY_TEXT_OUTLINE:
                return outline + 1
        return None

    def is_list(self, style_id: str | None) -> bool:
        return any(
            _LIST_NAME.search(_val(style, "name") or "") or _val(style, "pPr", "numPr", "numId") not in (None, "0")
            for style in self._chain(style_id)
        )


def _add_paragraph(builder: BlockBuilder, paragraph: Any, styles: _Styles) -> None:
    style_id = _val(paragraph, "pPr", "pStyle")
    text = _text(paragraph)
    # A level set on the paragraph itself overrides its style's.
    outline = _int(_val(paragraph, "pPr", "outlineLvl"), _BODY_TEXT_OUTLINE)
    level = outline + 1 if outline < _BODY_TEXT_OUTLINE else styles.heading_level(style_id)
    if level is not None:
        builder.heading(text, level)
        return
    numbered = _val(paragraph, "pPr", "numPr", "numId") not in (None, "0")
    builder.add(text, "liste" if numbered or styles.is_list(style_id) else "paragraphe")


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Yield the children of `element` with `tag`, looking through content controls."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tag)


def _table_rows(table: Any) -> Iterator[tuple[list[tuple[int, str]], bool]]:
    """Yield each row as (grid column, text) per cell, and whether Word marks it as a header row."""
    above: dict[int, str] = {}
    for row in _children(table, _W["tr"]):
        column = _int(_val(row, "trPr", "gridBefore"), 0)
        cells: list[tuple[int, str]] = []
        for cell in _children(row, _W["tc"]):
            properties = cell.find(_W["tcPr"])
            merge = None if properties is None else properties.find(_W["vMerge"])
            # A vertically merged cell repeats the text of the cell it continues, to keep each row whole.
            if merge is not None and merge.get(_W["val"]) in (None, "continue"):
                text = above.get(column, "")
            else:
                text = clean_text(_text(cell))
            above[column] = text
            cells.append((column, text))
            column += _int(_val(cell, "tcPr", "gridSpan"), 1)
        header = row.find(f"{_W['trPr']}/{_W['tblHeader']}")
        yield cells, header is not None and header.get(_W["val"]) not in ("0", "false")


def _add_table(builder: BlockBuilder, table: Any) -> None:
    add_table(builder, list(_table_rows(table)))


def _walk(builder: BlockBuilder, container: Any, styles: _Styles) -> None:
    for child in container:
        if child.tag == _W["p"]:
            _add_paragraph(builder, child, styles)
        elif child.tag == _W["tbl"]:
            _add_table(builder, child)
        elif child.tag in _CONTAINERS:
            _walk(builder, child, styles)


def read(path: Path) -> ReaderOutput:
    """Read a .docx file: headings, paragraphs, list items and one block per table row, in body order.

    Headers, footers, footnotes and comments are left out. A .docx has no pages: `Block.page` is None.

    Raises:
        DocumentError: damaged package, macros, DTD in a part, or not a Word document.
    """
    check_package(path, "docx")
    try:
        document = docx.Document(str(path))
    except ValueError as exc:  # python-docx refuses a main part that is not a plain document
        raise DocumentError(
            "type de document Word inattendu (modèle .dotx ou document à macros .docm renommé ?)"
        ) from exc
    # lxml's XMLSyntaxError is a SyntaxError.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, SyntaxError) as exc:
        raise DocumentError("document Word illisible : partie manquante ou XML invalide") from exc
    builder = BlockBuilder()
    _walk(builder, document.element.body, _Styles(document.styles.element))
    return ReaderOutput(blocks=builder.blocks)

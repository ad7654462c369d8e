"""Reader for Word documents (.docx): body paragraphs and tables in body order.

The package is checked by `archive.check_package` first; then only the main document part and its
styles are parsed, with lxml configured to resolve nothing. Images and other parts are never unpacked.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evaluation.errors import DocumentError
from evaluation.ingest.archive import check_package, read_part
from evaluation.ingest.base import BlockBuilder, ReaderOutput, add_table, clean_text
from evaluation.ingest.xmlsafe import parse_xml

__all__ = ["read"]

_TAGS = (
    "p tbl tr tc t tab br cr noBreakHyphen sdt sdtContent customXml del pPr pStyle numPr numId outlineLvl "
    "val style styleId type name basedOn tcPr gridSpan vMerge trPr tblHeader gridBefore"
)
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = {name: f"{{{_W_NS}}}{name}" for name in (*_TAGS.split(), "body")}
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "[Content_Types].xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_MACRO_TYPE = "application/vnd.ms-word"
#: Main part content types read, with the note a macro-enabled one gets (its macros are never read).
_MAIN_TYPES: dict[str, str | None] = {
    f"{_WORD_TYPE}.document.main+xml": None,
    f"{_WORD_TYPE}.template.main+xml": None,
    f"{_MACRO_TYPE}.document.macroEnabled.main+xml": "document Word à macros (.docm) renommé en .docx",
    f"{_MACRO_TYPE}.template.macroEnabledTemplate.main+xml": "modèle Word à macros (.dotm) renommé en .docx",
}
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

    def __init__(self, styles_element: Any | None) -> None:
        self._by_id: dict[str, Any] = {
            style.get(_W["styleId"]): style
            for style in (styles_element.iter(_W["style"]) if styles_element is not None else ())
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
        if builder.full:
            return
        if child.tag == _W["p"]:
            _add_paragraph(builder, child, styles)
        elif child.tag == _W["tbl"]:
            _add_table(builder, child)
        elif child.tag in _CONTAINERS:
            _walk(builder, child, styles)


def _related(archive: zipfile.ZipFile, source: str, kind: str) -> str | None:
    """Name of the part that `source` ("" for the package) points to with a relationship of type `kind`."""
    folder, name = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.NameToInfo:
        return None
    for relation in parse_xml(read_part(archive, rels), rels).iter(_RELATIONSHIP):
        target = relation.get("Target") or ""
        if relation.get("Type", "").endswith(kind) and relation.get("TargetMode") != "External":
            part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
            return None if part.startswith("..") else part
    return None


def _content_type(archive: zipfile.ZipFile, part: str) -> str:
    """Content type of `part` declared in [Content_Types].xml ("" when the package does not say)."""
    if _CONTENT_TYPES not in archive.NameToInfo:
        return ""
    types = parse_xml(read_part(archive, _CONTENT_TYPES), _CONTENT_TYPES)
    for override in types.iter(f"{_CT_NS}Override"):
        if (override.get("PartName") or "").lstrip("/").lower() == part.lower():
            return str(override.get("ContentType") or "")
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    for default in types.iter(f"{_CT_NS}Default"):
        if (default.get("Extension") or "").lower() == extension:
            return str(default.get("ContentType") or "")
    return ""


def _load(archive: zipfile.ZipFile) -> tuple[Any, _Styles, list[str]]:
    """Parse the main document part and its styles; return its body, styles and notes."""
    main = _related(archive, "", "/officeDocument")
    if main is None or main not in archive.NameToInfo:
        raise DocumentError("document Word illisible : partie manquante ou XML invalide")
    content_type = _content_type(archive, main)
    if content_type not in _MAIN_TYPES:
        raise DocumentError(
            f"type de document Word inattendu ({content_type or 'non déclaré'}) : "
            "enregistrez le mémoire au format .docx"
        )
    notes = [note] if (note := _MAIN_TYPES[content_type]) else []
    body = parse_xml(read_part(archive, main), main).find(_W["body"])
    if body is None:
        raise DocumentError("document Word illisible : pas de corps de texte (word/document.xml)")
    styles_part = _related(archive, main, "/styles")
    styles = (
        parse_xml(read_part(archive, styles_part), styles_part)
        if styles_part and styles_part in archive.NameToInfo
        else None
    )
    return body, _Styles(styles), notes


def read(path: Path) -> ReaderOutput:
    """Read a .docx file: headings, paragraphs, list items and one block per table row, in body order.

    Headers, footers, footnotes and comments are left out. A .docx has no pages: `Block.page` is None.
    Macros are never read: their presence is listed in `problems`, which makes the document `partiel`.

    Raises:
        DocumentError: damaged or hostile package, DTD in a part, or not a Word document.
    """
    notes = check_package(path)
    try:
        with zipfile.ZipFile(path) as archive:
            body, styles, more = _load(archive)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DocumentError("archive corrompue ou illisible") from exc
    builder = BlockBuilder()
    _walk(builder, body, styles)
    return ReaderOutput(blocks=builder.blocks, problems=[*more, *notes, *builder.problems])

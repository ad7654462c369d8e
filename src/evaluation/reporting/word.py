"""Editable Word documents (python-docx) for the reports and letters, byte-identical from one run to the next.

Only real Word structures are used (headings, paragraphs, tables, page header and footer, no text box), so
the buyer edits the documents as usual. Every text passes through `clean_text` (control characters are
invalid in XML, bidi overrides can disguise a passage) and is written as a run of text: nothing a bidder
wrote can become a field, a hyperlink or a macro. Dates in the document properties come from `--date`, or
a fixed epoch; the zip container is rewritten by `evaluation.officefile.stable_zip`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_COLOR_INDEX, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from evaluation.officefile import document_date, stable_zip
from evaluation.reporting.labels import clean_text

__all__ = [
    "DRAFT_MARK",
    "RED",
    "add_heading",
    "add_paragraph",
    "add_placeholder",
    "add_signature",
    "add_table",
    "document_bytes",
    "document_date",
    "new_document",
]

RED = RGBColor(0xA3, 0x32, 0x2A)
GREY = RGBColor(0x5B, 0x64, 0x70)
TABLE_FONT = Pt(9)
#: Header of every page while the ranking is provisional.
DRAFT_MARK = "PROJET — classement provisoire — ne pas diffuser"
CREATOR = "evaluation-plan-de-progres"


def _french(doc: Any) -> None:
    """Declare French as the language of the text, so that Word checks the spelling in French."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")
    lang.set(qn("w:bidi"), "ar-SA")


def _page_field(paragraph: Any) -> None:
    """« page N / M » built from PAGE and NUMPAGES fields: Word fills them in, nothing comes from a bidder."""
    for prefix, instruction in (("page ", "PAGE"), (" / ", "NUMPAGES")):
        paragraph.add_run(prefix)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instruction)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


def new_document(*, running_title: str, draft: bool) -> Any:
    """An A4 document in French with a running header (the draft mark when `draft`) and page numbers."""
    doc = Document()
    _french(doc)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
        header = section.header.paragraphs[0]
        if draft:
            run = header.add_run(DRAFT_MARK)
            run.bold = True
            run.font.color.rgb = RED
        else:
            run = header.add_run(clean_text(running_title))
            run.font.color.rgb = GREY
            run.font.size = Pt(8)
        header.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        _page_field(footer)
    return doc


def add_heading(doc: Any, text: str, level: int) -> Any:
    return doc.add_heading(clean_text(text), level=level)


def add_paragraph(doc: Any, text: str = "", *, style: str | None = None, bold: bool = False,
                  italic: bool = False, color: RGBColor | None = None) -> Any:
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(clean_text(text))
        run.bold = bold
        run.italic = italic
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def add_placeholder(paragraph: Any, text: str) -> Any:
    """A yellow-highlighted « [à compléter …] » the buyer must replace before signing."""
    run = paragraph.add_run(clean_text(text))
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def add_table(doc: Any, headers: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float] | None = None) -> Any:
    """A real Word table, header row in bold and repeated on every page."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(clean_text(text))
        run.bold = True
        run.font.size = TABLE_FONT
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            lines = clean_text(text).split("\n")
            cell.text = ""
            paragraph = cell.paragraphs[0]
            for i, line in enumerate(lines):
                if i:
                    paragraph = cell.add_paragraph()
                paragraph.add_run(line).font.size = TABLE_FONT
    if widths is not None:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)  # the grid: what LibreOffice reads
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)  # each cell: what Word reads
    return table


def add_signature(doc: Any, *, lieu_date: str, qualite: str) -> None:
    """The signature block, left blank for the buyer."""
    doc.add_paragraph()
    if lieu_date:
        doc.add_paragraph().add_run(clean_text(lieu_date))
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(clean_text(qualite))
    run.bold = True
    paragraph = doc.add_paragraph()
    paragraph.add_run("Nom, qualité et signature : ")
    add_placeholder(paragraph, "[à compléter]")
    for _ in range(3):
        doc.add_paragraph()


def document_bytes(doc: Any, *, stamp: datetime, title: str, subject: str = "") -> bytes:
    """The document as bytes with fixed properties: the same document always gives the same bytes."""
    props = doc.core_properties
    props.author = CREATOR
    props.last_modified_by = CREATOR
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    props.title = clean_text(title)
    props.subject = clean_text(subject)
    props.comments = ""
    props.keywords = ""
    props.category = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue())

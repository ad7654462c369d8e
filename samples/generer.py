"""Generate the bidders' mémoires of the training consultations from their Markdown sources.

Usage (developers, from the repository root):

    python samples/generer.py                          # every consultation whose sources are complete
    python samples/generer.py --consultation SLUG      # only samples/SLUG (option repeatable)
    python samples/generer.py --verifier               # re-read the files with the toolkit, compare

For every `samples/<slug>/generation.yaml` (`formats: {<offre>: md|txt|docx|odt|pdf}`), reads
`sources/<offre>.md` and writes `offres/<offre>/memoire.<format>`; a `memoire.*` of another format left
by an earlier generation is removed. Output is deterministic: fixed document dates and fixed ZIP entry
order and timestamps, so that re-running gives identical bytes with the same library versions.

`--verifier` writes nothing: it reads every generated file with `evaluation.ingest.read_document` and
checks that its text is the Markdown's text, block by block (paragraphs, list items, headings, table
rows); a PDF, whose paragraphs a reader can only guess, is compared word by word, unit by unit.
Exit codes: 0 done, 1 a consultation or a file is wrong, 2 usage error.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph as DocxParagraph
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from odf import dc, teletype
    from odf import meta as odf_meta
    from odf import style as odf_style
    from odf import table as odf_table
    from odf import text as odf_text
    from odf.element import Element
    from odf.opendocument import OpenDocumentText
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from evaluation.ingest import read_document
    from evaluation.ingest.base import clean_text, table_row_text
except ImportError as missing:  # run outside the development environment
    sys.exit(f"module Python « {missing.name} » introuvable : lancez ce script avec l'environnement de "
             "développement du projet (pip install -e '.[dev]'), par exemple .venv/bin/python samples/generer.py")

SAMPLES = Path(__file__).resolve().parent
GENERATION_FILE = "generation.yaml"
FORMATS = ("md", "txt", "docx", "odt", "pdf")
#: Fixed date written in every generated document and ZIP entry, so that the output never changes.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
              "BI": "DejaVuSans-BoldOblique.ttf"}
#: The PDF footer, and the pattern that removes it from the text read back.
PDF_FOOTER = "Page {page} / {{nb}}"
PDF_FOOTER_READ = re.compile(r"\bPage \d+ / \d+\b")
PDF_BULLET = "•"
#: A space before a dash or a bullet sign: made non-breaking in PDFs, so that no wrapped line starts with a
#: sign a reader of plain text would take for a list bullet ("— Consultation n° …").
BREAK_BEFORE_SIGN = re.compile(r" (?=[-–—•](?: |$))")


class GenerationError(Exception):
    """A consultation cannot be generated or checked; the message is in French."""


# --------------------------------------------------------------------------------------------------
# The document model, built from markdown-it's tokens


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    level: int
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class ListItem:
    """One paragraph of a list item; `number` is None for a bullet, `first` False for a continuation."""

    runs: tuple[Run, ...]
    depth: int
    number: int | None
    first: bool = True


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | ListItem | Table


def plain(runs: Iterable[Run]) -> str:
    return "".join(run.text for run in runs)


def _runs(token: Token) -> tuple[Run, ...]:
    """The text runs of an inline token, with their emphasis; images and raw HTML are left out."""
    runs: list[Run] = []
    bold = italic = 0
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "code_inline"):
            runs.append(Run(child.content, bold > 0, italic > 0))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold > 0, italic > 0))
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            merged.append(run)
    return tuple(merged)


def parse_markdown(text: str, source: Path) -> list[Block]:
    """Turn Markdown (CommonMark and tables, as the toolkit reads it) into the blocks to render."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    lists: list[list[int | None]] = []  # per open list: [next number] or [None] for bullets
    item_paragraphs: list[int] = []
    header: list[str] = []
    rows: list[tuple[str, ...]] = []
    row: list[str] | None = None
    in_head = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append([None])
        elif kind == "ordered_list_open":
            start = token.attrGet("start")
            lists.append([int(start) if start is not None else 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_paragraphs.append(0)
        elif kind == "list_item_close":
            item_paragraphs.pop()
            if lists[-1][0] is not None:
                lists[-1][0] += 1
        elif kind == "heading_open":
            blocks.append(Heading(int(token.tag[1:]), _runs(tokens[index + 1])))
        elif kind == "table_open":
            header, rows = [], []
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
            row = None
        elif kind == "table_close":
            blocks.append(Table(tuple(header), tuple(rows)))
        elif kind == "inline" and row is not None:
            row.append(plain(_runs(token)))
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            runs = _runs(token)
            if item_paragraphs:
                blocks.append(ListItem(runs, len(lists), lists[-1][0], first=item_paragraphs[-1] == 0))
                item_paragraphs[-1] += 1
            else:
                blocks.append(Paragraph(runs))
        elif kind in ("fence", "code_block", "html_block"):
            line = token.map[0] + 1 if token.map else "?"
            raise GenerationError(f"{source}, ligne {line} : bloc de code ou HTML non pris en charge dans une source "
                                  "de mémoire (écrivez des paragraphes, des listes ou des tableaux)")
    return blocks


def title_of(blocks: Sequence[Block], default: str) -> str:
    return next((plain(b.runs) for b in blocks if isinstance(b, Heading)), default)


# --------------------------------------------------------------------------------------------------
# Renderers: one per format, each returns the file's bytes


@dataclass(frozen=True)
class Meta:
    title: str
    author: str


def render_txt(blocks: Sequence[Block], _: Meta) -> bytes:
    """Plain text: one line per heading, paragraph or list item ("- ", "1. "), one per table row.

    Lines are not wrapped and blocks are separated by a blank line (list items of one list excepted),
    so that a reader cutting at blank lines finds the same blocks.
    """
    lines: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if lines and not (isinstance(block, ListItem) and isinstance(previous, ListItem) and block.first):
            lines.append("")
        indent = "  " * (block.depth - 1) if isinstance(block, ListItem) else ""
        if isinstance(block, Heading | Paragraph):
            lines.append(plain(block.runs))
        elif isinstance(block, ListItem):
            marker = ("- " if block.number is None else f"{block.number}. ") if block.first else "  "
            lines.append(indent + marker + plain(block.runs))
        else:
            for number, row in enumerate(block.rows):
                if number:
                    lines.append("")
                lines.append(table_row_text(row, block.header))
        previous = block
    return ("\n".join(lines) + "\n").encode("utf-8")


def _normalised_zip(data: bytes) -> bytes:
    """Rewrite a ZIP package with its entries in the same order but fixed dates and attributes."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME)
            info.compress_type = item.compress_type
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item))
    return output.getvalue()


def _docx_runs(paragraph: DocxParagraph, runs: Iterable[Run]) -> None:
    for run in runs:
        added = paragraph.add_run(run.text)
        added.bold = run.bold or None
        added.italic = run.italic or None


def _docx_list_style(item: ListItem) -> str:
    if not item.first:
        return "List Continue" + (f" {item.depth}" if item.depth > 1 else "")
    name = "List Bullet" if item.number is None else "List Number"
    return name + (f" {min(item.depth, 3)}" if item.depth > 1 else "")


def render_docx(blocks: Sequence[Block], meta: Meta) -> bytes:
    """Word document: Heading n styles, List Bullet / List Number paragraphs, real tables with a header row."""
    document = docx.Document()
    core = document.core_properties
    core.title, core.author, core.last_modified_by = meta.title, meta.author, meta.author
    core.created = core.modified = FIXED_DATE.replace(tzinfo=None)
    core.revision, core.language, core.comments = 1, "fr-FR", ""
    for block in blocks:
        if isinstance(block, Heading):
            _docx_runs(document.add_heading(level=min(block.level, 9)), block.runs)
        elif isinstance(block, Paragraph):
            _docx_runs(document.add_paragraph(), block.runs)
        elif isinstance(block, ListItem):
            _docx_runs(document.add_paragraph(style=_docx_list_style(block)), block.runs)
        else:
            table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            for cells, values in zip(table.rows, (block.header, *block.rows), strict=True):
                for cell, value in zip(cells.cells, values, strict=False):
                    cell.paragraphs[0].add_run(value)
            for cell in table.rows[0].cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            # Mark the first row as the header row Word repeats on each page (w:tblHeader).
            header_flag = OxmlElement("w:tblHeader")
            header_flag.set(qn("w:val"), "true")
            table.rows[0]._tr.get_or_add_trPr().append(header_flag)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalised_zip(buffer.getvalue())


class _OdtStyles:
    """The named and automatic styles an OpenDocument mémoire needs."""

    def __init__(self, document: OpenDocumentText) -> None:
        self.headings: dict[int, odf_style.Style] = {}
        for level, size in enumerate(("16pt", "13pt", "12pt", "11pt", "11pt", "11pt"), start=1):
            heading = odf_style.Style(name=f"Heading_20_{level}", displayname=f"Heading {level}",
                                      family="paragraph", defaultoutlinelevel=str(level))
            heading.addElement(odf_style.ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm",
                                                             keepwithnext="always"))
            heading.addElement(odf_style.TextProperties(fontsize=size, fontweight="bold"))
            document.styles.addElement(heading)
            self.headings[level] = heading
        body = odf_style.Style(name="Text_20_body", displayname="Text body", family="paragraph")
        body.addElement(odf_style.ParagraphProperties(marginbottom="0.2cm"))
        document.styles.addElement(body)
        self.body = body
        self.spans: dict[tuple[bool, bool], odf_style.Style] = {}
        for bold, italic, name in ((True, False, "Gras"), (False, True, "Italique"), (True, True, "GrasItalique")):
            span = odf_style.Style(name=name, family="text")
            span.addElement(odf_style.TextProperties(fontweight="bold" if bold else "normal",
                                                     fontstyle="italic" if italic else "normal"))
            document.automaticstyles.addElement(span)
            self.spans[bold, italic] = span
        self.bullets = odf_text.ListStyle(name="Puces")
        self.numbers = odf_text.ListStyle(name="Numeros")
        for level in range(1, 11):
            indent = odf_style.ListLevelProperties(spacebefore=f"{0.6 * level:.1f}cm", minlabelwidth="0.5cm")
            bullet = odf_text.ListLevelStyleBullet(level=str(level), bulletchar="•")
            bullet.addElement(indent)
            self.bullets.addElement(bullet)
            number = odf_text.ListLevelStyleNumber(level=str(level), numformat="1", numsuffix=".")
            number.addElement(odf_style.ListLevelProperties(spacebefore=f"{0.6 * level:.1f}cm", minlabelwidth="0.6cm"))
            self.numbers.addElement(number)
        document.automaticstyles.addElement(self.bullets)
        document.automaticstyles.addElement(self.numbers)
        self.header_cell = odf_style.Style(name="EnTete", family="table-cell")
        self.header_cell.addElement(odf_style.TableCellProperties(
            backgroundcolor="#e6e6e6", border="0.5pt solid #000000", padding="0.1cm"))
        self.cell = odf_style.Style(name="Cellule", family="table-cell")
        self.cell.addElement(odf_style.TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"))
        document.automaticstyles.addElement(self.header_cell)
        document.automaticstyles.addElement(self.cell)

    def fill(self, element: Element, runs: Iterable[Run]) -> Element:
        for run in runs:
            if run.bold or run.italic:
                span = odf_text.Span(stylename=self.spans[run.bold, run.italic])
                teletype.addTextToElement(span, run.text)
                element.addElement(span)
            else:
                teletype.addTextToElement(element, run.text)
        return element


def _odt_table(styles: _OdtStyles, table: Table, number: int) -> Element:
    element = odf_table.Table(name=f"Tableau{number}")
    element.addElement(odf_table.TableColumn(numbercolumnsrepeated=str(len(table.header))))
    header_rows = odf_table.TableHeaderRows()
    element.addElement(header_rows)
    for values, parent, cell_style, bold in ((table.header, header_rows, styles.header_cell, True),
                                             *((row, element, styles.cell, False) for row in table.rows)):
        row = odf_table.TableRow()
        for value in values:
            cell = odf_table.TableCell(valuetype="string", stylename=cell_style)
            cell.addElement(styles.fill(odf_text.P(), [Run(value, bold=bold)]))
            row.addElement(cell)
        parent.addElement(row)
    return element


def render_odt(blocks: Sequence[Block], meta: Meta) -> bytes:
    """OpenDocument text: outline headings, text:list items, tables with a declared header row."""
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=meta.title))
    document.meta.addElement(dc.Creator(text=meta.author))
    document.meta.addElement(odf_meta.InitialCreator(text=meta.author))
    document.meta.addElement(odf_meta.CreationDate(text=FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%S")))
    document.meta.addElement(dc.Date(text=FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%S")))
    document.meta.addElement(dc.Language(text="fr-FR"))
    styles = _OdtStyles(document)
    body = document.text
    lists: list[tuple[Element, Element | None]] = []  # open lists, outermost first: (text:list, last item)
    tables = 0
    for block in blocks:
        if not isinstance(block, ListItem):
            lists.clear()
        if isinstance(block, Heading):
            level = min(block.level, 6)
            body.addElement(styles.fill(odf_text.H(outlinelevel=str(level), stylename=styles.headings[level]),
                                        block.runs))
        elif isinstance(block, Paragraph):
            body.addElement(styles.fill(odf_text.P(stylename=styles.body), block.runs))
        elif isinstance(block, ListItem):
            del lists[block.depth:]
            while len(lists) < block.depth:
                style = styles.bullets if block.number is None else styles.numbers
                new_list = odf_text.List(stylename=style) if not lists else odf_text.List()
                parent = body if not lists else lists[-1][1]
                if parent is None:  # a nested list without an item to hang it on
                    parent = odf_text.ListItem()
                    lists[-1][0].addElement(parent)
                parent.addElement(new_list)
                lists.append((new_list, None))
            current, item = lists[-1]
            if block.first or item is None:
                item = odf_text.ListItem()
                current.addElement(item)
                lists[-1] = (current, item)
            item.addElement(styles.fill(odf_text.P(), block.runs))
        else:
            tables += 1
            body.addElement(_odt_table(styles, block, tables))
    buffer = io.BytesIO()
    document.write(buffer)
    return _normalised_zip(buffer.getvalue())


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.cell(0, 10, PDF_FOOTER.format(page=self.page_no()), align="C")


def _font_dir(directory: Path) -> Path:
    missing = [name for name in FONT_FILES.values() if not (directory / name).is_file()]
    if missing:
        raise GenerationError(
            f"police DejaVu Sans introuvable dans {directory} ({', '.join(missing)}) : elle est nécessaire pour "
            "écrire les accents et les signes français dans les PDF. Installez-la (Debian, Ubuntu : "
            "apt install fonts-dejavu-core) ou indiquez son dossier avec --polices")
    return directory


def _column_widths(pdf: FPDF, table: Table, padding: float) -> tuple[float, ...]:
    """Column widths in mm, as a browser lays out an automatic table.

    Each column gets at least its longest word (so that no word is ever cut), and the space left is shared
    in proportion to what each column would need to hold its longest cell on one line.
    """
    minimum: list[float] = []
    natural: list[float] = []
    for column, name in enumerate(table.header):
        cells = [(name, "B")] + [(row[column], "") for row in table.rows if column < len(row)]
        words = longest = 0.0
        for text, style in cells:
            pdf.set_font("DejaVu", style)
            words = max([words, *(pdf.get_string_width(word) for word in _pdf_text(text).split(" "))])
            longest = max(longest, pdf.get_string_width(text))
        minimum.append(words + 2 * padding + 0.5)
        natural.append(max(longest + 2 * padding + 0.5, minimum[-1]))
    room = pdf.epw
    if sum(natural) <= room:
        return tuple(width * room / sum(natural) for width in natural)
    spare = max(room - sum(minimum), 0.0)
    extra = [n - m for n, m in zip(natural, minimum, strict=True)]
    return tuple(m + spare * e / (sum(extra) or 1.0) for m, e in zip(minimum, extra, strict=True))


def _pdf_text(text: str) -> str:
    return BREAK_BEFORE_SIGN.sub("\u00a0", text)


def make_pdf_renderer(fonts: Path) -> Callable[[Sequence[Block], Meta], bytes]:
    def render_pdf(blocks: Sequence[Block], meta: Meta) -> bytes:
        """PDF (fpdf2, DejaVu Sans): headings, paragraphs, bullet lists, tables, page numbers in the footer."""
        pdf = _Pdf(format="A4")
        pdf.set_margins(22, 20, 22)
        pdf.set_auto_page_break(True, margin=20)
        for style, name in FONT_FILES.items():
            pdf.add_font("DejaVu", style, str(fonts / name))
        pdf.set_title(meta.title)
        pdf.set_author(meta.author)
        pdf.set_lang("fr")
        pdf.set_creation_date(FIXED_DATE)
        pdf.add_page()
        size, line = 10.5, 5.4
        previous: Block | None = None
        for block in blocks:
            if isinstance(previous, ListItem) and not isinstance(block, ListItem):
                pdf.ln(1.5)  # a little air after a list
            previous = block
            if isinstance(block, Heading):
                heading_size = {1: 15.0, 2: 12.5}.get(block.level, 11.0)
                if pdf.get_y() > pdf.page_break_trigger - 30:
                    pdf.add_page()  # never leave a heading alone at the bottom of a page
                pdf.ln(3 if block.level > 1 else 1)
                pdf.set_font("DejaVu", "B", heading_size)
                pdf.multi_cell(0, heading_size * 0.5, _pdf_text(plain(block.runs)), align="L",
                               new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(2)
            elif isinstance(block, Paragraph | ListItem):
                left = pdf.l_margin
                if isinstance(block, ListItem):
                    indent = left + 6 * block.depth
                    pdf.set_x(indent - 5)
                    if block.first:
                        pdf.set_font("DejaVu", "", size)
                        marker = PDF_BULLET if block.number is None else f"{block.number}."
                        pdf.cell(5, line, marker)
                    pdf.set_left_margin(indent)
                    pdf.set_x(indent)
                for run in block.runs:
                    pdf.set_font("DejaVu", ("B" if run.bold else "") + ("I" if run.italic else ""), size)
                    pdf.write(line, _pdf_text(run.text))
                pdf.set_left_margin(left)
                pdf.ln(line)
                pdf.ln(1.2 if isinstance(block, ListItem) else 2.2)
            else:
                pdf.set_font("DejaVu", "", 9)
                widths = _column_widths(pdf, block, padding=1.2)
                pdf.set_font("DejaVu", "", 9)
                with pdf.table(col_widths=widths, width=pdf.epw, line_height=4.6, text_align="LEFT",
                               headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                               padding=1.2) as table:
                    for values in (block.header, *block.rows):
                        row = table.row()
                        for value in values:
                            row.cell(_pdf_text(value))
                pdf.ln(3)
        return bytes(pdf.output())

    return render_pdf


def render_md(source: Path) -> bytes:
    return source.read_bytes()


# --------------------------------------------------------------------------------------------------
# Consultations


@dataclass
class Consultation:
    slug: str
    root: Path
    formats: dict[str, str]
    authors: dict[str, str]
    missing: list[str] = field(default_factory=list)

    def source(self, offer: str) -> Path:
        return self.root / "sources" / f"{offer}.md"

    def target(self, offer: str) -> Path:
        return self.root / "offres" / offer / f"memoire.{self.formats[offer]}"


def _yaml(path: Path) -> Any:
    try:
        return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise GenerationError(f"{path} illisible : {exc}") from exc


def load_consultation(root: Path) -> Consultation:
    path = root / GENERATION_FILE
    data = _yaml(path)
    if not isinstance(data, dict) or set(data) != {"formats"} or not isinstance(data["formats"], dict):
        raise GenerationError(f"{path} : une seule clé attendue, « formats: {{<offre>: md|txt|docx|odt|pdf}} »")
    formats: dict[str, str] = {}
    for offer, fmt in data["formats"].items():
        if not isinstance(offer, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", offer):
            raise GenerationError(f"{path} : identifiant d'offre invalide « {offer} »")
        if fmt not in FORMATS:
            raise GenerationError(f"{path} : format « {fmt} » inconnu pour l'offre {offer} "
                                  f"(formats possibles : {', '.join(FORMATS)})")
        formats[offer] = fmt
    authors: dict[str, str] = {}
    declared = root / "consultation.yaml"
    if declared.is_file():
        offers = (_yaml(declared) or {}).get("offres") or {}
        authors = {k: str(v.get("soumissionnaire", k)) for k, v in offers.items() if isinstance(v, dict)}
    consultation = Consultation(root.name, root, formats, authors)
    consultation.missing = [o for o in formats if not consultation.source(o).is_file()]
    return consultation


def find_consultations(wanted: Sequence[str]) -> list[Consultation]:
    if wanted:
        roots = []
        for slug in wanted:
            root = SAMPLES / slug
            if not (root / GENERATION_FILE).is_file():
                raise GenerationError(f"consultation « {slug} » inconnue : {root / GENERATION_FILE} absent")
            roots.append(root)
    else:
        roots = sorted(path.parent for path in SAMPLES.glob(f"*/{GENERATION_FILE}"))
    return [load_consultation(root) for root in roots]


def _stale(consultation: Consultation, offer: str) -> list[Path]:
    """Mémoires of another format left in offres/<offre>/ by an earlier generation."""
    target = consultation.target(offer)
    return sorted(p for p in target.parent.glob("memoire.*")
                  if p.suffix.lstrip(".") in FORMATS and p.name != target.name)


def generate(consultation: Consultation, fonts: Path | None) -> None:
    renderers: dict[str, Callable[[Sequence[Block], Meta], bytes]] = {
        "txt": render_txt, "docx": render_docx, "odt": render_odt}
    for offer, fmt in consultation.formats.items():
        source, target = consultation.source(offer), consultation.target(offer)
        text = source.read_text(encoding="utf-8")
        blocks = parse_markdown(text, source)
        if fmt == "md":
            data = render_md(source)
        else:
            if fmt == "pdf" and "pdf" not in renderers:
                renderers["pdf"] = make_pdf_renderer(_font_dir(fonts or FONT_DIR))
            meta = Meta(title_of(blocks, offer), consultation.authors.get(offer, offer))
            data = renderers[fmt](blocks, meta)
        target.parent.mkdir(parents=True, exist_ok=True)
        relative = target.relative_to(SAMPLES)
        if target.is_file() and target.read_bytes() == data:
            print(f"  inchangé : {relative}")
        else:
            target.write_bytes(data)
            print(f"  écrit    : {relative} ({len(data):,} octets)".replace(",", " "))
        for old in _stale(consultation, offer):
            old.unlink()
            print(f"  supprimé : {old.relative_to(SAMPLES)} (ancien format)")
    offers_dir = consultation.root / "offres"
    if offers_dir.is_dir():
        for folder in sorted(p for p in offers_dir.iterdir() if p.is_dir() and p.name not in consultation.formats):
            print(f"  attention : offres/{folder.name}/ absent de {GENERATION_FILE}, laissé tel quel")


# --------------------------------------------------------------------------------------------------
# Verification


@dataclass(frozen=True)
class Unit:
    """One expected block of text: `label` names it in the report, `kind` is the toolkit's block type."""

    label: str
    kind: str
    text: str
    variants: tuple[str, ...] = ()


def expected_units(blocks: Sequence[Block], fmt: str) -> list[Unit]:
    """The blocks the toolkit should read back from a file of format `fmt`.

    Numbered list items keep their number in plain text and PDF, where it is part of the text. A PDF
    table may be recognised as a table (rows named after their columns, as in the other formats) or read
    as plain text (the header cells, then each row's cells): both readings are accepted.
    """
    units: list[Unit] = []
    tables = 0
    for index, block in enumerate(blocks, start=1):
        if isinstance(block, Heading):
            units.append(Unit(f"titre {index}", "titre", plain(block.runs)))
        elif isinstance(block, Paragraph):
            units.append(Unit(f"paragraphe {index}", "paragraphe", plain(block.runs)))
        elif isinstance(block, ListItem):
            text = plain(block.runs)
            if fmt in ("txt", "pdf") and block.first and block.number is not None:
                text = f"{block.number}. {text}"
            units.append(Unit(f"élément de liste {index}", "liste", text))
        else:
            tables += 1
            if fmt == "pdf":
                units.append(Unit(f"tableau {tables}, en-tête", "en-tete", " ".join(block.header)))
            for number, row in enumerate(block.rows, start=1):
                variants = (" ".join(row),) if fmt == "pdf" else ()
                units.append(Unit(f"tableau {tables}, ligne {number}", "tableau", table_row_text(row, block.header),
                                  variants))
    cleaned = [Unit(u.label, u.kind, clean_text(u.text), tuple(clean_text(v) for v in u.variants)) for u in units]
    return [u for u in cleaned if u.text]


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _difference(expected: str, found: str) -> str:
    """Both texts around their first difference."""
    start = next((i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
                 min(len(expected), len(found)))
    left = max(start - 30, 0)
    cut = "…" if left else ""
    return f"attendu « {cut}{_short(expected[left:], 80)} », lu « {cut}{_short(found[left:], 80)} »"


def compare_blocks(units: Sequence[Unit], read: Sequence[tuple[str, str]], with_kinds: bool) -> list[str]:
    """Differences between the expected units and the (kind, text) blocks read, in French."""
    expected = [(u.kind, u.text) if with_kinds else u.text for u in units]
    found = [block if with_kinds else block[1] for block in read]
    problems: list[str] = []
    matcher = difflib.SequenceMatcher(a=expected, b=found, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for offset in range(max(a2 - a1, b2 - b1)):
            want = units[a1 + offset] if a1 + offset < a2 else None
            got = read[b1 + offset] if b1 + offset < b2 else None
            if want is None and got is not None:
                problems.append(f"bloc en trop ({got[0]}) : « {_short(got[1])} »")
            elif want is not None and got is None:
                problems.append(f"{want.label} absent : « {_short(want.text)} »")
            elif want is not None and got is not None:
                detail = "" if got[1] == want.text else f" : {_difference(want.text, got[1])}"
                kind = f" (type attendu {want.kind}, lu {got[0]})" if got[0] != want.kind else ""
                problems.append(f"{want.label} différent{kind}{detail}")
    return problems


def compare_words(units: Sequence[Unit], text: str) -> list[str]:
    """Compare a PDF's text, word by word, with the expected units in order (page footers removed).

    A table's header counts only when the table is read as plain text; it may then come back at the top
    of each page the table runs onto.
    """
    words = PDF_FOOTER_READ.sub(" ", text.replace(PDF_BULLET, " ")).split()
    problems: list[str] = []
    position = 0
    header: list[str] = []

    def matches(want: list[str]) -> bool:
        return words[position : position + len(want)] == want

    for unit in units:
        readings = [reading.replace(PDF_BULLET, " ").split() for reading in (unit.text, *unit.variants)]
        if unit.kind == "en-tete":
            header = readings[0]
            if matches(header):
                position += len(header)
            continue
        if unit.kind == "tableau" and header and not any(matches(r) for r in readings) and matches(header):
            position += len(header)
        found = next((r for r in readings if matches(r)), None)
        if found is not None:
            position += len(found)
            continue
        want = readings[-1]
        got = " ".join(words[position : position + len(want)])
        problems.append(f"{unit.label} : attendu « {_short(' '.join(want))} », lu « {_short(got)} »")
        later = next(((i, r) for r in readings for i in range(position + 1, len(words) - len(r) + 1)
                      if words[i : i + len(r)] == r), None)
        if later is not None:
            start, reading = later
            problems.append(f"  texte inattendu avant lui : « {_short(' '.join(words[position:start]))} »")
            position = start + len(reading)
    if position < len(words):
        problems.append(f"texte en trop à la fin : « {_short(' '.join(words[position:]))} »")
    return problems


def verify(consultation: Consultation) -> int:
    """Check every generated file of the consultation; return the number of files in error."""
    errors = 0
    for offer, fmt in consultation.formats.items():
        source, target = consultation.source(offer), consultation.target(offer)
        relative = target.relative_to(SAMPLES)
        problems: list[str] = []
        blocks = parse_markdown(source.read_text(encoding="utf-8"), source)
        # The model must say what the toolkit itself reads in the Markdown source.
        read_source = read_document(source, consultation.root)
        problems += [f"source : {p}" for p in compare_blocks(
            expected_units(blocks, "md"), [(b.type, b.texte) for b in read_source.blocs], with_kinds=True)]
        if not target.is_file():
            problems.append("fichier absent : lancez python samples/generer.py")
        else:
            document = read_document(target, consultation.root)
            if document.statut != "ok":
                problems.append(f"statut {document.statut} à la lecture : {document.motif}")
            units = expected_units(blocks, fmt)
            read = [(b.type, b.texte) for b in document.blocs]
            if fmt == "pdf":
                problems += compare_words(units, " ".join(text for _, text in read))
            else:
                problems += compare_blocks(units, read, with_kinds=fmt != "txt")
        problems += [f"fichier d'un ancien format à supprimer : {p.name}" for p in _stale(consultation, offer)]
        if problems:
            errors += 1
            print(f"  ÉCART    : {relative}")
            for problem in problems[:12]:
                print(f"      {problem}")
            if len(problems) > 12:
                print(f"      … et {len(problems) - 12} autre(s) écart(s)")
        else:
            pages = f", {document.pages} pages" if document.pages else ""
            print(f"  conforme : {relative} ({len(document.blocs)} blocs{pages})")
    return errors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python samples/generer.py",
        description="Génère les mémoires des consultations d'exemple (offres/<offre>/memoire.<format>) "
                    "à partir de sources/<offre>.md, selon generation.yaml.")
    parser.add_argument("--verifier", action="store_true",
                        help="n'écrit rien : relit chaque mémoire avec l'outil et compare son texte à la source")
    parser.add_argument("--consultation", action="append", default=[], metavar="SLUG",
                        help="ne traiter que samples/SLUG (option répétable)")
    parser.add_argument("--polices", type=Path, default=None, metavar="DOSSIER",
                        help=f"dossier des polices DejaVu Sans pour les PDF (par défaut {FONT_DIR})")
    args = parser.parse_args(argv)
    try:
        consultations = find_consultations(args.consultation)
        if not consultations:
            print(f"Aucun fichier {GENERATION_FILE} dans {SAMPLES}.")
            return 0
        errors = 0
        for consultation in consultations:
            if consultation.missing:
                names = ", ".join(f"sources/{o}.md" for o in consultation.missing)
                print(f"{consultation.slug} : ignorée, sources incomplètes ({names} manquant)")
                errors += bool(args.consultation)
                continue
            print(f"{consultation.slug} :")
            if args.verifier:
                errors += verify(consultation)
            else:
                generate(consultation, args.polices)
    except GenerationError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    if args.verifier:
        print("Vérification réussie." if not errors else f"Vérification en échec : {errors} fichier(s) en écart.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""What every reader shares: its output type, text cleaning and the block builder."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import Field

from evaluation import settings
from evaluation.model.document import Block, BlockKind

__all__ = [
    "BlockBuilder",
    "ReaderOutput",
    "TableRow",
    "TableRowBlock",
    "add_table",
    "clean_text",
    "count_invalid",
    "guess_header",
    "number",
    "table_row_text",
]

# Controls that separate text (vertical tab: a manual line break pasted from Word; form feed: a page
# break; information separators; next line) become spaces; the other characters XML 1.0 cannot hold
# (C0 controls, surrogates, U+FFFE/U+FFFF) and DEL and the C1 controls, which only ever come from a
# mis-decoded or damaged file, are removed.
_SEPARATOR = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: Text cut at the character limit inside a word is kept only if at least this long.
_MIN_CUT = 50
#: A header cell longer than this is data, not a column name.
_MAX_HEADER_CHARS = 60


class TableRowBlock(Block):
    """A table row, located in its table: which table of the document, which row, and each cell's text.

    The fields live on `Block` (optional there) so that they survive serialisation; here they are required.

    `texte` joins the cells (see `table_row_text`); `cellules` keeps them apart, one per grid column,
    "" for an empty or missing cell, so that a quoted row can be traced back to its cell.
    """

    tableau: int = Field(ge=1, description="rang du tableau dans le document, à partir de 1")
    ligne: int = Field(ge=1, description="rang de la ligne dans le tableau, à partir de 1")
    cellules: tuple[str, ...] = Field(default=(), description="texte de chaque cellule, par colonne")


@dataclass
class ReaderOutput:
    """What a reader extracted from one file.

    Attributes:
        blocks: the text blocks, numbered from 1 in document order.
        pages: number of pages when the format has pages (PDF), else None.
        encoding: the text encoding used to decode the file (.txt, .md), else None.
        problems: French descriptions of the parts that could not be read; non-empty means `partiel`.
        notes: French remarks that do not affect the status (an owner password on a PDF); they go to
            `motif` all the same, so that the commission sees them.
    """

    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    encoding: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def clean_text(text: str) -> str:
    """Return `text` without control characters, in NFC, with whitespace collapsed to single spaces.

    What XML 1.0 cannot hold is gone, so that no report or workbook written from it can break.
    """
    text = _CONTROL.sub("", _SEPARATOR.sub(" ", text))
    return " ".join(unicodedata.normalize("NFC", text).split())


def count_invalid(text: str) -> int:
    """Count the characters `clean_text` removes (controls, lone surrogates, non-characters)."""
    return sum(1 for _ in _CONTROL.finditer(text))


def number(value: int) -> str:
    """Format an integer the French way: 2 000 000."""
    return f"{value:,}".replace(",", " ")


def _pieces(text: str, size: int) -> Iterator[str]:
    """Cut `text` into pieces of at most `size` characters, at a sentence end or a space when possible."""
    while len(text) > size:
        cut = text.rfind(". ", size // 2, size) + 1 or text.rfind(" ", size // 2, size)
        if cut <= 0:
            cut = size
        yield text[:cut].rstrip()
        text = text[cut:].lstrip()
    if text:
        yield text


class BlockBuilder:
    """Accumulate cleaned blocks, numbering them and tracking the path of headings above them.

    It keeps at most `settings.MAX_DOCUMENT_CHARACTERS` characters: past them, `full` is true (readers
    may stop reading), blocks are dropped and `problems` says where the document was cut. A paragraph longer than
    `settings.MAX_BLOCK_CHARACTERS` becomes several blocks, so that no block is too long to analyse.
    """

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.problems: list[str] = []
        self.characters = 0
        self.full = False
        self._limit = settings.MAX_DOCUMENT_CHARACTERS
        self._headings: list[tuple[int, str]] = []
        self._tables = 0

    def truncate(self) -> None:
        """Record that the document was cut at the character limit (by the builder or by a reader)."""
        if not self.problems:
            self.problems.append(f"document tronqué à {number(self._limit)} caractères")

    def _room(self, text: str) -> str:
        """Return the part of `text` that fits under the character limit, recording any cut."""
        if self.full:
            return ""
        room = self._limit - self.characters
        if len(text) > room:
            self.full = True
            self.truncate()
            cut = text.rfind(" ", 0, room + 1)
            # A word cut in its middle is kept only when it is long: a hostile line without spaces.
            text = text[: cut if cut > 0 else room if room >= _MIN_CUT else 0]
        self.characters += len(text)
        return text

    @property
    def path(self) -> tuple[str, ...]:
        """The headings currently open, outermost first."""
        return tuple(text for _, text in self._headings)

    def add(self, text: str, kind: BlockKind = "paragraphe", page: int | None = None) -> None:
        """Append a block unless its cleaned text is empty."""
        for piece in _pieces(self._room(clean_text(text)), settings.MAX_BLOCK_CHARACTERS):
            block = Block(texte=piece, page=page, paragraphe=len(self.blocks) + 1, type=kind, titres=self.path)
            self.blocks.append(block)

    def start_table(self) -> int:
        """Number a new table of the document, from 1."""
        self._tables += 1
        return self._tables

    def add_row(self, text: str, table: int, row: int, cells: Sequence[str], page: int | None = None) -> None:
        """Append the `tableau` block of row `row` (from 1) of table `table`, keeping each cell's text."""
        for piece in _pieces(self._room(clean_text(text)), settings.MAX_BLOCK_CHARACTERS):
            self.blocks.append(TableRowBlock(
                texte=piece, page=page, paragraphe=len(self.blocks) + 1, type="tableau", titres=self.path,
                tableau=table, ligne=row, cellules=tuple(clean_text(cell) for cell in cells),
            ))

    def heading(self, text: str, level: int, page: int | None = None) -> None:
        """Append a heading block and make it the innermost heading for the blocks that follow.

        Its own `titres` are the headings above it; a heading closes every open heading of the same or
        a deeper level.
        """
        cleaned = clean_text(text)
        if not cleaned:
            return
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        self.add(cleaned, "titre", page)
        self._headings.append((level, cleaned))


def guess_header(first_row: Sequence[str], row_count: int) -> bool:
    """Tell whether a table's first row looks like column names (used when the format does not say).

    It must be followed by data, have at least two cells, and every cell must be short, non-empty and
    free of digits: a row like "Objectif | Réduire de 30 %" is data, not a header.
    """
    cells = [clean_text(c) for c in first_row]
    return (
        row_count >= 2
        and len(cells) >= 2
        and len(set(cells)) == len(cells)
        and all(0 < len(c) <= _MAX_HEADER_CHARS and not any(ch.isdigit() for ch in c) for c in cells)
    )


def table_row_text(cells: Sequence[str], header: Sequence[str] = ()) -> str:
    """Join a table row's cells with " | ", prefixing each with its column name when there is one.

    Example: ``table_row_text(["Tri", "T0+6 mois"], ["Action", "Échéance"])`` gives
    ``"Action : Tri | Échéance : T0+6 mois"``. Empty cells are left out; a row reduced to a single cell
    (a merged row used as a section title) is given without prefix.
    """
    pairs = [(clean_text(header[i]) if i < len(header) else "", clean_text(c)) for i, c in enumerate(cells)]
    pairs = [(name, value) for name, value in pairs if value]
    if len(cells) == 1:
        return pairs[0][1] if pairs else ""
    return " | ".join(f"{name} : {value}" if name and name != value else value for name, value in pairs)


#: A table row as readers extract it: (column index, cell text) pairs, and whether it is a header row.
TableRow = tuple[list[tuple[int, str]], bool]


def add_table(builder: BlockBuilder, rows: list[TableRow], page: int | None = None) -> None:
    """Add one `tableau` block per body row, naming each cell after its column header when there is one.

    Rows are numbered from 1 in the table as written, header rows included.
    """
    if not rows:
        return
    table = builder.start_table()
    first, marked = rows[0]
    names: dict[int, str] = {}
    numbered = list(enumerate(rows, start=1))
    if marked or guess_header([text for _, text in first], len(rows)):
        names = dict(first)
        numbered = [(index, row) for index, row in numbered[1:] if not row[1]]
    for index, (cells, _) in numbered:
        texts = [text for _, text in cells]
        width = max((column for column, _ in cells), default=-1) + 1
        by_column = dict(cells)
        row_text = table_row_text(texts, [names.get(column, "") for column, _ in cells])
        builder.add_row(row_text, table, index, [by_column.get(c, "") for c in range(width)], page)

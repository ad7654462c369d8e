"""What every reader shares: its output type, text cleaning and the block builder."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from evaluation.model.document import Block, BlockKind

__all__ = ["BlockBuilder", "ReaderOutput", "TableRow", "add_table", "clean_text", "guess_header", "table_row_text"]

# Controls that separate text (vertical tab: a manual line break pasted from Word; form feed: a page
# break; information separators; next line) become spaces; the other characters XML 1.0 cannot hold
# (C0 controls, surrogates, U+FFFE/U+FFFF) and DEL and the C1 controls, which only ever come from a
# mis-decoded or damaged file, are removed.
_SEPARATOR = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: A header cell longer than this is data, not a column name.
_MAX_HEADER_CHARS = 60


@dataclass
class ReaderOutput:
    """What a reader extracted from one file.

    Attributes:
        blocks: the text blocks, numbered from 1 in document order.
        pages: number of pages when the format has pages (PDF), else None.
        encoding: the text encoding used to decode the file (.txt, .md), else None.
        problems: French descriptions of the parts that could not be read; non-empty means `partiel`.
    """

    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    encoding: str | None = None
    problems: list[str] = field(default_factory=list)


def clean_text(text: str) -> str:
    """Return `text` without control characters, in NFC, with whitespace collapsed to single spaces."""
    text = _CONTROL.sub("", _SEPARATOR.sub(" ", text))
    return " ".join(unicodedata.normalize("NFC", text).split())


class BlockBuilder:
    """Accumulate cleaned blocks, numbering them and tracking the path of headings above them."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._headings: list[tuple[int, str]] = []

    @property
    def path(self) -> tuple[str, ...]:
        """The headings currently open, outermost first."""
        return tuple(text for _, text in self._headings)

    def add(self, text: str, kind: BlockKind = "paragraphe", page: int | None = None) -> None:
        """Append a block unless its cleaned text is empty."""
        cleaned = clean_text(text)
        if cleaned:
            block = Block(texte=cleaned, page=page, paragraphe=len(self.blocks) + 1, type=kind, titres=self.path)
            self.blocks.append(block)

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


def add_table(builder: BlockBuilder, rows: list[TableRow]) -> None:
    """Add one `tableau` block per body row, naming each cell after its column header when there is one."""
    if not rows:
        return
    first, marked = rows[0]
    names: dict[int, str] = {}
    if marked or guess_header([text for _, text in first], len(rows)):
        names = dict(first)
        rows = [row for row in rows[1:] if not row[1]]
    for cells, _ in rows:
        texts = [text for _, text in cells]
        builder.add(table_row_text(texts, [names.get(column, "") for column, _ in cells]), "tableau")

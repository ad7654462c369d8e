"""Cut plain text (a .txt file, the text layer of a PDF page) into paragraphs, list items and headings.

Plain text says nothing of its structure, so this relies on layout habits: a blank line ends a
paragraph; so does a line ending a sentence when it is clearly shorter than the full lines around it
(the last line of a wrapped paragraph) or when the text is not wrapped at all. Bullet and numbered lines
are list items; short lines in capitals and numbered titles ("1. Objectifs", "2.1 Indicateurs") are
headings.
"""

from __future__ import annotations

import re

from evaluation.ingest.base import BlockBuilder
from evaluation.model.document import BlockKind

__all__ = ["add_plain_text"]

# Bullets typed by hand or produced by word processors, including the private-use glyphs of the Symbol
# and Wingdings fonts that PDF text layers often carry.
_BULLET = re.compile("^[-•*–—▪◦·‣○■□➢➤✓✔\uf0a7\uf0b7\uf0d8\uf076\uf0fc]\\s+")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+\S")
_NUMBERED_TITLE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+[^\W\d_]")
_SENTENCE_END = ".!?:…"
#: Headings are short and do not end like a sentence or an enumeration.
_MAX_HEADING_CHARS = 80
_HEADING_FORBIDDEN_END = ".,;:!?…"
#: Lines longer than this mean the text is not hard-wrapped: each line is a paragraph of its own.
_WRAP_LIMIT = 100
#: A wrapped paragraph's last line is usually shorter than this share of a full line.
_SHORT_LINE = 0.7


def _heading_level(line: str, next_line: str | None) -> int | None:
    """Return the level of `line` if it looks like a heading standing at a paragraph start, else None."""
    if len(line) > _MAX_HEADING_CHARS or line[-1] in _HEADING_FORBIDDEN_END:
        return None
    match = _NUMBERED_TITLE.match(line)
    if match:
        # A title starts with a capital: "1.5 tonnes de CO2 évitées" is a sentence.
        if not line[match.end() - 1].isupper():
            return None
        depth = match.group(1).count(".") + 1
        if depth >= 2:
            return depth
        # "1. Tri des déchets" followed by "2. …" is a numbered list, not a title.
        return 1 if next_line is not None and not _NUMBERED.match(next_line) else None
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return 1
    return None


def add_plain_text(builder: BlockBuilder, text: str, page: int | None = None) -> None:
    """Append the blocks of `text` to `builder`, all on `page`."""
    lines = [line.strip() for line in text.splitlines()]
    next_lines: list[str | None] = [None] * len(lines)
    for index in range(len(lines) - 2, -1, -1):
        next_lines[index] = lines[index + 1] or next_lines[index + 1]
    width = max((len(line) for line in lines), default=0)
    current: list[str] = []
    kind: BlockKind = "paragraphe"

    def flush() -> None:
        if current:
            builder.add(" ".join(current), kind, page)
            current.clear()

    for index, line in enumerate(lines):
        if not line:
            flush()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush()
            kind, line = "liste", line[bullet.end() :]
        elif not current and (level := _heading_level(line, next_lines[index])) is not None:
            builder.heading(line, level, page)
            continue
        elif _NUMBERED.match(line):
            flush()
            kind = "liste"
        elif not current:
            kind = "paragraphe"
        current.append(line)
        if line[-1] in _SENTENCE_END and (width > _WRAP_LIMIT or len(line) < _SHORT_LINE * width):
            flush()
    flush()

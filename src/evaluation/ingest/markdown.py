"""Reader for Markdown files (.md), parsed with markdown-it-py (CommonMark and tables)."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from evaluation.ingest.base import BlockBuilder, ReaderOutput, table_row_text
from evaluation.ingest.text import load

__all__ = ["read"]

_TAG = re.compile(r"<[^>]*>")
_LIST_OPEN = frozenset({"bullet_list_open", "ordered_list_open"})
_LIST_CLOSE = frozenset({"bullet_list_close", "ordered_list_close"})


def _inline_text(token: Token) -> str:
    """Return the plain text of an inline token: emphasis and links dropped, images and HTML left out."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _add_tokens(builder: BlockBuilder, tokens: list[Token]) -> None:
    """Turn the flat token stream of markdown-it into blocks."""
    list_depth = 0
    header: list[str] = []
    row: list[str] | None = None
    in_head = False
    table = line = 0
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in _LIST_OPEN:
            list_depth += 1
        elif kind in _LIST_CLOSE:
            list_depth -= 1
        elif kind == "heading_open":
            builder.heading(_inline_text(tokens[index + 1]), int(token.tag[1:]))
        elif kind == "table_open":
            table, line = builder.start_table(), 0
        elif kind == "thead_open":
            in_head, header = True, []
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row, line = [], line + 1
        elif kind == "tr_close" and row is not None:
            if in_head:
                header = row
            else:
                builder.add_row(table_row_text(row, header if any(header) else ()), table, line, row)
            row = None
        elif kind == "inline" and row is not None:
            row.append(_inline_text(token))
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            builder.add(_inline_text(token), "liste" if list_depth else "paragraphe")
        elif kind in ("fence", "code_block"):
            builder.add(token.content)
        elif kind == "html_block":
            builder.add(_TAG.sub(" ", token.content))


def read(path: Path) -> ReaderOutput:
    """Read a .md file: headings, paragraphs, list items and one block per table row.

    Raises:
        DocumentError: the file cannot be decoded (same rules as .txt files).
    """
    decoded = load(path)
    builder = BlockBuilder()
    if decoded.truncated:
        builder.truncate()
    _add_tokens(builder, MarkdownIt("commonmark").enable("table").parse(decoded.text))
    return ReaderOutput(blocks=builder.blocks, encoding=decoded.encoding, problems=builder.problems + decoded.problems)

"""Reader for PDF files: the text of each page, cut into paragraphs, and its ruled tables, row by row.

The parsers (pypdfium2, pdfplumber) run in a child process under a memory limit and a timeout (see
`isolation` and `pdfwork`); this module turns the plain data they send back into blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from evaluation import settings
from evaluation.errors import DocumentError
from evaluation.ingest.base import BlockBuilder, ReaderOutput, TableRow, add_table, number
from evaluation.ingest.isolation import Interrupted, run_worker
from evaluation.ingest.plain import add_plain_text
from evaluation.model.document import Block

__all__ = ["read"]

_OPEN_ADVICE = "demandez au soumissionnaire une version PDF sans mot de passe ni restriction"
_OWNER_PASSWORD = (
    "PDF protégé par un mot de passe propriétaire (restrictions de copie ou d'impression) : texte lu sans "
    "mot de passe"
)
#: Lines at the top or bottom of a page that come back on this share of pages are running headers.
_RUNNING_SHARE = 0.5
_RUNNING_MIN_PAGES = 3
_EDGE_LINES = 2
# Page numbers, alone ("3", "- 3 -", "3 / 12") or in a running line ("Page 3 sur 12").
_PAGE_NUMBER = re.compile(r"^[-–— ]*\d+( ?(/|sur|de) ?\d+)?[-–— ]*$|\bp(age|\.) ?\d+", re.IGNORECASE)
# pdfium marks the hyphen of a word cut at the end of a line with U+0002.
_SOFT_HYPHEN_BREAK = re.compile("\x02\\s*\n\\s*")

#: The worker script, run by its path in a child interpreter (never imported here: pdfium stays out).
_WORKER = Path(__file__).with_name("pdfwork.py")
#: A page as the child sends it: its segments ("texte", text) or ("tableau", rows), in reading order.
Segments = list[list[Any]]


def _edges(lines: list[str]) -> set[int]:
    """Indices of the first and last non-empty lines, where running headers and footers sit."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])


def _running_key(line: str) -> str:
    """Identify a running line: its text, with page numbers made equal ("Page 3 / 12", "Page 4 / 12")."""
    line = " ".join(line.split())
    return re.sub(r"\d+", "#", line) if _PAGE_NUMBER.search(line) else line


def _strip_running_lines(pages: list[Segments]) -> list[Segments]:
    """Remove the headers and footers repeated on most pages (company name, "Page 3 / 12").

    They are learnt from the pages that have a body between them, so that pages made of a single line
    are never taken for running lines, then removed from every page. A page's lines are those of its
    text segments, in order; tables are left alone.
    """
    located = [
        [(segment, line) for segment, (kind, value) in enumerate(page) if kind == "texte" for line in value.split("\n")]
        for page in pages
    ]
    texts = [[line for _, line in page] for page in located]
    bodied = [lines for lines in texts if sum(1 for line in lines if line.strip()) > 2 * _EDGE_LINES]
    if len(bodied) < _RUNNING_MIN_PAGES:
        return pages
    counts = Counter(key for lines in bodied for key in {_running_key(lines[i]) for i in _edges(lines)})
    running = {key for key, count in counts.items() if count >= _RUNNING_SHARE * len(bodied)}
    stripped: list[Segments] = []
    for page, lines, where in zip(pages, texts, located, strict=True):
        edges = _edges(lines)
        kept: dict[int, list[str]] = {}
        for index, (segment, line) in enumerate(where):
            if index not in edges or _running_key(line) not in running:
                kept.setdefault(segment, []).append(line)
        stripped.append([
            [kind, "\n".join(kept.get(segment, [])) if kind == "texte" else value]
            for segment, (kind, value) in enumerate(page)
        ])
    return stripped


def _page_list(pages: list[int]) -> str:
    """Format page numbers compactly: [2, 3, 4, 7] gives "2 à 4, 7"."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(a) if a == b else f"{a} à {b}" for a, b in runs)


def _extract(path: Path) -> dict[str, Any]:
    """Run `pdfwork` in a child process under the limits of `settings`."""
    try:
        data: dict[str, Any] = run_worker(
            _WORKER,
            [str(path), str(settings.MAX_PAGES), str(settings.MAX_DOCUMENT_CHARACTERS)],
            timeout=settings.PDF_TIMEOUT_SECONDS,
            memory=settings.PDF_MEMORY_BYTES,
        )
    except Interrupted as exc:
        reasons = {
            "delai": f"délai dépassé ({settings.PDF_TIMEOUT_SECONDS:g} s)",
            "memoire": f"mémoire insuffisante (limite {settings.PDF_MEMORY_BYTES // (1024 * 1024)} Mo)",
            "arret": "lecteur arrêté brutalement (mémoire insuffisante ou fichier piégé)",
        }
        raise DocumentError(f"analyse du PDF interrompue : {reasons[exc.reason]}") from exc
    except RuntimeError as exc:
        raise DocumentError(f"PDF illisible : erreur du lecteur ({exc})") from exc
    if "error" in data:
        raise DocumentError(data["error"], conseil=_OPEN_ADVICE if data["password"] else None)
    return data


def _normalise(text: str) -> str:
    return _SOFT_HYPHEN_BREAK.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _table(rows: list[list[str]]) -> list[TableRow]:
    return [([(column, cell) for column, cell in enumerate(row)], False) for row in rows]


#: A paragraph that stops on one of these has ended; otherwise it may go on at the top of the next page.
_ENDS = ".!?:;…»)"


def _join_across_page_break(blocks: list[Block], first: int) -> None:
    """Join a paragraph cut by a page break: the last block of the previous page does not end a sentence
    and the first block of the new page is a paragraph starting in lower case. The joined block keeps the
    page where it starts; the blocks after it are renumbered."""
    if first == 0 or first >= len(blocks):
        return
    last, head = blocks[first - 1], blocks[first]
    if (last.type not in ("paragraphe", "liste") or head.type != "paragraphe" or last.page is None
            or head.page != last.page + 1 or last.texte[-1] in _ENDS or not head.texte[0].islower()
            or len(last.texte) + len(head.texte) >= settings.MAX_BLOCK_CHARACTERS):
        return
    blocks[first - 1] = last.model_copy(update={"texte": f"{last.texte} {head.texte}"})
    del blocks[first]
    for position in range(first, len(blocks)):
        blocks[position] = blocks[position].model_copy(update={"paragraphe": position + 1})


def read(path: Path) -> ReaderOutput:
    """Read a PDF page by page: paragraphs, list items, headings and table rows; `Block.page` from 1.

    A page that cannot be read, or that holds only images while others have text, is listed in
    `problems`, and so is a document cut at the page or character limit; a PDF with no text layer at
    all gives no blocks. An owner password (restrictions only) is reported in `notes`.

    Raises:
        DocumentError: password required, unsupported encryption, damaged or truncated file, or the
            child process interrupted (timeout, memory).
    """
    data = _extract(path)
    count: int = data["page_count"]
    pages: list[dict[str, Any] | None] = data["pages"]
    if count == 0:
        raise DocumentError("PDF sans aucune page")
    unreadable = [index + 1 for index, page in enumerate(pages) if page is None]
    if len(unreadable) == len(pages):
        raise DocumentError("PDF corrompu ou tronqué : aucune page lisible")
    segments = _strip_running_lines([
        [[kind, _normalise(value) if kind == "texte" else value] for kind, value in page["segments"]] if page else []
        for page in pages
    ])
    builder = BlockBuilder()
    if data["truncated_chars"]:
        builder.truncate()
    scanned: list[int] = []
    for index, (page, parts) in enumerate(zip(pages, segments, strict=True)):
        before = len(builder.blocks)
        for kind, value in parts:
            if kind == "texte":
                add_plain_text(builder, value, page=index + 1)
            else:
                add_table(builder, _table(value), page=index + 1)
        _join_across_page_break(builder.blocks, before)
        if page is not None and page["images"] and len(builder.blocks) == before:
            scanned.append(index + 1)
    problems = []
    if len(pages) < count and not data["truncated_chars"]:
        problems.append(f"document tronqué à {number(len(pages))} pages ({number(count)} au total)")
    problems.extend(builder.problems)
    if unreadable:
        problems.append(f"pages illisibles : {_page_list(unreadable)}")
    if scanned and builder.blocks:
        problems.append(f"pages sans couche texte (numérisées ?) : {_page_list(scanned)}")
    notes = [_OWNER_PASSWORD] if data["owner_password"] else []
    return ReaderOutput(blocks=builder.blocks, pages=count, problems=problems, notes=notes)

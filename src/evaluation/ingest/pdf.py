"""Reader for PDF files, via pypdfium2: the text layer of each page, cut into paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from evaluation.errors import DocumentError
from evaluation.ingest.base import BlockBuilder, ReaderOutput
from evaluation.ingest.plain import add_plain_text

__all__ = ["read"]

_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "mot de passe requis : le PDF est protégé à l'ouverture",
    pdfium_c.FPDF_ERR_SECURITY: "PDF chiffré par un procédé non pris en charge",
    pdfium_c.FPDF_ERR_SUCCESS: "PDF sans aucune page",
}
_OPEN_ADVICE = "demandez au soumissionnaire une version PDF sans mot de passe ni restriction"
#: Lines at the top or bottom of a page that come back on this share of pages are running headers.
_RUNNING_SHARE = 0.5
_RUNNING_MIN_PAGES = 3
_EDGE_LINES = 2
#: A page with less text than this may be a scan carrying only a running header or a page number.
_SCAN_MAX_CHARS = 200
# Page numbers, alone ("3", "- 3 -", "3 / 12") or in a running line ("Page 3 sur 12").
_PAGE_NUMBER = re.compile(r"^[-–— ]*\d+( ?(/|sur|de) ?\d+)?[-–— ]*$|\bp(age|\.) ?\d+", re.IGNORECASE)
# pdfium marks the hyphen of a word cut at the end of a line with U+0002.
_SOFT_HYPHEN_BREAK = re.compile("\x02\\s*\n\\s*")


def _page_text(document: pdfium.PdfDocument, index: int) -> tuple[str, bool]:
    """Return the text of page `index` and whether the page holds images; close what was opened."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        # Only a page with little text can be a scan; listing the objects of a full page would be wasted.
        has_images = len(text.strip()) < _SCAN_MAX_CHARS and any(
            True for _ in page.get_objects((pdfium_c.FPDF_PAGEOBJ_IMAGE,))
        )
    finally:
        page.close()
    return _SOFT_HYPHEN_BREAK.sub("", text.replace("\r\n", "\n")), has_images


def _edges(lines: list[str]) -> set[int]:
    """Indices of the first and last non-empty lines, where running headers and footers sit."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])


def _running_key(line: str) -> str:
    """Identify a running line: its text, with page numbers made equal ("Page 3 / 12", "Page 4 / 12")."""
    line = " ".join(line.split())
    return re.sub(r"\d+", "#", line) if _PAGE_NUMBER.search(line) else line


def _strip_running_lines(texts: list[str]) -> list[str]:
    """Remove the headers and footers repeated on most pages (company name, "Page 3 / 12").

    They are learnt from the pages that have a body between them, so that pages made of a single line
    are never taken for running lines, then removed from every page.
    """
    pages = [text.split("\n") for text in texts]
    bodied = [lines for lines in pages if sum(1 for line in lines if line.strip()) > 2 * _EDGE_LINES]
    if len(bodied) < _RUNNING_MIN_PAGES:
        return texts
    counts = Counter(key for lines in bodied for key in {_running_key(lines[i]) for i in _edges(lines)})
    running = {key for key, count in counts.items() if count >= _RUNNING_SHARE * len(bodied)}
    stripped = []
    for lines in pages:
        edges = _edges(lines)
        stripped.append(
            "\n".join(line for i, line in enumerate(lines) if i not in edges or _running_key(line) not in running)
        )
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


def read(path: Path) -> ReaderOutput:
    """Read a PDF's text layer page by page; `Block.page` is the 1-based page number.

    A page that cannot be read, or that holds only images while others have text, is listed in
    `problems`; a PDF with no text layer at all gives no blocks.

    Raises:
        DocumentError: password required, unsupported encryption, damaged or truncated file.
    """
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentError(_OPEN_ERRORS[code], conseil=_OPEN_ADVICE) from exc
        raise DocumentError(_OPEN_ERRORS.get(code, "PDF corrompu ou tronqué")) from exc
    try:
        count = len(document)
        texts: list[str] = []
        unreadable: list[int] = []
        images: list[bool] = []
        for index in range(count):
            try:
                text, has_images = _page_text(document, index)
            except pdfium.PdfiumError:
                text, has_images = "", False
                unreadable.append(index + 1)
            texts.append(text)
            images.append(has_images)
    finally:
        document.close()
    if len(unreadable) == count:
        raise DocumentError("PDF corrompu ou tronqué : aucune page lisible")
    builder = BlockBuilder()
    scanned: list[int] = []
    for index, text in enumerate(_strip_running_lines(texts)):
        before = len(builder.blocks)
        add_plain_text(builder, text, page=index + 1)
        if images[index] and len(builder.blocks) == before:
            scanned.append(index + 1)
    problems = []
    if unreadable:
        problems.append(f"pages illisibles : {_page_list(unreadable)}")
    if scanned and builder.blocks:
        problems.append(f"pages sans couche texte (numérisées ?) : {_page_list(scanned)}")
    return ReaderOutput(blocks=builder.blocks, pages=count, problems=problems)

"""Build the bidders' files the ingest tests read: every file is generated in the test's tmp_path."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from PIL import Image


def write_pdf(path: Path, pages: Sequence[Sequence[str]], *, image_pages: Sequence[int] = ()) -> Path:
    """Write a PDF with one page per item of `pages`, each a list of paragraphs separated by a gap.

    Core fonts are Latin-1 only: no "œ" nor "’" in the text. Pages whose 1-based number is in
    `image_pages` get a grey picture in addition to their text.
    """
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        if number in image_pages:
            pdf.image(Image.new("RGB", (40, 40), "grey"), x=20, y=150, w=60)
    pdf.output(str(path))
    return path


def rewrite_zip(source: Path, target: Path, *, replace: dict[str, bytes] | None = None) -> Path:
    """Copy the ZIP package `source` to `target`, replacing or adding the members in `replace`."""
    replace = dict(replace or {})
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = replace.pop(item.filename) if item.filename in replace else old.read(item)
            new.writestr(item, data)
        for name, data in replace.items():
            new.writestr(name, data)
    return target

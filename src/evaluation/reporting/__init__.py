"""Reports: the comparative analysis of the offers (HTML, XLSX, Word, PDF) and the letters, from one context.

Every format renders the same `ReportView` (see `build_view`), so they show the same facts in the same
order. Rendering never writes: the `write_*` functions and `run.produce_report` write atomically once
everything rendered.
"""

from evaluation.atomic import write_atomic_bytes
from evaluation.reporting.build import build_view
from evaluation.reporting.context import ReportContext
from evaluation.reporting.html import render_html, write_html
from evaluation.reporting.pdf import PdfUnavailable, render_pdf, write_pdf
from evaluation.reporting.word_reports import render_docx
from evaluation.reporting.xlsx import render_xlsx, write_xlsx

__all__ = [
    "PdfUnavailable",
    "ReportContext",
    "build_view",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "write_atomic_bytes",
    "write_html",
    "write_pdf",
    "write_xlsx",
]

"""Reports: the comparative analysis of the offers, as HTML and XLSX, built from one `ReportContext`."""

from evaluation.atomic import write_atomic_bytes
from evaluation.reporting.context import ReportContext
from evaluation.reporting.html import render_html, write_html
from evaluation.reporting.xlsx import render_xlsx, write_xlsx

__all__ = [
    "ReportContext",
    "render_html",
    "render_xlsx",
    "write_atomic_bytes",
    "write_html",
    "write_xlsx",
]

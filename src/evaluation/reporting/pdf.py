"""The comparative report as PDF, printed from the HTML report by WeasyPrint.

WeasyPrint needs Pango and HarfBuzz from the system: it is imported only when a PDF is asked for, so that
the HTML, XLSX and Word reports work on a machine without them; a missing library becomes a French error
that names the packages to install. WeasyPrint never fetches anything: the page has no external resource,
and the URL fetcher refuses every URL anyway.

The PDF is deterministic on one machine (no creation date is written and the file identifier is derived
from the content) but not promised byte-identical across machines: the fonts installed and the versions of
Pango and HarfBuzz change the glyph layout. Its text is what tests check.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any, NoReturn

from evaluation.atomic import write_atomic_bytes
from evaluation.errors import InputError, Problem
from evaluation.reporting.context import ReportContext
from evaluation.reporting.html import render_html

__all__ = ["SYSTEM_PACKAGES", "PdfUnavailable", "render_pdf", "write_pdf"]

#: Debian packages WeasyPrint needs (the README and .ci/run install the same).
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


class PdfUnavailable(InputError):
    """The PDF cannot be produced on this machine (WeasyPrint or a system library is missing)."""


def _unavailable(reason: str) -> NoReturn:
    raise PdfUnavailable(Problem(
        f"rapport PDF impossible : {reason}",
        conseil=("installez les bibliothèques du système puis WeasyPrint : "
                 f"sudo apt-get install -y --no-install-recommends {SYSTEM_PACKAGES} "
                 "et pip install weasyprint ; les formats html, xlsx et docx fonctionnent sans elles"),
    ))


def _weasyprint() -> Any:
    try:
        return importlib.import_module("weasyprint")
    except ImportError as exc:
        _unavailable(f"le module WeasyPrint n'est pas installé ({exc})")
    except OSError as exc:  # cffi could not load libpango / libharfbuzz / libgobject
        _unavailable(f"une bibliothèque du système manque ({exc})")


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"ressource externe refusée : {url[:80]}")


def render_pdf(ctx: ReportContext) -> bytes:
    """The report as PDF bytes, from the same HTML as `render_html`."""
    html = render_html(ctx)
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_refuse)
    # Identifier derived from the content and no dates: the same page gives the same PDF on this machine.
    data: bytes = document.write_pdf(pdf_identifier=None, pdf_tags=True)
    return data


def write_pdf(ctx: ReportContext, path: str | os.PathLike[str]) -> Path:
    """Render then write atomically: if rendering fails, an existing PDF at `path` is kept."""
    return write_atomic_bytes(path, render_pdf(ctx))

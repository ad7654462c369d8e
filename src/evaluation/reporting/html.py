"""The comparative report as one self-contained HTML page (inline CSS, no script, strict CSP)."""

from __future__ import annotations

import functools
import os
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from evaluation.atomic import write_atomic_bytes
from evaluation.reporting.build import build_view
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import FLAGS, VERSION_LABELS, clean_text, format_decimal, format_weight

__all__ = ["render_html", "write_html"]

TEMPLATE = "rapport.html"


def render_html(ctx: ReportContext) -> str:
    """Render the report. The same context always gives the same string (no clock, sorted iteration)."""
    return _environment().get_template(TEMPLATE).render(r=build_view(ctx))


def write_html(ctx: ReportContext, path: str | os.PathLike[str]) -> Path:
    """Render then write atomically: if rendering fails, an existing report at `path` is kept."""
    return write_atomic_bytes(path, render_html(ctx).encode("utf-8"))


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("evaluation", "reporting/templates"),
        autoescape=True,  # every value may come from a bidder's document: always escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["pts"] = _points
    env.filters["poids"] = format_weight
    env.filters["initiale"] = _initial
    env.globals["flag_labels"] = tuple(label for label, _meaning in FLAGS.values())
    env.globals["version_labels"] = VERSION_LABELS
    return env


def _finalize(value: object) -> object:
    # Defence in depth: the view already cleans bidders' text; Markup is ours and already safe.
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


def _points(value: Decimal | str | None) -> str:
    if isinstance(value, str):
        return value
    return "—" if value is None else format_decimal(value)


def _initial(value: str) -> str:
    return value[:1].upper() + value[1:]

"""Usage errors in French.

Typer ships its own copy of click whose usage messages are in English; `main` runs the application in
non-standalone mode and renders those errors itself, recognising them by class name so as not to
import Typer's private modules.
"""

from __future__ import annotations

import re
from typing import Any

import typer

__all__ = ["is_usage_error", "usage_message"]

_USAGE_ERROR = next((c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"), typer.BadParameter)


_NO_SUCH_COMMAND = re.compile(r"No such command '([^']*)'")
_DID_YOU_MEAN = re.compile(r"Did you mean '([^']*)'")
_NEEDS_VALUE = re.compile(r"Option '([^']*)' requires an argument")


def is_usage_error(exc: BaseException) -> bool:
    return isinstance(exc, _USAGE_ERROR)


def _hint(exc: Any) -> str:
    param = getattr(exc, "param", None)
    if param is not None:
        if getattr(param, "param_type_name", "") == "option" and getattr(param, "opts", None):
            return " / ".join(param.opts)
        return str(getattr(param, "metavar", None) or getattr(param, "name", "")).upper()
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, list | tuple):
        return " / ".join(str(h) for h in hint)
    return str(hint or "")


def usage_message(exc: BaseException) -> str:
    """The French message for a usage error, with where to find help."""
    kind = type(exc).__name__
    detail: Any = exc
    if kind == "NoSuchOption":
        message = f"option inconnue : {detail.option_name}"
        if detail.possibilities:
            message += f" (vouliez-vous dire : {', '.join(sorted(detail.possibilities))} ?)"
    elif (found := _NO_SUCH_COMMAND.search(str(exc))) is not None:
        message = f"commande inconnue : {found.group(1)}"
        if (close := _DID_YOU_MEAN.search(str(exc))) is not None:
            message += f" (vouliez-vous dire : {close.group(1)} ?)"
    elif (found := _NEEDS_VALUE.search(str(exc))) is not None:
        message = f"l'option {found.group(1)} attend une valeur"
    elif kind == "MissingParameter":
        message = f"paramètre obligatoire manquant : {_hint(exc)}"
    elif kind == "BadParameter":
        message = f"valeur invalide pour {_hint(exc)} : {detail.message}"
    else:
        message = detail.format_message() if hasattr(detail, "format_message") else str(exc)
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "evaluation"
    return f"Erreur d'utilisation : {message}\nAide : {command} --help"

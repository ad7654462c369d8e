"""The `evaluation` application: error handling and output conventions shared by every command.

Exit codes: 0 done (even when some documents were rejected: they are listed), 1 bad input from the user,
2 usage error (typer's own).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer

from evaluation.errors import InputError

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="evaluation",
    help="Aide à l'analyse des plans de progrès dans les offres des marchés publics. "
         "L'outil assiste la commission : il ne décide jamais seul.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def say(message: str, *, quiet: bool = False) -> None:
    """Human-readable progress and results go to stderr so that stdout stays for data (--json)."""
    if not quiet:
        typer.echo(message, err=True)


def handles_input_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's InputError into a French message on stderr and exit code 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"Erreur : {problem}", err=True)
            raise typer.Exit(code=1) from None

    return wrapper


def is_terminal() -> bool:
    return sys.stderr.isatty()


def current_user() -> str:
    """Who is recorded in the audit trail: the account running the command."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"

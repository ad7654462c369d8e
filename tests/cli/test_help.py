"""Every command has French help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from evaluation.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        # Typer may ship its own copy of click: recognise groups by shape, not by class.
        if hasattr(command, "commands"):
            for name, sub in sorted(command.commands.items()):
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, command))

    walk("", root)
    return found


COMMANDS = _commands()


def test_expected_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"demo", "analyser", "rapport", "initialiser", "grille verifier", "grille lister",
            "grille afficher"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_is_documented(name: str, command: Any) -> None:
    assert command.help and len(command.help) > 20, f"{name} n'a pas d'aide"
    assert f"evaluation {name}" in README, f"« evaluation {name} » n'est pas documentée dans le README"
    result = CliRunner().invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert command.help.split(".")[0] in " ".join(result.output.split())


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_option_has_help(name: str, command: Any) -> None:
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert param.help, f"option {param.name} de « {name} » sans aide"

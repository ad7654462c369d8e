"""Usage errors from the `evaluation` entry point: French message, help pointer, exit code 2."""

from __future__ import annotations

import pytest

from evaluation.cli import main


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code, _, err = run_full(monkeypatch, capsys, *args)
    return code, err


def run_full(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["evaluation", *args])
    with pytest.raises(SystemExit) as info:
        main()
    code = info.value.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 1), captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("analyser",), "paramètre obligatoire manquant : DOSSIER"),
        (("initialiser", "x", "--inconnue"), "option inconnue : --inconnue"),
        (("rapprt",), "commande inconnue : rapprt (vouliez-vous dire : rapport ?)"),
        (("rapport", "x", "--format"), "l'option --format attend une valeur"),
    ],
)
def test_usage_errors_in_french(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                args: tuple[str, ...], expected: str) -> None:
    code, err = run(monkeypatch, capsys, *args)
    assert code == 2
    assert f"Erreur d'utilisation : {expected}" in err
    assert "--help" in err
    assert "Error" not in err and "Usage" not in err


def test_bad_input_exit_code_one(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(monkeypatch, capsys, "analyser", "/dossier/inexistant")
    assert code == 1
    assert "dossier de consultation introuvable" in err


def test_success_exit_code_zero(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_full(monkeypatch, capsys, "grille", "lister")
    assert code == 0
    assert "plan-de-progres-dae.v1" in out

"""`evaluation formation …` end to end on a bundled sample: list, exercise without help, fill, correct."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.settings import data_dir
from evaluation.training import load_reference

runner = CliRunner()
SAMPLE = "vetements-2026"
FIRST_ROW = 6


def exercise(tmp_path: Path, *extra: str) -> Path:
    result = runner.invoke(app, ["formation", "exercice", SAMPLE, "--stagiaire", "Marie Dupont", "--sans-aide",
                                 "--sortie", str(tmp_path / "exercice"), *extra])
    assert result.exit_code == 0, result.output
    assert "Classeur à remplir" in result.output and "evaluation formation corriger" in result.output
    return tmp_path / "exercice" / "notation" / "marie-dupont.xlsx"


def fill_like_the_reference(path: Path, shift: dict[tuple[str, str], int] | None = None) -> None:
    """Every level of the reference, some shifted; justifications long enough to pass the import checks."""
    reference = load_reference(data_dir("samples") / SAMPLE)
    wb = load_workbook(path)
    for offer, expected in reference.offres.items():
        ws = wb[offer]
        row = FIRST_ROW
        while (sub := ws.cell(row=row, column=3).value) is not None:
            level = expected.niveaux[sub].niveau + (shift or {}).get((offer, sub), 0)
            ws.cell(row=row, column=8).value = level
            ws.cell(row=row, column=9).value = f"Niveau {level} d'après le mémoire de l'offre {offer}."
            row += 1
    wb.save(path)


def test_list_gives_each_sample_with_its_offers() -> None:
    result = runner.invoke(app, ["formation", "liste"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith(f"{SAMPLE}\tFourniture de vêtements") and "5 offres" in line for line in lines)
    data = json.loads(runner.invoke(app, ["formation", "liste", "--json"]).output)
    assert {"vetements-2026", "restauration-2026", "energie-2026"} <= {s["exemple"] for s in data}


def test_unknown_sample_exits_1() -> None:
    result = runner.invoke(app, ["formation", "exercice", "nulle-part", "--stagiaire", "Marie Dupont"])
    assert result.exit_code == 1
    assert "Erreur :" in result.output and SAMPLE in result.output


def test_default_folder_is_named_after_sample_and_trainee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["formation", "exercice", SAMPLE, "--stagiaire", "Élise Noël", "--sans-aide", "-q"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / f"formation-{SAMPLE}-elise-noel"
    assert (folder / "notation" / "elise-noel.xlsx").is_file()
    assert not (folder / "reference.yaml").exists() and not (folder / "LISEZMOI.md").exists()
    assert not (folder / "sources").exists()


def test_round_trip_writes_a_deterministic_feedback_report(tmp_path: Path) -> None:
    workbook = exercise(tmp_path)
    fill_like_the_reference(workbook, {("delta", "calendrier_actions"): -2, ("gamma", "partage_gains"): 2})
    result = runner.invoke(app, ["formation", "corriger", str(workbook)])
    assert result.exit_code == 0, result.output
    assert "Niveaux comparés : 40 sur 40." in result.output
    report = tmp_path / "exercice" / "rapports" / "correction-marie-dupont.html"
    assert f"Correction écrite : {report}" in result.output
    first = report.read_bytes()
    assert runner.invoke(app, ["formation", "corriger", str(workbook), "-q"]).exit_code == 0
    assert report.read_bytes() == first
    doc = lxml.html.document_fromstring(first.decode("utf-8"))
    cells = {a.get("href"): " ".join(a.text_content().split()) for a in doc.xpath('//table[@class="matrice"]//td/a')}
    assert cells["#delta-calendrier_actions"] == "2 / 4 (−2)"
    assert cells["#gamma-partage_gains"] == "2 / 0 (+2)"
    assert cells["#alpha-axes_couverts"] == "4 / 4 (0)"
    # 38 of 40 exact, mean gap 4/40
    assert "0,10 niveau" in doc.xpath('//p[@class="verdict"]')[0].text_content()


def test_date_and_output_options(tmp_path: Path) -> None:
    workbook = exercise(tmp_path)
    fill_like_the_reference(workbook)
    target = tmp_path / "retour.html"
    result = runner.invoke(app, ["formation", "corriger", str(workbook), "--sortie", str(target), "--date",
                                 "2026-12-01", "-q"])
    assert result.exit_code == 0, result.output
    assert "2026-12-01" in target.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["formation", "corriger", str(workbook), "--date", "01/12/2026"])
    assert bad.exit_code == 1 and "AAAA-MM-JJ" in bad.output


def test_tampered_workbook_is_refused_with_sheet_and_cell(tmp_path: Path) -> None:
    workbook = exercise(tmp_path)
    fill_like_the_reference(workbook)
    wb = load_workbook(workbook)
    wb["alpha"]["E8"] = "0 — Absent : tout vaut 4"
    wb.save(workbook)
    result = runner.invoke(app, ["formation", "corriger", str(workbook)])
    assert result.exit_code == 1
    assert "feuille « alpha », cellule E8" in result.output
    assert not (tmp_path / "exercice" / "rapports").exists()


def test_workbook_without_exercise_sheet_is_refused(tmp_path: Path) -> None:
    workbook = exercise(tmp_path)
    other = tmp_path / "autre.xlsx"
    wb = load_workbook(workbook)
    del wb["_exercice"]
    wb.save(other)
    result = runner.invoke(app, ["formation", "corriger", str(other), "--dossier", str(workbook.parent.parent)])
    assert result.exit_code == 1
    assert "pas un classeur d'exercice" in result.output and "feuille « _exercice »" in result.output


def test_existing_exercise_is_not_overwritten(tmp_path: Path) -> None:
    workbook = exercise(tmp_path)
    fill_like_the_reference(workbook)
    filled = workbook.read_bytes()
    again = runner.invoke(app, ["formation", "exercice", SAMPLE, "--stagiaire", "Marie Dupont", "--sans-aide",
                                "--sortie", str(tmp_path / "exercice")])
    assert again.exit_code == 1 and "--remplacer" in again.output
    assert workbook.read_bytes() == filled
    exercise(tmp_path, "--remplacer")
    assert workbook.read_bytes() != filled

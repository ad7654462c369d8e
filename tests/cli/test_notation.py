"""`evaluation notation …` end to end, and an import killed mid-way leaves the store wholly old or new."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.scoring.importing import CRASH_ENV
from evaluation.store import Store

runner = CliRunner()

CONSULTATION = """reference: 2026-TEST-06
objet: Restauration collective
acheteur: Ville d'Essai
grille: attribution-complete.v1
axes: [emballages_dechets]
offres:
  alpha: {soumissionnaire: Alpha SAS, prix: 100000.00}
  beta: {soumissionnaire: Beta SARL, prix: 120000.00}
evaluateurs: [A. Martin, B. Durand]
"""
PLAN = ("objectifs_indicateurs", "actions_moyens", "calendrier_actions", "depassement_reglementaire",
        "axes_couverts", "partage_gains")
ROWS = range(6, 14)  # the eight sub-criteria of an offer sheet
TEXT = "Réponse précise et vérifiable dans le mémoire."


def offer(name: str) -> dict[str, Any]:
    flag = {"valeur": False, "preuves": []}
    return {
        "soumissionnaire": name, "a_verifier": False,
        "documents": [{"fichier": "offres/x/memoire.txt", "sha256": "a" * 64, "statut": "ok", "motif": None,
                       "pages": None, "mots": 10}],
        "elements": {}, "axes": {}, "planning_precis": flag, "depassement_reglementaire": flag,
        "conformite_seule": flag, "engagement": {"valeur": "ferme", "preuves": []},
        "niveaux_suggeres": {s: {"niveau": 2, "explication": "Suggestion.", "preuves": []} for s in PLAN},
    }


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    for name in ("alpha", "beta"):
        (tmp_path / "offres" / name).mkdir(parents=True)
    (tmp_path / "resultats").mkdir()
    (tmp_path / "resultats" / "analyse.json").write_text(json.dumps({
        "reference": "2026-TEST-06", "grille": "attribution-complete.v1",
        "versions": {"outil": "0.1.0", "grille": "attribution-complete.v1", "modele": "aucun"},
        "axes_demandes": ["emballages_dechets"],
        "offres": {"alpha": offer("Alpha SAS"), "beta": offer("Beta SARL")},
    }), encoding="utf-8")
    return tmp_path


def fill(path: Path, levels: dict[str, int], text: str = TEXT) -> None:
    wb = load_workbook(path)
    for sheet, level in levels.items():
        for row in ROWS:
            wb[sheet].cell(row=row, column=8).value = level
            wb[sheet].cell(row=row, column=9).value = text
    wb.save(path)


def exported(folder: Path) -> tuple[Path, Path]:
    result = runner.invoke(app, ["notation", "exporter", str(folder)])
    assert result.exit_code == 0, result.output
    return folder / "notation" / "a-martin.xlsx", folder / "notation" / "b-durand.xlsx"


def ranking(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "resultats" / "classement.json").read_text(encoding="utf-8"))
    return data


def test_export_then_reexport_unchanged(folder: Path) -> None:
    result = runner.invoke(app, ["notation", "exporter", str(folder), "--evaluateur", "A. Martin"])
    assert result.exit_code == 0, result.output
    assert "Classeur de A. Martin" in result.output and not (folder / "notation" / "b-durand.xlsx").exists()
    again = runner.invoke(app, ["notation", "exporter", str(folder), "--evaluateur", "A. Martin"])
    assert "(inchangé)" in again.output


def test_unknown_evaluator_exits_1(folder: Path) -> None:
    result = runner.invoke(app, ["notation", "exporter", str(folder), "--evaluateur", "Z. Inconnu"])
    assert result.exit_code == 1
    assert "Erreur :" in result.output and "non déclaré" in result.output


def test_import_writes_the_commission_ranking_and_the_report_shows_it(folder: Path) -> None:
    martin, durand = exported(folder)
    fill(martin, {"alpha": 4, "beta": 2})
    fill(durand, {"alpha": 4, "beta": 3})
    result = runner.invoke(app, ["notation", "importer", str(folder), str(martin), str(durand)])
    assert result.exit_code == 0, result.output
    assert "16 note(s) ajoutée(s)" in result.output and "Classement établi" in result.output
    data = ranking(folder)
    assert data["source_des_notes"] == "evaluateurs" and data["provisoire"] is False
    alpha, beta = data["offres"]["alpha"], data["offres"]["beta"]
    assert (alpha["total"], alpha["rang"], beta["rang"]) == ("100.00", 1, 2)
    # beta: technical 60 x 5/2 / 4 = 37.5, price 40 x 100/120 = 33.33
    assert beta["total"] == "70.83"
    report = runner.invoke(app, ["rapport", str(folder), "--format", "html", "-q"])
    assert report.exit_code == 0, report.output
    assert ranking(folder) == data
    html = (folder / "rapports" / "rapport-analyse-offres.html").read_text(encoding="utf-8")
    assert "Évaluateurs" in html and "2,50 (agrégat des évaluateurs)" in html
    # every beta level is a 2.5 aggregate: scored, never shown as « non noté »
    rows = lxml.html.fromstring(html).xpath('//section[@id="synthese"]//table//tbody/tr')
    assert rows and not any("non noté" in row.text_content() for row in rows)


def test_refused_workbook_names_the_cell_and_keeps_the_good_one(folder: Path) -> None:
    martin, durand = exported(folder)
    fill(martin, {"alpha": 3, "beta": 3})
    fill(durand, {"alpha": 3, "beta": 3})
    wb = load_workbook(durand)
    wb["beta"]["H8"].value = "14,5"
    wb.save(durand)
    result = runner.invoke(app, ["notation", "importer", str(folder), str(martin), str(durand)])
    assert result.exit_code == 1
    assert "[feuille « beta », cellule H8] texte « 14,5 » au lieu d'un nombre" in result.output
    assert f"Classeur refusé en entier, aucune note enregistrée : {durand}" in result.output
    with Store.open(folder / "consultation.db") as store:
        assert {n.evaluateur for n in store.notes()} == {"A. Martin"}
    assert ranking(folder)["provisoire"] is True  # B. Durand's scores are missing


def test_consensus_then_status(folder: Path) -> None:
    martin, durand = exported(folder)
    fill(martin, {"alpha": 1, "beta": 3})
    fill(durand, {"alpha": 4, "beta": 3})
    assert runner.invoke(app, ["notation", "importer", str(folder), str(martin), str(durand)]).exit_code == 0
    status = runner.invoke(app, ["notation", "etat", str(folder)])
    assert status.exit_code == 0
    assert "methodologie : A. Martin 1, B. Durand 4 ; moyenne 2,5 ; DÉSACCORD : consensus à arrêter" in status.output
    assert "8 désaccord(s) sans consensus" in status.output
    result = runner.invoke(app, ["notation", "consensus", str(folder), "--offre", "alpha", "--sous-critere",
                                 "methodologie", "--niveau", "3", "--justification",
                                 "Méthode précise mais planning à consolider.", "--auteur", "La présidente"])
    assert result.exit_code == 0, result.output
    assert "Note de consensus enregistrée" in result.output
    sub = ranking(folder)["offres"]["alpha"]["notes"]["valeur_technique"]["sous_criteres"]["methodologie"]
    assert (sub["source"], sub["niveau"], sub["consensus"]["auteur"]) == ("consensus", 3, "La présidente")
    assert set(sub["evaluateurs"]) == {"A. Martin", "B. Durand"}
    data = json.loads(runner.invoke(app, ["notation", "etat", str(folder), "--json"]).stdout)
    cell = next(c for c in data if c["offre"] == "alpha" and c["sous_critere"] == "methodologie")
    assert cell["consensus"]["niveau"] == 3 and cell["desaccord"] is True


def test_consensus_with_bad_level_exits_1(folder: Path) -> None:
    result = runner.invoke(app, ["notation", "consensus", str(folder), "--offre", "alpha", "--sous-critere",
                                 "methodologie", "--niveau", "9", "--justification", "RAS"])
    assert result.exit_code == 1
    assert "[--niveau] niveau 9 hors de l'échelle (0 à 4)" in result.output
    assert "[--justification] justification « RAS » sans contenu" in result.output


# ---------------------------------------------------------------- an import killed mid-way


def run_killed(folder: Path, workbook: Path, point: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, CRASH_ENV: point}
    return subprocess.run(
        [sys.executable, "-c", "from evaluation.cli import main; main()", "notation", "importer", str(folder),
         str(workbook)], env=env, capture_output=True, text=True, timeout=120, check=False)


def snapshot(folder: Path) -> tuple[list[Any], int, list[str]]:
    with Store.open(folder / "consultation.db") as store:
        return store.notes(), len(store.events()), store.check()


def test_import_killed_mid_transaction_leaves_the_old_store(folder: Path) -> None:
    martin, _ = exported(folder)
    fill(martin, {"alpha": 2, "beta": 2})
    assert runner.invoke(app, ["notation", "importer", str(folder), str(martin)]).exit_code == 0
    before = snapshot(folder)
    fill(martin, {"alpha": 4, "beta": 1}, text="Nouvelle appréciation après relecture du mémoire.")
    killed = run_killed(folder, martin, "import-mid-transaction")
    assert killed.returncode == 70, killed.stderr
    after = snapshot(folder)
    assert after == before and after[2] == []
    with Store.open(folder / "consultation.db") as store:
        assert {n.niveau for n in store.notes()} == {2}
        (integrity,) = store.conn.execute("PRAGMA integrity_check").fetchone()
        assert integrity == "ok" and store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_import_killed_after_commit_leaves_the_whole_new_store(folder: Path) -> None:
    martin, _ = exported(folder)
    fill(martin, {"alpha": 4, "beta": 1})
    killed = run_killed(folder, martin, "import-after-commit")
    assert killed.returncode == 70, killed.stderr
    notes, _events, problems = snapshot(folder)
    assert problems == [] and len(notes) == 16
    assert {(n.offre, n.niveau) for n in notes} == {("alpha", 4), ("beta", 1)}
    again = runner.invoke(app, ["notation", "importer", str(folder), str(martin)])
    assert "0 note(s) ajoutée(s), 0 modifiée(s), 16 inchangée(s)" in again.output

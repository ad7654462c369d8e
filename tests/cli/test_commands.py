"""Commands on small consultations: bad input gets a French message and exit 1; bad documents never stop a run."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.settings import data_dir

runner = CliRunner()

GOOD = """Plan de progrès

Nous nous engageons à remplacer les cartons par des bacs réutilisables consignés pour 80 % des livraisons à M+12.

Nous réduirons de 30 % les émissions de CO2 de nos tournées de livraison d'ici fin 2027
grâce à deux véhicules électriques.

Les économies réalisées sur les emballages seront partagées à parts égales avec l'acheteur
lors de chaque bilan semestriel.
"""

CONSULTATION = """reference: 2026-TEST-02
objet: Essai
acheteur: Ville d'Essai
grille: plan-de-progres-dae.v1
axes: [emballages_dechets, transport_logistique]
offres:
  alpha: {soumissionnaire: Alpha SAS}
  beta: {soumissionnaire: Beta SARL}
  gamma: {soumissionnaire: Gamma SA}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    for offer in ("alpha", "beta", "gamma"):
        (tmp_path / "offres" / offer).mkdir(parents=True)
    (tmp_path / "offres" / "alpha" / "memoire.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "offres" / "beta" / "memoire.docx").write_bytes(b"%PDF-1.4 ceci n'est pas un document Word")
    (tmp_path / "offres" / "gamma" / "memoire.txt").write_text(GOOD.replace("Nous", "Notre société"),
                                                                 encoding="utf-8")
    (tmp_path / "offres" / "gamma" / "annexe.txt").write_bytes(b"")
    return tmp_path


def test_broken_documents_never_stop_the_others(folder: Path) -> None:
    result = runner.invoke(app, ["analyser", str(folder)])
    assert result.exit_code == 0, result.output
    assert "offres/beta/memoire.docx [rejete]" in result.output
    assert "fichier PDF renommé" in result.output
    analysis = json.loads((folder / "resultats" / "analyse.json").read_text(encoding="utf-8"))
    alpha, beta, gamma = (analysis["offres"][k] for k in ("alpha", "beta", "gamma"))
    assert alpha["a_verifier"] is False and alpha["elements"]["partage_gains"]["present"] is True
    assert beta["a_verifier"] is True and beta["documents"][0]["statut"] == "rejete"
    assert gamma["a_verifier"] is True  # the empty annex
    assert gamma["axes"]["emballages_dechets"]["couvert"] is True  # its readable mémoire is still analysed


def test_unreadable_offer_is_not_scored_zero(folder: Path) -> None:
    assert runner.invoke(app, ["analyser", str(folder), "-q"]).exit_code == 0
    result = runner.invoke(app, ["rapport", str(folder), "-q"])
    assert result.exit_code == 0, result.output
    ranking = json.loads((folder / "resultats" / "classement.json").read_text(encoding="utf-8"))
    assert ranking["offres"]["beta"]["rang"] is None
    assert any("beta" in w and "aucun document lisible" in w for w in ranking["avertissements"])
    assert ranking["offres"]["alpha"]["rang"] is not None


def test_json_summary_on_stdout(folder: Path) -> None:
    result = runner.invoke(app, ["analyser", str(folder), "--json"])
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["offres"]["beta"]["problemes"][0]["statut"] == "rejete"


def test_unknown_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyser", str(tmp_path / "absent")])
    assert result.exit_code == 1
    assert "Erreur" in result.output and "dossier de consultation introuvable" in result.output


def test_invalid_consultation_yaml_is_located(folder: Path) -> None:
    text = CONSULTATION.replace("axes: [emballages_dechets, transport_logistique]", "axes: [emballages]")
    (folder / "consultation.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["analyser", str(folder)])
    assert result.exit_code == 1
    assert "consultation.yaml:5 : [axes -> 0] axe « emballages » inconnu du catalogue" in result.output
    assert not (folder / "resultats").exists()


def test_report_without_analysis(folder: Path) -> None:
    result = runner.invoke(app, ["rapport", str(folder)])
    assert result.exit_code == 1
    assert "aucune analyse trouvée" in result.output and "evaluation analyser" in result.output


def test_report_unknown_format(folder: Path) -> None:
    result = runner.invoke(app, ["rapport", str(folder), "--format", "odt"])
    assert result.exit_code == 1
    assert "format(s) inconnu(s) : odt" in result.output


def test_usage_error_exit_code_two() -> None:
    assert runner.invoke(app, ["analyser"]).exit_code == 2


def test_grid_check_command(tmp_path: Path) -> None:
    good = data_dir("grids") / "lyon-4-axes.v1.yaml"
    bad = tmp_path / "mauvaise.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("poids: 60", "poids: 65"), encoding="utf-8")
    result = runner.invoke(app, ["grille", "verifier", str(good), str(bad)])
    assert result.exit_code == 1
    assert "grille lyon-4-axes.v1 valide" in result.output
    assert "mauvaise.yaml:" in result.output and "totalisent 105 au lieu de 100" in result.output


def test_grid_list_and_show() -> None:
    listed = runner.invoke(app, ["grille", "lister"])
    assert listed.exit_code == 0
    assert listed.output.splitlines()[0].startswith("attribution-complete.v1")
    shown = runner.invoke(app, ["grille", "afficher", "plan-de-progres-dae.v1"])
    assert shown.exit_code == 0
    expected = "Modalités de partage des gains [partage_gains] — 10 % du critère — signal : element (partage_gains)"
    assert expected in shown.output


def test_init_creates_a_valid_consultation(tmp_path: Path) -> None:
    target = tmp_path / "nouvelle"
    result = runner.invoke(app, ["initialiser", str(target), "--reference", "2027-ESSAI"])
    assert result.exit_code == 0, result.output
    assert (target / "offres").is_dir()
    again = runner.invoke(app, ["initialiser", str(target)])
    assert again.exit_code == 1 and "existe déjà" in again.output
    analysed = runner.invoke(app, ["analyser", str(target), "-q"])
    assert analysed.exit_code == 0, analysed.output


def test_oversized_document_is_listed_and_stored(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluation import settings

    (folder / "offres" / "beta" / "memoire.docx").unlink()
    (folder / "offres" / "beta" / "enorme.txt").write_text(GOOD * 40, encoding="utf-8")
    monkeypatch.setattr(settings, "MAX_DOCUMENT_BYTES", 2000)
    result = runner.invoke(app, ["analyser", str(folder)])
    assert result.exit_code == 0, result.output
    assert "offres/beta/enorme.txt [rejete] fichier trop volumineux" in result.output
    with sqlite3.connect(folder / "consultation.db") as conn:
        rows = conn.execute("SELECT statut FROM documents WHERE offre = 'beta'").fetchall()
    assert rows == [("rejete",)]


def test_report_date_must_be_iso(folder: Path) -> None:
    assert runner.invoke(app, ["analyser", str(folder), "-q"]).exit_code == 0
    result = runner.invoke(app, ["rapport", str(folder), "--date", "hier"])
    assert result.exit_code == 1
    assert "date invalide « hier »" in result.output and "AAAA-MM-JJ" in result.output
    assert not (folder / "rapports").exists()

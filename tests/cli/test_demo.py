"""The demo end to end: copy the sample, analyse, score, report; contract of analyse.json."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from typer.testing import CliRunner

from evaluation.cli import app
from evaluation.ingest import read_document
from evaluation.model import ELEMENT_IDS

runner = CliRunner()

DOCUMENT_KEYS = {"fichier", "sha256", "statut", "motif", "pages", "mots"}
OFFER_KEYS = {"documents", "elements", "axes", "planning_precis", "depassement_reglementaire",
              "conformite_seule", "engagement", "niveaux_suggeres"}
EVIDENCE_KEYS = {"texte", "fichier", "page", "paragraphe"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "consultation"
    result = runner.invoke(app, ["demo", "--sortie", str(out), "--date", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "rapport-analyse-offres.html" in result.output
    return out


@pytest.fixture(scope="module")
def analysis(demo: Path) -> dict[str, Any]:
    return json.loads((demo / "resultats" / "analyse.json").read_text(encoding="utf-8"))


def test_demo_writes_results_and_reports(demo: Path) -> None:
    for name in ("resultats/analyse.json", "resultats/classement.json", "rapports/rapport-analyse-offres.html",
                 "rapports/rapport-analyse-offres.xlsx", "consultation.db"):
        assert (demo / name).is_file(), name


def test_analysis_contract_keys(analysis: dict[str, Any]) -> None:
    assert set(analysis["offres"]) == {"alpha", "beta", "gamma", "delta", "epsilon"}
    for offer in analysis["offres"].values():
        assert set(offer) >= OFFER_KEYS
        for document in offer["documents"]:
            assert set(document) == DOCUMENT_KEYS
            assert document["statut"] in {"ok", "partiel", "rejete", "sans_texte"}
        assert list(offer["elements"]) == list(ELEMENT_IDS)
        for element in offer["elements"].values():
            assert {"present", "confiance", "preuves"} <= set(element)
        for axis in offer["axes"].values():
            assert {"couvert", "confiance", "preuves"} <= set(axis)
        for flag in ("planning_precis", "depassement_reglementaire", "conformite_seule", "engagement"):
            assert set(offer[flag]) == {"valeur", "preuves"}
        assert offer["engagement"]["valeur"] in {"ferme", "conditionnel", "vague"}
        for level in offer["niveaux_suggeres"].values():
            assert isinstance(level["niveau"], int) and level["explication"]


def _all_evidence(offer: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, element in offer["elements"].items():
        if element["present"]:
            found += [(name, e) for e in element["preuves"]]
    for name, axis in offer["axes"].items():
        if axis["couvert"]:
            found += [(name, e) for e in axis["preuves"]]
    for flag in ("planning_precis", "depassement_reglementaire", "conformite_seule"):
        found += [(flag, e) for e in offer[flag]["preuves"]]
    return found


def test_every_true_flag_has_evidence_found_in_the_document(demo: Path, analysis: dict[str, Any]) -> None:
    for offer in analysis["offres"].values():
        for name, element in offer["elements"].items():
            assert element["present"] == bool(element["preuves"]), name
        for name, axis in offer["axes"].items():
            assert not axis["couvert"] or axis["preuves"], name
        for flag in ("planning_precis", "depassement_reglementaire", "conformite_seule"):
            assert not offer[flag]["valeur"] or offer[flag]["preuves"], flag
        blocks = {}
        for document in offer["documents"]:
            read = read_document(demo / document["fichier"], demo)
            blocks.update({(read.fichier, b.paragraphe): b.texte for b in read.blocs})
        for name, evidence in _all_evidence(offer):
            assert set(evidence) == EVIDENCE_KEYS
            quoted = evidence["texte"].removesuffix(" […]")
            assert quoted in blocks[(evidence["fichier"], evidence["paragraphe"])], name


def test_documents_identified_by_sha256(demo: Path, analysis: dict[str, Any]) -> None:
    for offer in analysis["offres"].values():
        for document in offer["documents"]:
            digest = hashlib.sha256((demo / document["fichier"]).read_bytes()).hexdigest()
            assert document["sha256"] == digest


def test_suggestions_follow_the_sample_quality(analysis: dict[str, Any], demo: Path) -> None:
    ranking = json.loads((demo / "resultats" / "classement.json").read_text(encoding="utf-8"))
    plan = {k: float(o["notes"]["plan_progres"]["points"]) for k, o in ranking["offres"].items()}
    assert plan["alpha"] > plan["beta"] > plan["gamma"]
    alpha, gamma = analysis["offres"]["alpha"], analysis["offres"]["gamma"]
    assert alpha["planning_precis"]["valeur"] and alpha["depassement_reglementaire"]["valeur"]
    assert gamma["conformite_seule"]["valeur"] and not gamma["depassement_reglementaire"]["valeur"]
    assert gamma["elements"]["partage_gains"]["present"] is False  # "Nous ne proposons pas de partage des gains"


def test_ranking_contract(demo: Path) -> None:
    ranking = json.loads((demo / "resultats" / "classement.json").read_text(encoding="utf-8"))
    assert ranking["provisoire"] is True
    gamma = ranking["offres"]["gamma"]
    assert gamma["prix"]["anormalement_bas"] is True and gamma["prix"]["regle"]
    for offer in ranking["offres"].values():
        assert offer["total"].count(".") == 1 and len(offer["total"].split(".")[1]) == 2
        assert {"notes", "prix", "total", "rang"} <= set(offer)
    assert sorted(o["rang"] for o in ranking["offres"].values()) == [1, 2, 3, 4, 5]
    assert any("R2152-3" in w for w in ranking["avertissements"])


def test_html_report_names_every_bidder(demo: Path) -> None:
    page = lxml.html.parse(str(demo / "rapports" / "rapport-analyse-offres.html")).getroot()
    text = " ".join(page.text_content().split())
    for name in ("Textiles Ardaine SAS", "Confections Lemarquis et Fils SARL", "Groupe Vestalis Distribution SA"):
        assert name in text
    assert "1 décembre 2026" in text or "1er décembre 2026" in text


def test_store_records_documents_and_events(demo: Path) -> None:
    with sqlite3.connect(demo / "consultation.db") as conn:
        documents = conn.execute("SELECT offre, statut FROM documents ORDER BY offre").fetchall()
        actions = {row[0] for row in conn.execute("SELECT action FROM evenements")}
    assert documents == [("alpha", "ok"), ("beta", "ok"), ("delta", "ok"), ("epsilon", "ok"), ("gamma", "ok")]
    assert {"offre.ajout", "document.ajout", "analyse.ajout"} <= actions


def test_reports_are_reproducible(demo: Path) -> None:
    reports = demo / "rapports"
    before = {str(p.relative_to(reports)): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    assert "lettres/beta.docx" in before  # the letters are reports too
    ranking = (demo / "resultats" / "classement.json").read_bytes()
    result = runner.invoke(app, ["rapport", str(demo), "--date", "2026-12-01", "--quiet"])
    assert result.exit_code == 0, result.output
    assert {str(p.relative_to(reports)): p.read_bytes() for p in reports.rglob("*") if p.is_file()} == before
    assert (demo / "resultats" / "classement.json").read_bytes() == ranking


def test_demo_refuses_to_overwrite_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "important.txt").write_text("ne pas effacer", encoding="utf-8")
    result = runner.invoke(app, ["demo", "--sortie", str(tmp_path)])
    assert result.exit_code == 1
    assert "n'est pas une démonstration précédente" in result.output
    assert (tmp_path / "important.txt").read_text(encoding="utf-8") == "ne pas effacer"


def test_unscored_criterion_is_not_shown_as_zero(demo: Path) -> None:
    import openpyxl

    page = lxml.html.parse(str(demo / "rapports" / "rapport-analyse-offres.html")).getroot()
    rows = page.xpath('//section[@id="synthese"]//table//tbody/tr')
    assert rows and all("non noté" in " ".join(r.text_content().split()) for r in rows)
    sheet = openpyxl.load_workbook(demo / "rapports" / "rapport-analyse-offres.xlsx")["Synthèse"]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header) if str(h).startswith("Valeur technique"))
    assert {row[column] for row in sheet.iter_rows(min_row=2, max_row=6, values_only=True)} == {"non noté"}

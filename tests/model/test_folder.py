"""Consultation folder: consultation.yaml checked with located errors; offers discovered."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from evaluation.errors import ConsultationError, GridError
from evaluation.model.folder import open_folder

CONSULTATION = """\
reference: 2026-TEST-01
objet: Essai
acheteur: Ville d'Essai
grille: plan-de-progres-dae.v1
axes: [decarbonation, emballages_dechets]
offres:
  alpha: {soumissionnaire: Alpha SAS, prix: 1000.50}
evaluateurs: [A. Martin]
"""


def make(tmp_path: Path, text: str = CONSULTATION) -> Path:
    (tmp_path / "consultation.yaml").write_text(text, encoding="utf-8")
    for offer in ("alpha", "beta"):
        (tmp_path / "offres" / offer).mkdir(parents=True)
        (tmp_path / "offres" / offer / "memoire.txt").write_text("Texte.", encoding="utf-8")
    return tmp_path


def test_offers_discovered_and_declared(tmp_path: Path) -> None:
    folder = open_folder(make(tmp_path))
    assert [o.id for o in folder.offers] == ["alpha", "beta"]
    assert folder.offers[0].soumissionnaire == "Alpha SAS"
    assert folder.offers[0].prix == Decimal("1000.50")
    assert folder.offers[1].soumissionnaire == "beta"
    assert [p.name for p in folder.offers[0].files] == ["memoire.txt"]
    assert [a.id for a in folder.axes] == ["decarbonation", "emballages_dechets"]


def test_hidden_and_lock_files_ignored(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "offres" / "alpha" / ".DS_Store").write_bytes(b"x")
    (root / "offres" / "alpha" / "~$memoire.docx").write_bytes(b"x")
    folder = open_folder(root)
    assert [p.name for p in folder.offers[0].files] == ["memoire.txt"]


def test_declared_offer_without_folder_is_kept_with_warning(tmp_path: Path) -> None:
    root = make(tmp_path, CONSULTATION.replace("offres:\n", "offres:\n  gamma: {soumissionnaire: Gamma}\n"))
    folder = open_folder(root)
    gamma = next(o for o in folder.offers if o.id == "gamma")
    assert gamma.files == ()
    assert any("gamma" in w for w in folder.warnings)


def test_unknown_axis_located(tmp_path: Path) -> None:
    root = make(tmp_path, CONSULTATION.replace("emballages_dechets]", "licornes]"))
    with pytest.raises(ConsultationError) as info:
        open_folder(root)
    problem = info.value.problems[0]
    assert problem.ligne == 5 and problem.champ == "axes -> 1"
    assert "licornes" in problem.raison


def test_custom_axis_accepted(tmp_path: Path) -> None:
    custom = ("axes:\n  - decarbonation\n  - {id: circuits_courts, libelle: Circuits courts, "
              "description: Approvisionnement local., termes: [circuit court, producteur local]}\n")
    root = make(tmp_path, CONSULTATION.replace("axes: [decarbonation, emballages_dechets]\n", custom))
    folder = open_folder(root)
    assert [a.id for a in folder.axes] == ["decarbonation", "circuits_courts"]


def test_unknown_grid_points_at_consultation_line(tmp_path: Path) -> None:
    root = make(tmp_path, CONSULTATION.replace("plan-de-progres-dae.v1", "grille-fantome.v1"))
    with pytest.raises(GridError) as info:
        open_folder(root)
    problem = info.value.problems[0]
    assert problem.fichier is not None and problem.fichier.endswith("consultation.yaml")
    assert problem.ligne == 4 and problem.champ == "grille"


def test_negative_price_refused(tmp_path: Path) -> None:
    root = make(tmp_path, CONSULTATION.replace("prix: 1000.50", "prix: -3"))
    with pytest.raises(ConsultationError) as info:
        open_folder(root)
    assert info.value.problems[0].champ == "offres -> alpha -> prix"
    assert info.value.problems[0].ligne == 7


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ConsultationError, match="dossier de consultation introuvable"):
        open_folder(tmp_path / "nulle-part")


def test_missing_consultation_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConsultationError, match=r"consultation\.yaml absent"):
        open_folder(tmp_path)

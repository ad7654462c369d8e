"""Import of filled workbooks: full round trip, every bad workbook refused with its cell named, idempotence."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from evaluation.model import AnalysisResult
from evaluation.model.folder import ConsultationFolder
from evaluation.scoring import compute_ranking, fmt, load_commission_scores
from evaluation.scoring.importing import WorkbookError, import_workbook
from evaluation.scoring.workbook import export_workbooks
from evaluation.store import Store

from .factories import CONSULTATION, ROW, SUBS, all_scores, fill, make_folder

TEXT = "Réponse précise et vérifiable dans le mémoire."


@pytest.fixture
def workbooks(folder: ConsultationFolder, analysis: AnalysisResult, store: Store) -> tuple[Path, Path]:
    martin, durand = export_workbooks(folder, analysis, store)
    return martin.path, durand.path


def test_full_round_trip(folder: ConsultationFolder, analysis: AnalysisResult, store: Store,
                         workbooks: tuple[Path, Path]) -> None:
    martin, durand = workbooks
    fill(martin, {(o, s): (level, TEXT) for o, level in {"alpha": 2, "beta": 3, "gamma": 4}.items() for s in SUBS})
    fill(durand, {(o, s): (level, TEXT) for o, level in {"alpha": 3, "beta": 3, "gamma": 4}.items() for s in SUBS})
    first = import_workbook(folder, martin, store, auteur="secretariat")
    assert (first.evaluateur, first.ajoutees, first.modifiees, first.vides) == ("A. Martin", 24, 0, 0)
    import_workbook(folder, durand, store, auteur="secretariat")
    ranking = compute_ranking(folder, analysis, load_commission_scores(store))
    # Technical 60 x mean / 4: alpha 60 x 5/8, beta 45, gamma 60; price 40, 40 x 10/11, 40 x 2/3.
    expected = {"alpha": Fraction(75, 2) + 40, "beta": 45 + Fraction(400, 11), "gamma": 60 + Fraction(80, 3)}
    assert {k: o.total for k, o in ranking.offres.items()} == {k: fmt(v) for k, v in expected.items()}
    assert {k: o.rang for k, o in ranking.offres.items()} == {"gamma": 1, "beta": 2, "alpha": 3}
    assert not ranking.provisoire and ranking.source_des_notes == "evaluateurs"
    methodologie = ranking.offres["alpha"].notes["valeur_technique"].sous_criteres["methodologie"]
    assert methodologie.niveau_agrege == "2.50" and set(methodologie.evaluateurs) == {"A. Martin", "B. Durand"}
    assert store.check() == []


def test_reimport_changes_nothing(folder: ConsultationFolder, store: Store, workbooks: tuple[Path, Path]) -> None:
    martin, _ = workbooks
    fill(martin, all_scores(3))
    import_workbook(folder, martin, store)
    notes, events = store.notes(), store.events()
    again = import_workbook(folder, martin, store)
    assert (again.ajoutees, again.modifiees, again.inchangees) == (0, 0, 24)
    assert store.notes() == notes and store.events() == events


def test_changed_score_is_journaled_with_before_and_after(folder: ConsultationFolder, store: Store,
                                                          workbooks: tuple[Path, Path]) -> None:
    martin, _ = workbooks
    fill(martin, all_scores(3))
    import_workbook(folder, martin, store)
    fill(martin, {("beta", "methodologie"): (1, "Méthode générique, sans rapport avec nos locaux.")})
    result = import_workbook(folder, martin, store, auteur="secretariat")
    assert (result.ajoutees, result.modifiees, result.inchangees) == (0, 1, 23)
    change = next(e for e in store.events() if e.action == "note.modification")
    assert (change.objet, change.auteur) == ("notes/beta/methodologie/A. Martin", "secretariat")
    assert json.loads(change.avant or "") == {"niveau": 3, "justification": TEXT}
    assert json.loads(change.apres or "")["niveau"] == 1
    summary = store.events()[-1]
    assert summary.action == "notation.import" and json.loads(summary.apres or "")["modifiees"] == 1


def test_emptied_cell_never_deletes_a_score(folder: ConsultationFolder, store: Store,
                                            workbooks: tuple[Path, Path]) -> None:
    martin, _ = workbooks
    fill(martin, all_scores(3))
    import_workbook(folder, martin, store)
    fill(martin, {("alpha", "methodologie"): (None, None)})
    result = import_workbook(folder, martin, store)
    assert (result.vides, result.conservees) == (1, 1)
    assert len(store.notes()) == 24


def test_partly_filled_workbook_is_accepted(folder: ConsultationFolder, store: Store,
                                            workbooks: tuple[Path, Path]) -> None:
    martin, _ = workbooks
    fill(martin, {("alpha", "methodologie"): (2, TEXT)})
    result = import_workbook(folder, martin, store)
    assert (result.ajoutees, result.vides) == (1, 23)


# ---------------------------------------------------------------- refused workbooks

Mutation = Callable[[Any], None]


def level(sheet: str, sub: str, value: object) -> Mutation:
    def mutate(wb: Any) -> None:
        wb[sheet].cell(row=ROW[sub], column=8).value = value
    return mutate


def justification(sheet: str, sub: str, value: object) -> Mutation:
    def mutate(wb: Any) -> None:
        wb[sheet].cell(row=ROW[sub], column=9).value = value
    return mutate


def swap_offer_names(wb: Any) -> None:
    alpha, beta = wb["alpha"], wb["beta"]
    alpha.protection.sheet = beta.protection.sheet = False
    alpha["A1"].value, beta["A1"].value = beta["A1"].value, alpha["A1"].value


def swap_sheets(wb: Any) -> None:
    wb.security = None
    wb["alpha"].title, wb["beta"].title = "tmp", "alpha"
    wb["tmp"].title = "beta"


def insert_row(wb: Any) -> None:
    wb["beta"].protection.sheet = False
    wb["beta"].insert_rows(7)


def delete_row(wb: Any) -> None:
    wb["beta"].delete_rows(7)


def rename_sheet(wb: Any) -> None:
    wb["gamma"].title = "offre gamma"


def edit_descriptor(wb: Any) -> None:
    wb["alpha"]["E7"].value = "0 — Absent : tout le monde a 4."


def meta(row: int, value: str) -> Mutation:
    def mutate(wb: Any) -> None:
        wb["_meta"].cell(row=row, column=2).value = value
    return mutate


BAD = {
    "formule": (level("alpha", "methodologie", "=2+2"), "alpha", "H6", "formule interdite"),
    "texte_14_5": (level("alpha", "methodologie", "14,5"), "alpha", "H6", "texte « 14,5 » au lieu d'un nombre"),
    "texte_chiffre": (level("beta", "partage_gains", "3"), "beta", "H13", "texte « 3 » au lieu d'un nombre"),
    "hors_echelle": (level("alpha", "actions_moyens", 5), "alpha", "H9", "niveau 5 hors de l'échelle (0 à 4)"),
    "negatif": (level("alpha", "actions_moyens", -1), "alpha", "H9", "hors de l'échelle"),
    "tres_loin": (level("gamma", "methodologie", 1e12), "gamma", "H6", "hors de l'échelle"),
    "non_entier": (level("alpha", "methodologie", 2.5), "alpha", "H6", "niveau 2.5 non entier"),
    "date": (level("alpha", "methodologie", dt.datetime(2026, 1, 2)), "alpha", "H6", "date"),
    "vrai": (level("alpha", "methodologie", True), "alpha", "H6", "valeur logique"),
    "justification_vide": (justification("beta", "moyens_humains", None), "beta", "I7", "justification absente"),
    "justification_ras": (justification("beta", "moyens_humains", "RAS"), "beta", "I7", "sans contenu"),
    "justification_courte": (justification("beta", "moyens_humains", "Bien vu"), "beta", "I7", "trop courte"),
    "justification_nombre": (justification("beta", "moyens_humains", 12), "beta", "I7", "texte attendu"),
    "justification_formule": (justification("beta", "moyens_humains", "=A1"), "beta", "I7", "formule interdite"),
    "niveau_absent": (level("beta", "moyens_humains", None), "beta", "H7", "niveau absent"),
    "noms_echanges": (swap_offer_names, "alpha", "A1", "cellule verrouillée modifiée"),
    "feuilles_echangees": (swap_sheets, "alpha", "A1", "« Offre « alpha » — Alpha Propreté SAS » attendu"),
    "ligne_inseree": (insert_row, "beta", "A7", "ligne(s) insérée(s) au-dessus de la ligne 7"),
    "ligne_supprimee": (delete_row, "beta", "A7", "ligne(s) supprimée(s)"),
    "descripteur": (edit_descriptor, "alpha", "E7", "cellule verrouillée modifiée"),
    "autre_consultation": (meta(2, "2026-AUTRE-99"), "_meta", "B2", "consultation « 2026-AUTRE-99 »"),
    "autre_grille": (meta(3, "plan-de-progres-dae.v1"), "_meta", "B3", "grille « plan-de-progres-dae.v1 »"),
    "evaluateur_inconnu": (meta(4, "Z. Inconnu"), "_meta", "B4", "évaluateur « Z. Inconnu » non déclaré"),
    "empreinte_modifiee": (meta(8, "0" * 64), "_meta", "B8", "empreinte inconnue"),
}


@pytest.mark.parametrize(("mutate", "sheet", "cell", "reason"), BAD.values(), ids=BAD.keys())
def test_bad_workbook_is_refused_with_the_cell_named(folder: ConsultationFolder, store: Store,
                                                     workbooks: tuple[Path, Path], mutate: Mutation, sheet: str,
                                                     cell: str, reason: str) -> None:
    martin, _ = workbooks
    fill(martin, all_scores(3))
    wb = load_workbook(martin)
    mutate(wb)
    wb.save(martin)
    events = store.events()
    with pytest.raises(WorkbookError) as caught:
        import_workbook(folder, martin, store)
    located = [p for p in caught.value.problems if p.champ == f"feuille « {sheet} », cellule {cell}"]
    assert located, [str(p) for p in caught.value.problems]
    assert reason in located[0].raison
    assert all(p.fichier == str(martin) and p.conseil for p in located)
    assert store.notes() == [] and store.events() == events  # the whole workbook is refused


def test_workbook_of_another_consultation_is_refused(tmp_path: Path, folder: ConsultationFolder,
                                                     store: Store) -> None:
    other = make_folder(tmp_path / "autre", CONSULTATION.replace("2026-TEST-05", "2026-AUTRE-01"))
    with Store.open(other.db_path) as other_store:
        [martin, _] = export_workbooks(other, None, other_store)
    fill(martin.path, all_scores(2))
    with pytest.raises(WorkbookError) as caught:
        import_workbook(folder, martin.path, store)
    [problem] = caught.value.problems
    assert problem.champ == "feuille « _meta », cellule B2"
    assert "consultation « 2026-AUTRE-01 », pas pour « 2026-TEST-05 »" in problem.raison


def test_same_reference_but_never_exported_here_is_refused(tmp_path: Path, folder: ConsultationFolder,
                                                           store: Store) -> None:
    copy = make_folder(tmp_path / "copie")  # same consultation.yaml, another store
    with Store.open(copy.db_path) as copy_store:
        [martin, _] = export_workbooks(copy, None, copy_store)
    with pytest.raises(WorkbookError, match="empreinte inconnue"):
        import_workbook(folder, martin.path, store)


@pytest.mark.parametrize(("content", "reason"), [(b"pas un classeur", "illisible"), (None, "introuvable")])
def test_unreadable_file_is_refused(folder: ConsultationFolder, store: Store, tmp_path: Path,
                                    content: bytes | None, reason: str) -> None:
    path = tmp_path / "classeur.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkbookError, match=reason):
        import_workbook(folder, path, store)


def test_foreign_workbook_is_refused(folder: ConsultationFolder, store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "autre.xlsx"
    Workbook().save(path)
    with pytest.raises(WorkbookError, match="pas un classeur de notation"):
        import_workbook(folder, path, store)

"""Evaluator workbooks: layout, protection, suggestions as plain text, fingerprint, deterministic bytes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluation.errors import ConsultationError
from evaluation.model import AnalysisResult
from evaluation.model.folder import ConsultationFolder
from evaluation.scoring.workbook import _password, export_workbooks, workbook_file_name
from evaluation.store import NoteRow, Store

from .factories import CONSULTATION, FORMULA, ROW, make_folder


@pytest.fixture
def exported(folder: ConsultationFolder, analysis: AnalysisResult, store: Store) -> Path:
    [martin, _durand] = export_workbooks(folder, analysis, store)
    return martin.path


def test_one_workbook_per_declared_evaluator(folder: ConsultationFolder, analysis: AnalysisResult,
                                             store: Store) -> None:
    written = export_workbooks(folder, analysis, store)
    assert [(w.evaluateur, w.path.relative_to(folder.root).as_posix()) for w in written] == [
        ("A. Martin", "notation/a-martin.xlsx"), ("B. Durand", "notation/b-durand.xlsx")]
    for workbook in written:
        record = store.export(workbook.empreinte)
        assert record is not None and record.evaluateur == workbook.evaluateur
    assert [e.action for e in store.events()].count("notation.export") == 2
    assert store.evaluators() == ["A. Martin", "B. Durand"]


def test_export_is_deterministic_and_idempotent(folder: ConsultationFolder, analysis: AnalysisResult,
                                                store: Store) -> None:
    first = export_workbooks(folder, analysis, store)
    data = [w.path.read_bytes() for w in first]
    events = len(store.events())
    again = export_workbooks(folder, analysis, store)
    assert [w.path.read_bytes() for w in again] == data
    assert [w.ecrit for w in again] == [False, False]
    assert [w.empreinte for w in again] == [w.empreinte for w in first]
    assert len(store.events()) == events


def test_layout_protection_and_hidden_metadata(exported: Path) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames == ["Mode d'emploi", "alpha", "beta", "gamma", "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden"
    assert wb.security is not None and wb.security.lockStructure
    assert all(ws.protection.sheet for ws in wb.worksheets)
    ws = wb["alpha"]
    assert ws["A1"].value == "Offre « alpha » — Alpha Propreté SAS"
    assert [ws.cell(row=r, column=3).value for r in ROW.values()] == list(ROW)
    assert ws["A6"].protection.locked and ws["F6"].protection.locked
    assert not ws["H6"].protection.locked and not ws["I13"].protection.locked
    [levels, text] = ws.data_validations.dataValidation
    assert levels.type == "list" and levels.formula1 == '"0,1,2,3,4"' and str(levels.sqref) == "H6:H13"
    assert text.type == "textLength" and str(text.sqref) == "I6:I13"
    meta = {row[0].value: row[1].value for row in wb["_meta"].iter_rows()}
    assert (meta["reference"], meta["grille"], meta["evaluateur"]) == (
        "2026-TEST-05", "attribution-complete.v1", "A. Martin")
    assert [o["offre"] for o in json.loads(meta["offres"])] == ["alpha", "beta", "gamma"]


def test_suggestions_are_labelled_and_quote_the_evidence(exported: Path) -> None:
    ws = load_workbook(exported)["alpha"]
    assert "SUGGESTION" in ws["F5"].value and "SUGGESTION" in ws["G5"].value
    row = ROW["objectifs_indicateurs"]
    assert ws.cell(row=row, column=6).value == "Suggestion : 3 — Satisfaisant"
    assert "Nous réduirons de 30 % nos émissions" in ws.cell(row=row, column=7).value
    assert ws.cell(row=ROW["methodologie"], column=6).value == "Aucune suggestion"
    assert ws.cell(row=row, column=8).value is None  # the evaluator's cell stays empty


def test_bidder_text_is_never_a_formula(exported: Path) -> None:
    wb = load_workbook(exported)
    cell = wb["gamma"].cell(row=ROW["objectifs_indicateurs"], column=7)
    assert FORMULA in cell.value and cell.data_type == "s"
    assert not [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_password_is_stored_nowhere_in_the_workbook(exported: Path, store: Store) -> None:
    secret = store.get_meta("secret_protection")
    assert secret is not None
    password = _password(secret, "2026-TEST-05", "A. Martin")
    with zipfile.ZipFile(exported) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
    assert password.encode() not in content and secret.encode() not in content
    assert all(secret not in (e.apres or "") for e in store.events())


def test_scores_already_imported_are_filled_in(folder: ConsultationFolder, analysis: AnalysisResult,
                                               store: Store) -> None:
    store.sync_offers({"alpha": "Alpha"}, auteur="t")
    store.ensure_evaluator("A. Martin", auteur="t")
    store.set_note(NoteRow("alpha", "methodologie", "A. Martin", 3, "Méthode détaillée page 4."), auteur="t")
    [martin] = export_workbooks(folder, analysis, store, evaluators=["a. martin"])
    ws = load_workbook(martin.path)["alpha"]
    assert (ws["H6"].value, ws["I6"].value) == (3, "Méthode détaillée page 4.")


def test_a_differing_workbook_is_never_overwritten_silently(folder: ConsultationFolder, analysis: AnalysisResult,
                                                            store: Store, exported: Path) -> None:
    exported.write_bytes(b"notes en cours")
    with pytest.raises(ConsultationError, match="existe déjà"):
        export_workbooks(folder, analysis, store)
    assert exported.read_bytes() == b"notes en cours"
    export_workbooks(folder, analysis, store, replace=True)
    assert exported.read_bytes().startswith(b"PK")


def test_unknown_evaluator_is_refused(folder: ConsultationFolder, analysis: AnalysisResult, store: Store) -> None:
    with pytest.raises(ConsultationError, match="non déclaré") as caught:
        export_workbooks(folder, analysis, store, evaluators=["Z. Inconnu"])
    assert "A. Martin, B. Durand" in (caught.value.problems[0].conseil or "")


def test_no_declared_evaluator_is_refused(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "c", CONSULTATION.replace("evaluateurs: [A. Martin, B. Durand]\n", ""))
    with Store.open(folder.db_path) as store, pytest.raises(ConsultationError, match="aucun évaluateur"):
        export_workbooks(folder, None, store)


def test_export_without_analysis_has_no_suggestion(folder: ConsultationFolder, store: Store) -> None:
    [martin, _] = export_workbooks(folder, None, store)
    ws = load_workbook(martin.path)["alpha"]
    assert ws.cell(row=ROW["objectifs_indicateurs"], column=6).value == "Aucune suggestion"


@pytest.mark.parametrize(
    ("names", "expected"),
    [(["C. Bernardet"], ["c-bernardet.xlsx"]), (["Éloïse Œuvray"], ["eloise-oeuvray.xlsx"]),
     (["A B", "a-b"], ["a-b.xlsx", "a-b-2.xlsx"]), (["???"], ["evaluateur.xlsx"])],
)
def test_file_names_are_portable_and_unique(names: list[str], expected: list[str]) -> None:
    taken: set[str] = set()
    assert [workbook_file_name(n, taken) for n in names] == expected

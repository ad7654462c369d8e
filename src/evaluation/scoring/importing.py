"""Import of a filled evaluator workbook: every check first, then one transaction.

A workbook is refused as a whole, with each faulty cell named, when it was exported for another
consultation, grid or evaluator, when its fingerprint matches no export of this consultation, when a
locked cell differs from what was exported (an inserted row, a renamed sheet, swapped offer names…), or
when a score cell holds a formula, text instead of a number, a level outside the scale, or a level without
a real justification. Only the cells the export placed are read. Re-importing the same workbook changes
nothing; a changed score is journaled with its before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from evaluation.errors import InputError, Problem
from evaluation.model.folder import ConsultationFolder
from evaluation.scoring.commission import justification_problem
from evaluation.scoring.workbook import (
    FORMAT,
    JUSTIFICATION_COLUMN,
    LEVEL_COLUMN,
    META_KEYS,
    META_SHEET,
    SheetLayout,
    fingerprint,
    locked_text,
)
from evaluation.store import ExportRecord, NoteRow, Store

__all__ = [
    "CRASH_ENV",
    "MAX_WORKBOOK_BYTES",
    "ImportResult",
    "WorkbookError",
    "import_workbook",
    "open_workbook",
    "read_workbook",
]

#: Test-only: name of the point at which an import process exits abruptly (see tests/cli/test_notation.py).
CRASH_ENV = "EVALUATION_TEST_CRASH_AT"
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 40
MAX_CELLS_PER_SHEET = 5


class WorkbookError(InputError):
    """An evaluator workbook is refused as a whole; each problem names the sheet and cell."""


@dataclass(frozen=True)
class ReadWorkbook:
    """What a valid workbook holds: the export it comes from and the scores filled in."""

    export: ExportRecord
    notes: list[NoteRow]
    vides: list[tuple[str, str]]  # (offre, sous_critere) left empty


@dataclass(frozen=True)
class ImportResult:
    fichier: Path
    evaluateur: str
    ajoutees: int
    modifiees: int
    inchangees: int
    vides: int
    conservees: int  # notes already stored whose cells are now empty: kept, never deleted by an import


def _where(sheet: str, coordinate: str) -> str:
    return f"feuille « {sheet} », cellule {coordinate}"


def _crash_point(name: str) -> None:
    """Exit at once, without cleanup, when a test asks for it: simulates a killed process."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(70)


class _Reader:
    def __init__(self, folder: ConsultationFolder, path: Path) -> None:
        self.folder, self.path = folder, path
        self.problems: list[Problem] = []

    def problem(self, sheet: str, coordinate: str, raison: str, conseil: str) -> None:
        self.problems.append(Problem(raison, fichier=self.path, champ=_where(sheet, coordinate), conseil=conseil))

    def fail(self) -> WorkbookError:
        problems = self.problems[:MAX_PROBLEMS]
        if len(self.problems) > MAX_PROBLEMS:
            problems.append(Problem(f"… et {len(self.problems) - MAX_PROBLEMS} autre(s) problème(s)",
                                    fichier=self.path))
        return WorkbookError(problems)

    def meta(self, wb: Any) -> dict[str, str]:
        if META_SHEET not in wb.sheetnames:
            raise WorkbookError(Problem(
                "ce fichier n'est pas un classeur de notation exporté par l'outil (métadonnées absentes)",
                fichier=self.path, conseil="faites remplir le classeur produit par : evaluation notation exporter"))
        ws = wb[META_SHEET]
        values: dict[str, str] = {}
        for row, key in enumerate(META_KEYS, start=1):
            found = locked_text(ws.cell(row=row, column=1).value)
            if found != key:
                self.problem(META_SHEET, f"A{row}", f"métadonnée « {key} » attendue, « {found} » trouvée",
                             "ne modifiez pas la feuille de métadonnées ; exportez un nouveau classeur")
            values[key] = locked_text(ws.cell(row=row, column=2).value)
        if self.problems:
            raise self.fail()
        return values

    def check_target(self, meta: dict[str, str]) -> None:
        consultation, grid = self.folder.consultation, self.folder.grid
        if meta["format"] != FORMAT:
            self.problem(META_SHEET, "B1", f"format de classeur « {meta['format']} » non pris en charge",
                         "exportez un nouveau classeur avec cette version de l'outil")
        if meta["reference"] != consultation.reference:
            self.problem(META_SHEET, "B2",
                         f"classeur exporté pour la consultation « {meta['reference']} », pas pour "
                         f"« {consultation.reference} »",
                         "importez-le dans le dossier de sa consultation, ou faites remplir un classeur exporté "
                         "pour celle-ci")
        if meta["grille"] != grid.full_id:
            self.problem(META_SHEET, "B3",
                         f"classeur exporté avec la grille « {meta['grille']} », la consultation utilise "
                         f"« {grid.full_id} »", "exportez un nouveau classeur (evaluation notation exporter)")
        declared = {e.casefold() for e in consultation.evaluateurs}
        if meta["evaluateur"].casefold() not in declared:
            self.problem(META_SHEET, "B4", f"évaluateur « {meta['evaluateur']} » non déclaré dans la consultation",
                         "évaluateurs déclarés : " + (", ".join(consultation.evaluateurs) or "aucun")
                         + " (consultation.yaml, champ evaluateurs)")
        if self.problems:
            raise self.fail()

    def compare(self, wb: Any, meta: dict[str, str], export: ExportRecord) -> tuple[list[SheetLayout], set[str]]:
        """Compare every locked cell with the export; returns the layouts and the sheets whose rows moved."""
        stored = json.loads(export.cellules)
        for row, key in enumerate(META_KEYS[:-1], start=1):
            if meta[key] != stored["meta"][key]:
                self.problem(META_SHEET, f"B{row}", f"métadonnée « {key} » modifiée",
                             "ne modifiez pas la feuille de métadonnées ; exportez un nouveau classeur")
        layouts = [SheetLayout.from_json(s) for s in stored["feuilles"]]
        moved: set[str] = set()
        for layout in layouts:
            if layout.titre not in wb.sheetnames:
                moved.add(layout.titre)
                self.problems.append(Problem(
                    f"feuille « {layout.titre} » absente (renommée ou supprimée)", fichier=self.path,
                    champ=f"feuille « {layout.titre} »",
                    conseil="rendez à la feuille son nom d'origine, ou faites remplir un nouveau classeur"))
                continue
            if self.compare_sheet(wb[layout.titre], layout):
                moved.add(layout.titre)
        return layouts, moved

    def compare_sheet(self, ws: Any, layout: SheetLayout) -> bool:
        """Name the changed locked cells of one sheet (a few, then a count); True if rows were moved."""
        changed = []
        for coordinate, expected in sorted(layout.cellules.items(), key=lambda kv: _position(kv[0])):
            found = locked_text(ws[coordinate].value)
            if found != expected:
                changed.append((coordinate, expected, found))
        if not changed:
            return False
        coordinate, _, _ = changed[0]
        shifted = _shift(ws, layout, _position(coordinate)[0])
        if shifted:
            self.problem(layout.titre, coordinate, shifted,
                         "ne modifiez pas la structure du classeur : reprenez le classeur exporté et reportez-y "
                         "vos notes")
            return True
        for coordinate, expected, found in changed[:MAX_CELLS_PER_SHEET]:
            self.problem(layout.titre, coordinate,
                         f"cellule verrouillée modifiée : « {_short(expected)} » attendu, « {_short(found)} » trouvé",
                         "seules les colonnes H (niveau) et I (justification) se remplissent ; rétablissez la "
                         "cellule ou reprenez le classeur exporté")
        if len(changed) > MAX_CELLS_PER_SHEET:
            self.problems.append(Problem(
                f"… et {len(changed) - MAX_CELLS_PER_SHEET} autre(s) cellule(s) verrouillée(s) modifiée(s)",
                fichier=self.path, champ=f"feuille « {layout.titre} »"))
        return False

    def scores(self, wb: Any, layouts: list[SheetLayout], evaluator: str,
               moved: set[str]) -> tuple[list[NoteRow], list[tuple[str, str]]]:
        max_level = self.folder.grid.max_level
        notes: list[NoteRow] = []
        empty: list[tuple[str, str]] = []
        for layout in layouts:
            if layout.offre is None or layout.titre in moved:
                continue  # rows moved: score cells are no longer where the export put them
            ws = wb[layout.titre]
            for sub, row in sorted(layout.lignes.items(), key=lambda kv: kv[1]):
                level_cell = ws.cell(row=row, column=LEVEL_COLUMN)
                text_cell = ws.cell(row=row, column=JUSTIFICATION_COLUMN)
                level = self.level(layout.titre, level_cell, max_level)
                text = self.justification(layout.titre, text_cell)
                if level is None and text is None:
                    if _blank(level_cell) and _blank(text_cell):
                        empty.append((layout.offre, sub))
                    continue
                if level is None:
                    if _blank(level_cell):
                        self.problem(layout.titre, level_cell.coordinate, "niveau absent alors qu'une justification "
                                     "est saisie", "choisissez un niveau dans la liste, ou effacez la justification")
                    continue
                if text is None:
                    if _blank(text_cell):
                        self.problem(layout.titre, text_cell.coordinate, "justification absente pour le niveau "
                                     f"{level}", "justifiez chaque niveau par une phrase qui renvoie au mémoire")
                    continue
                notes.append(NoteRow(layout.offre, sub, evaluator, level, text))
        return notes, empty

    def level(self, sheet: str, cell: Any, max_level: int) -> int | None:
        value = cell.value
        if _blank(cell):
            return None
        advice = f"choisissez le niveau dans la liste : un nombre entier de 0 à {max_level}"
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
            self.problem(sheet, cell.coordinate,
                         f"formule interdite dans une cellule de note (« {_short(str(value))} »)",
                         advice + ", saisi tel quel, sans formule")
            return None
        if cell.data_type == "e":
            self.problem(sheet, cell.coordinate, f"valeur d'erreur « {value} » au lieu d'un niveau", advice)
            return None
        if isinstance(value, bool):
            self.problem(sheet, cell.coordinate, f"valeur logique ({'VRAI' if value else 'FAUX'}) au lieu d'un "
                         "niveau", advice)
            return None
        if isinstance(value, str):
            self.problem(sheet, cell.coordinate, f"texte « {_short(value)} » au lieu d'un nombre", advice
                         + " ; une virgule décimale, une apostrophe ou un espace font d'un nombre du texte")
            return None
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            self.problem(sheet, cell.coordinate, "date ou heure au lieu d'un niveau", advice)
            return None
        if not isinstance(value, int | float):
            self.problem(sheet, cell.coordinate, "valeur illisible au lieu d'un niveau", advice)
            return None
        if isinstance(value, float) and not value.is_integer():
            self.problem(sheet, cell.coordinate, f"niveau {value} non entier", advice)
            return None
        level = int(value)
        if not 0 <= level <= max_level:
            self.problem(sheet, cell.coordinate, f"niveau {_short(locked_text(value))} hors de l'échelle "
                         f"(0 à {max_level})", advice)
            return None
        return level

    def justification(self, sheet: str, cell: Any) -> str | None:
        value = cell.value
        if _blank(cell):
            return None
        advice = "écrivez en colonne I une phrase qui justifie le niveau en renvoyant au mémoire"
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
            self.problem(sheet, cell.coordinate, "formule interdite dans une justification", advice)
            return None
        if not isinstance(value, str):
            self.problem(sheet, cell.coordinate, f"texte attendu, « {_short(locked_text(value))} » trouvé", advice)
            return None
        reason = justification_problem(value)
        if reason is not None:
            self.problem(sheet, cell.coordinate, reason, advice)
            return None
        return value.strip()


def _blank(cell: Any) -> bool:
    return cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _position(coordinate: str) -> tuple[int, int]:
    letters = coordinate.rstrip("0123456789")
    column = 0
    for char in letters:
        column = column * 26 + ord(char) - 64
    return int(coordinate[len(letters):]), column


def _shift(ws: Any, layout: SheetLayout, row: int) -> str | None:
    """Explain a first difference at `row` by rows inserted or deleted there, when the content moved."""

    def expected(r: int) -> list[str]:
        return [layout.cellules.get(f"{c}{r}", "") for c in "ABC"]

    def found(r: int) -> list[str]:
        return [locked_text(ws[f"{c}{r}"].value) for c in "ABC"]

    if not any(expected(row)):
        return None
    for offset in range(1, 6):
        if found(row + offset) == expected(row):
            return f"{offset} ligne(s) insérée(s) au-dessus de la ligne {row} : le contenu a été décalé vers le bas"
        if any(expected(row + offset)) and found(row) == expected(row + offset):
            return f"{offset} ligne(s) supprimée(s) à partir de la ligne {row} : le contenu a été décalé vers le haut"
    return None


def open_workbook(path: Path, *, too_large: str, advice: str) -> Any:
    """Open a user's workbook after the checks every reader needs: it exists, is not oversized, parses.

    `too_large` and `advice` word the size refusal for the caller (commission import, training exercise).
    The caller closes the workbook.
    """
    if not path.is_file():
        raise WorkbookError(Problem("classeur introuvable", fichier=path, conseil="vérifiez le chemin du fichier"))
    if path.stat().st_size > MAX_WORKBOOK_BYTES:
        raise WorkbookError(Problem(too_large, fichier=path, conseil=advice))
    try:
        return load_workbook(path, data_only=False)
    except Exception as exc:  # any failure to parse a user's file is bad input, not a defect
        raise WorkbookError(Problem(f"fichier illisible comme classeur Excel .xlsx ({type(exc).__name__})",
                                    fichier=path, conseil="enregistrez le classeur au format .xlsx et réessayez"),
                            ) from None


def read_workbook(folder: ConsultationFolder, path: Path, store: Store) -> ReadWorkbook:
    """Check a filled workbook against its export and return its scores. Writes nothing.

    Raises:
        WorkbookError: with one problem per faulty cell; the workbook must be refused as a whole.
    """
    wb = open_workbook(path, too_large=f"fichier trop volumineux pour un classeur de notation "
                                       f"(plus de {MAX_WORKBOOK_BYTES // (1024 * 1024)} Mo)",
                       advice="importez le classeur exporté par l'outil, rempli")
    reader = _Reader(folder, path)
    try:
        meta = reader.meta(wb)
        reader.check_target(meta)
        export = store.export(meta["empreinte"])
        if export is None:
            raise WorkbookError(Problem(
                "empreinte inconnue : ce classeur n'a pas été exporté depuis cette consultation, ou ses métadonnées "
                "ont été modifiées", fichier=path, champ=_where(META_SHEET, "B8"),
                conseil="faites remplir un classeur exporté depuis ce dossier (evaluation notation exporter)"))
        layouts, moved = reader.compare(wb, meta, export)
        if not reader.problems and fingerprint(meta, layouts) != export.empreinte:  # pragma: no cover - guard
            reader.problems.append(Problem("empreinte du classeur incohérente", fichier=path,
                                           champ=_where(META_SHEET, "B8"), conseil="exportez un nouveau classeur"))
        notes, empty = reader.scores(wb, layouts, export.evaluateur, moved)
    finally:
        wb.close()
    if reader.problems:
        raise reader.fail()
    return ReadWorkbook(export=export, notes=notes, vides=empty)


def import_workbook(folder: ConsultationFolder, path: Path, store: Store, *,
                    auteur: str = "evaluation") -> ImportResult:
    """Check a filled workbook, then record its scores in one transaction (all or nothing).

    A score identical to the stored one writes nothing; a changed one is journaled with before and after;
    a cell left empty never deletes a stored score.
    """
    read = read_workbook(folder, path, store)
    evaluator = read.export.evaluateur
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = {(n.offre, n.sous_critere) for n in store.notes() if n.evaluateur == evaluator}
    counts = {"ajout": 0, "modification": 0, "inchange": 0}
    with store.transaction():
        store.sync_offers({o.id: o.soumissionnaire for o in folder.offers}, auteur)
        store.ensure_evaluator(evaluator, auteur)
        for note in read.notes:
            counts[store.set_note(note, auteur)] += 1
            _crash_point("import-mid-transaction")
        if counts["ajout"] or counts["modification"]:
            store.log_event("notation.import", f"notation/{evaluator}", None, {
                "fichier": path.name, "sha256": digest, "empreinte": read.export.empreinte,
                "ajoutees": counts["ajout"], "modifiees": counts["modification"],
            }, auteur)
    _crash_point("import-after-commit")
    return ImportResult(
        fichier=path, evaluateur=evaluator, ajoutees=counts["ajout"], modifiees=counts["modification"],
        inchangees=counts["inchange"], vides=len(read.vides), conservees=len(stored & set(read.vides)),
    )

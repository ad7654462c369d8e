"""Evaluator workbooks: one XLSX per commission member, exported under notation/ and imported back.

Layout: a « Mode d'emploi » sheet, then one sheet per offer, because an evaluator reads one mémoire at a
time and scores it through: the offer's name heads its sheet, the tool's suggestions and the excerpts they
rest on sit next to the cells to fill, and a score cannot land on another offer's row by a slip of the
eye. Each offer sheet has one row per sub-criterion (price is computed, never scored by hand): the scale
with its descriptors, the tool's suggested level and evidence (read-only, labelled as suggestions), a
level cell with a dropdown and a mandatory justification cell. Only those two cells are unlocked.

Tampering: the sheets are protected and the structure locked with a password kept nowhere in the file
(derived from a secret of the consultation store); that guards against accidents only. What detects a
change is the fingerprint: SHA-256 over the position and text of every locked cell and the metadata,
written to a very hidden `_meta` sheet AND recorded in the store with the locked cells themselves, so
that an import names each changed cell and an edited fingerprint matches no export.

A training exercise reuses this export (a trainee is an evaluator of a training consultation) through
`WorkbookOptions`: without the tool's suggestions, with another guide, and with an extra very hidden sheet
of metadata whose cells are locked and fingerprinted like the others. The defaults are the commission's.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from evaluation.atomic import write_atomic_bytes
from evaluation.errors import ConsultationError, Problem
from evaluation.model import AnalysisResult, Evidence, Grid, SubCriterion
from evaluation.model.folder import ConsultationFolder
from evaluation.scoring.checks import french
from evaluation.scoring.commission import MIN_JUSTIFICATION
from evaluation.spreadsheet import set_text, workbook_bytes
from evaluation.store import ExportRecord, NoteRow, Store

__all__ = [
    "FORMAT",
    "GUIDE_SHEET",
    "JUSTIFICATION_COLUMN",
    "LEVEL_COLUMN",
    "META_KEYS",
    "META_SHEET",
    "NOTATION_DIR",
    "ExportedWorkbook",
    "SheetLayout",
    "WorkbookOptions",
    "export_workbooks",
    "fingerprint",
    "locked_text",
    "workbook_file_name",
]

FORMAT = "evaluation-notation/1"
NOTATION_DIR = "notation"
GUIDE_SHEET = "Mode d'emploi"
META_SHEET = "_meta"
META_KEYS = ("format", "reference", "grille", "evaluateur", "offres", "sous_criteres", "niveau_max", "empreinte")
HEADER_ROW = 5
FIRST_ROW = 6
LEVEL_COLUMN = 8  # H
JUSTIFICATION_COLUMN = 9  # I
LAST_COLUMN = 9
MAX_EXCERPTS = 5
EXCERPT_CHARS = 400
HEADERS = (
    "Critère", "Sous-critère", "Identifiant", "Points", "Échelle et descripteurs",
    "Niveau suggéré (SUGGESTION de l'outil)", "Explication et extraits du mémoire (SUGGESTION de l'outil)",
    "Votre niveau", "Votre justification (obligatoire)",
)
WIDTHS = (22, 30, 16, 10, 48, 20, 60, 12, 50)
WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="E4E8EE", end_color="E4E8EE")
SUGGESTION_FILL = PatternFill(fill_type="solid", start_color="F2F2F2", end_color="F2F2F2")
INPUT_FILL = PatternFill(fill_type="solid", start_color="FFF4C2", end_color="FFF4C2")
SUGGESTION_FONT = Font(italic=True, color="555555")
UNLOCKED = Protection(locked=False)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
SUGGESTION_COLUMNS = (6, 7)  # F, G
COMMISSION_RETURN = (
    "Enregistrez au format .xlsx sans changer le nom du fichier et remettez-le au président de la "
    "commission, qui l'importe (evaluation notation importer). Vous pouvez le compléter en "
    "plusieurs fois : un nouvel import remplace vos notes modifiées, l'historique est conservé.")


@dataclass(frozen=True)
class WorkbookOptions:
    """How a workbook departs from the commission's one; the defaults are the commission's.

    Attributes:
        suggestions: show the tool's suggested levels and evidence (columns F and G). Without them both
            columns are left empty and hidden, and no text mentions suggestions.
        titre: label of the guide sheet's first row.
        retour: the guide's « Retour » paragraph: what to do with the filled workbook.
        feuille: an extra very hidden sheet (title, then key/value rows) whose cells are locked and covered by
            the fingerprint, so that an import names any change to them.
    """

    suggestions: bool = True
    titre: str = "Classeur de notation"
    retour: str = COMMISSION_RETURN
    feuille: tuple[str, tuple[tuple[str, str], ...]] | None = None


@dataclass(frozen=True)
class SheetLayout:
    """Where things are on one sheet: its locked cells (coordinate → text) and its score rows."""

    titre: str
    offre: str | None
    derniere_ligne: int
    lignes: dict[str, int]
    cellules: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"titre": self.titre, "offre": self.offre, "derniere_ligne": self.derniere_ligne,
                "lignes": self.lignes, "cellules": self.cellules}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SheetLayout:
        return cls(titre=data["titre"], offre=data["offre"], derniere_ligne=data["derniere_ligne"],
                   lignes=dict(data["lignes"]), cellules=dict(data["cellules"]))


@dataclass(frozen=True)
class ExportedWorkbook:
    evaluateur: str
    path: Path
    empreinte: str
    ecrit: bool  # False when the file on disk was already identical


def locked_text(value: object) -> str:
    """The text a locked cell is compared by: its string, numbers in canonical form, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fingerprint(meta: dict[str, str], sheets: list[SheetLayout]) -> str:
    """SHA-256 over the metadata and the position and text of every locked cell, sheet by sheet."""
    payload = {
        "meta": {k: meta[k] for k in META_KEYS if k != "empreinte"},
        "feuilles": [[s.titre, sorted(s.cellules.items())] for s in sheets],
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def workbook_file_name(evaluator: str, taken: set[str]) -> str:
    """A portable file name for an evaluator (« C. Bernardet » → c-bernardet.xlsx), unique in `taken`."""
    plain = unicodedata.normalize("NFKD", evaluator.casefold().translate(_LIGATURES))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "evaluateur"
    name, n = f"{slug}.xlsx", 2
    while name in taken:
        name, n = f"{slug}-{n}.xlsx", n + 1
    taken.add(name)
    return name


def _sheet_title(offer_id: str, index: int) -> str:
    return offer_id if len(offer_id) <= 31 else f"offre-{index}"


def _scale_text(grid: Grid, sub: SubCriterion) -> str:
    return "\n".join(f"{lv.niveau} — {lv.libelle} : {sub.descripteurs.get(lv.niveau, lv.descripteur)}"
                     for lv in grid.echelle)


def _excerpt(evidence: Evidence) -> str:
    text = " ".join(evidence.texte.split())
    if len(text) > EXCERPT_CHARS:
        text = text[: EXCERPT_CHARS - 1].rstrip() + "…"
    page = f", page {evidence.page}" if evidence.page is not None else ""
    return f"« {text} » ({evidence.fichier}{page}, § {evidence.paragraphe})"


def _row_height(*texts: str, widths: tuple[int, ...]) -> float:
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        count = sum(max(1, -(-len(line) // max(width - 2, 1))) for line in text.split("\n"))
        lines = max(lines, count)
    return float(min(409, 15 * lines))


def _protect(ws: Any, password: str) -> None:
    ws.protection.sheet = True
    ws.protection.password = password
    # Resizing rows and columns to read long excerpts is harmless; inserting or deleting rows is not.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


class _Builder:
    """Builds one evaluator's workbook."""

    def __init__(self, folder: ConsultationFolder, analysis: AnalysisResult | None, evaluator: str,
                 notes: dict[tuple[str, str], NoteRow], password: str,
                 options: WorkbookOptions | None = None) -> None:
        self.folder, self.analysis, self.evaluator = folder, analysis, evaluator
        self.notes, self.password = notes, password
        self.options = options or WorkbookOptions()
        self.grid = folder.grid
        self.offers = [(_sheet_title(o.id, i), o) for i, o in enumerate(folder.offers, start=1)]
        self.subs = [(c, s) for c, s in self.grid.sub_criteria()]

    def meta(self, empreinte: str = "") -> dict[str, str]:
        offers = [{"feuille": title, "offre": o.id, "soumissionnaire": o.soumissionnaire} for title, o in self.offers]
        return {
            "format": FORMAT,
            "reference": self.folder.consultation.reference,
            "grille": self.grid.full_id,
            "evaluateur": self.evaluator,
            "offres": json.dumps(offers, ensure_ascii=False, separators=(",", ":")),
            "sous_criteres": json.dumps([s.id for _, s in self.subs], separators=(",", ":")),
            "niveau_max": str(self.grid.max_level),
            "empreinte": empreinte,
        }

    def build(self, empreinte: str = "") -> Workbook:
        wb = Workbook()
        guide = wb.active
        assert guide is not None  # a new Workbook always has one sheet
        guide.title = GUIDE_SHEET
        self._guide(guide)
        for title, offer in self.offers:
            self._offer(wb.create_sheet(title), offer.id, offer.soumissionnaire)
        meta = wb.create_sheet(META_SHEET)
        for row, (key, value) in enumerate(self.meta(empreinte).items(), start=1):
            set_text(meta.cell(row=row, column=1), key)
            set_text(meta.cell(row=row, column=2), value)
        meta.sheet_state = "veryHidden"
        if self.options.feuille is not None:
            title, rows = self.options.feuille
            extra = wb.create_sheet(title)
            for row, (key, value) in enumerate(rows, start=1):
                set_text(extra.cell(row=row, column=1), key)
                set_text(extra.cell(row=row, column=2), value)
            extra.sheet_state = "veryHidden"
        for ws in wb.worksheets:
            _protect(ws, self.password)
        wb.active = 0
        wb.security = WorkbookProtection(workbookPassword=self.password, lockStructure=True)
        return wb

    def _guide(self, ws: Any) -> None:
        consultation = self.folder.consultation
        levels = "\n".join(f"{lv.niveau} — {lv.libelle} : {lv.descripteur}" for lv in self.grid.echelle)
        sheets = "\n".join(f"Feuille « {title} » : offre {o.id} — {o.soumissionnaire}" for title, o in self.offers)
        rows = [
            (self.options.titre, f"Évaluateur : {self.evaluator}"),
            ("Consultation", f"{consultation.reference} — {consultation.objet}"),
            ("Grille", f"{self.grid.libelle} ({self.grid.full_id})"),
            ("Comment noter", (
                "Une feuille par offre. Pour chaque sous-critère, choisissez votre niveau dans la liste de la "
                "colonne H et justifiez-le en colonne I (obligatoire : au moins "
                f"{MIN_JUSTIFICATION} caractères, une vraie phrase ; « RAS » ou « ok » sont refusés). "
                "Saisissez des nombres entiers de l'échelle, jamais de formule.")),
            ("Suggestions", (
                "Les colonnes F et G sont des SUGGESTIONS de l'outil, tirées de l'analyse automatique du mémoire, "
                "avec les extraits sur lesquels elles reposent. Elles ne vous engagent pas : vous restez seul juge "
                "de votre notation. Vérifiez chaque extrait dans le mémoire.")),
            ("Ne pas modifier", (
                "Les autres cellules sont verrouillées. Une cellule verrouillée modifiée, une ligne insérée ou "
                "supprimée, ou une feuille renommée font refuser le classeur entier à l'import.")),
            ("Retour", self.options.retour),
            ("Échelle", levels),
            ("Offres", sheets),
        ]
        if not self.options.suggestions:
            rows = [row for row in rows if row[0] != "Suggestions"]
        for row, (label, text) in enumerate(rows, start=1):
            set_text(ws.cell(row=row, column=1), label)
            set_text(ws.cell(row=row, column=2), text)
            ws.cell(row=row, column=1).font = BOLD
            for col in (1, 2):
                ws.cell(row=row, column=col).alignment = WRAP
            ws.row_dimensions[row].height = _row_height(text, widths=(100,))
        ws.column_dimensions["A"].width = 20
        ws.column_dimensions["B"].width = 100

    def _offer(self, ws: Any, offer_id: str, name: str) -> None:
        consultation = self.folder.consultation
        set_text(ws.cell(row=1, column=1), f"Offre « {offer_id} » — {name}")
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        set_text(ws.cell(row=2, column=1), f"Consultation {consultation.reference} — grille {self.grid.full_id} — "
                                           f"évaluateur : {self.evaluator}")
        shown = self.options.suggestions
        set_text(ws.cell(row=3, column=1), (
            "Les colonnes F et G sont des SUGGESTIONS de l'outil, à vérifier dans le mémoire : vous restez seul "
            "juge. " if shown else "") + "Remplissez les colonnes H (niveau) et I (justification obligatoire).")
        ws.cell(row=3, column=1).font = SUGGESTION_FONT
        for col, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
            cell = ws.cell(row=HEADER_ROW, column=col)
            set_text(cell, header if shown or col not in SUGGESTION_COLUMNS else "")
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
            ws.column_dimensions[get_column_letter(col)].width = width
            # Emptied, the two columns stay in place (and hidden) so that H and I keep their letters.
            ws.column_dimensions[get_column_letter(col)].hidden = not shown and col in SUGGESTION_COLUMNS
        offer = self.analysis.offres.get(offer_id) if self.analysis is not None else None
        row = FIRST_ROW
        for criterion, sub in self.subs:
            points = Fraction(criterion.poids) * Fraction(sub.poids) / 100
            suggestion = offer.niveaux_suggeres.get(sub.id) if offer is not None else None
            labels = {lv.niveau: lv.libelle for lv in self.grid.echelle}
            if suggestion is not None:
                level = f"Suggestion : {suggestion.niveau} — {labels.get(suggestion.niveau, '')}"
                detail = f"Suggestion de l'outil : {suggestion.explication}"
                if suggestion.preuves:
                    detail += "\n\nExtraits du mémoire :\n" + "\n".join(
                        _excerpt(e) for e in suggestion.preuves[:MAX_EXCERPTS])
            elif sub.signal.type == "aucun":
                level, detail = "Aucune suggestion", "Sous-critère noté par la commission seule."
            else:
                level, detail = "Aucune suggestion", "L'analyse automatique ne propose pas de niveau pour cette offre."
            if not shown:
                level, detail = "", ""
            scale = _scale_text(self.grid, sub)
            values = (criterion.libelle, sub.libelle, sub.id, f"{french(points)} points", scale, level, detail)
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col)
                set_text(cell, value)
                cell.alignment = WRAP
                if col in SUGGESTION_COLUMNS:
                    cell.fill, cell.font = SUGGESTION_FILL, SUGGESTION_FONT
            note = self.notes.get((offer_id, sub.id))
            level_cell = ws.cell(row=row, column=LEVEL_COLUMN)
            justification_cell = ws.cell(row=row, column=JUSTIFICATION_COLUMN)
            if note is not None:
                level_cell.value = note.niveau
                set_text(justification_cell, note.justification)
            for cell in (level_cell, justification_cell):
                cell.protection, cell.fill, cell.alignment = UNLOCKED, INPUT_FILL, WRAP
            ws.row_dimensions[row].height = _row_height(scale, detail, widths=(WIDTHS[4], WIDTHS[6]))
            row += 1
        last = row - 1
        levels = ",".join(str(lv.niveau) for lv in self.grid.echelle)
        choice = DataValidation(type="list", formula1=f'"{levels}"', allow_blank=True, showErrorMessage=True,
                                errorTitle="Niveau invalide",
                                error=f"Choisissez un niveau de l'échelle ({levels.replace(',', ', ')}).",
                                promptTitle="Votre niveau", prompt="Choisissez un niveau dans la liste.",
                                showInputMessage=True)
        text = DataValidation(type="textLength", operator="greaterThanOrEqual", formula1=str(MIN_JUSTIFICATION),
                              allow_blank=True, showErrorMessage=True, errorTitle="Justification trop courte",
                              error=f"Justifiez votre niveau en {MIN_JUSTIFICATION} caractères au moins.")
        ws.add_data_validation(choice)
        ws.add_data_validation(text)
        if last >= FIRST_ROW:
            choice.add(f"H{FIRST_ROW}:H{last}")
            text.add(f"I{FIRST_ROW}:I{last}")
        ws.freeze_panes = f"C{FIRST_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    def layouts(self, wb: Workbook) -> list[SheetLayout]:
        """Locked cells of every visible sheet, read back from `wb` as an importer reads them."""
        rows = {sub.id: FIRST_ROW + i for i, (_, sub) in enumerate(self.subs)}
        last_offer_row = FIRST_ROW + len(self.subs) - 1
        layouts = [_read_layout(wb[GUIDE_SHEET], None, {}, wb[GUIDE_SHEET].max_row, 2)]
        for title, offer in self.offers:
            layouts.append(_read_layout(wb[title], offer.id, rows, max(last_offer_row, HEADER_ROW), LAST_COLUMN))
        if self.options.feuille is not None:
            extra = wb[self.options.feuille[0]]
            layouts.append(_read_layout(extra, None, {}, extra.max_row, 2))
        return layouts


def _read_layout(ws: Any, offer: str | None, rows: dict[str, int], last_row: int, last_col: int) -> SheetLayout:
    editable = {(r, c) for r in rows.values() for c in (LEVEL_COLUMN, JUSTIFICATION_COLUMN)}
    cells = {}
    for r in range(1, last_row + 1):
        for c in range(1, last_col + 1):
            if (r, c) not in editable:
                cells[f"{get_column_letter(c)}{r}"] = locked_text(ws.cell(row=r, column=c).value)
    return SheetLayout(titre=ws.title, offre=offer, derniere_ligne=last_row, lignes=dict(rows), cellules=cells)


def _password(secret: str, reference: str, evaluator: str) -> str:
    return hmac.new(secret.encode(), f"{reference}/{evaluator}".encode(), hashlib.sha256).hexdigest()[:16]


def _resolve(folder: ConsultationFolder, wanted: list[str]) -> list[str]:
    declared = list(folder.consultation.evaluateurs)
    if not declared:
        raise ConsultationError(Problem(
            "aucun évaluateur déclaré", fichier=folder.root / "consultation.yaml", champ="evaluateurs",
            conseil="déclarez les membres de la commission, par exemple : evaluateurs: [A. Martin, B. Durand]"))
    if not wanted:
        return declared
    by_key = {e.casefold(): e for e in declared}
    unknown = [w for w in wanted if w.casefold() not in by_key]
    if unknown:
        raise ConsultationError(Problem(
            "évaluateur(s) non déclaré(s) : " + ", ".join(unknown), fichier=folder.root / "consultation.yaml",
            champ="evaluateurs", conseil="évaluateurs déclarés : " + ", ".join(declared)
            + " ; ajoutez-le dans consultation.yaml si besoin"))
    return list(dict.fromkeys(by_key[w.casefold()] for w in wanted))


def export_workbooks(folder: ConsultationFolder, analysis: AnalysisResult | None, store: Store, *,
                     evaluators: list[str] | None = None, replace: bool = False,
                     auteur: str = "evaluation", options: WorkbookOptions | None = None) -> list[ExportedWorkbook]:
    """Write notation/<evaluateur>.xlsx for each evaluator (all declared ones by default).

    The evaluator's scores already imported are filled in, so a new export loses nothing. An existing
    workbook that differs from the new one is kept unless `replace` is set: it may hold scores not yet
    imported. Each export is recorded in the store (fingerprint and locked cells) before its file is
    written, in one transaction per workbook. `options` adapts the workbook to another use (a training
    exercise); by default it is the commission's.

    Raises:
        ConsultationError: no evaluator declared, an unknown evaluator, or a workbook that would be replaced.
    """
    names = _resolve(folder, evaluators or [])
    taken: set[str] = set()
    files = {name: workbook_file_name(name, taken) for name in folder.consultation.evaluateurs}
    notes_by: dict[str, dict[tuple[str, str], NoteRow]] = {}
    for note in store.notes():
        notes_by.setdefault(note.evaluateur.casefold(), {})[(note.offre, note.sous_critere)] = note
    planned = []
    for name in names:
        path = folder.root / NOTATION_DIR / files[name]
        secret = store.protection_secret(auteur)
        builder = _Builder(folder, analysis, name, notes_by.get(name.casefold(), {}),
                           _password(secret, folder.consultation.reference, name), options)
        draft = workbook_bytes(builder.build())
        layouts = builder.layouts(load_workbook(io.BytesIO(draft)))
        meta = builder.meta()
        empreinte = fingerprint(meta, layouts)
        data = workbook_bytes(builder.build(empreinte))
        planned.append((name, path, empreinte, meta, layouts, data))
    blocked = [p for _, p, *_rest, data in planned if p.is_file() and p.read_bytes() != data and not replace]
    if blocked:
        raise ConsultationError([Problem(
            "un classeur de notation existe déjà et diffère de celui qui serait exporté", fichier=p,
            conseil="importez-le d'abord s'il contient des notes (evaluation notation importer), puis relancez "
                    "l'export avec --remplacer") for p in blocked])
    done = []
    for name, path, empreinte, meta, layouts, data in planned:
        with store.transaction():
            store.sync_offers({o.id: o.soumissionnaire for o in folder.offers}, auteur)
            store.ensure_evaluator(name, auteur)
            store.record_export(ExportRecord(
                empreinte=empreinte, evaluateur=name, reference=meta["reference"], grille=meta["grille"],
                fichier=path.relative_to(folder.root).as_posix(), exporte_le=store.now(),
                cellules=json.dumps({"meta": meta, "feuilles": [s.to_json() for s in layouts]},
                                    ensure_ascii=False, sort_keys=True),
            ), auteur)
        same = path.is_file() and path.read_bytes() == data
        if not same:
            write_atomic_bytes(path, data)
        done.append(ExportedWorkbook(name, path, empreinte, not same))
    return done

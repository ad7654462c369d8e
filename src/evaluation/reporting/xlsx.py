"""The comparative report as a workbook, for buyers who sort, filter and annotate.

Every text that may come from a bidder is written as a plain string cell: a passage starting with « = »
or « @ » must never become a formula (CSV/formula injection). The file is byte-identical from one run to
the next: fixed document dates and fixed timestamps inside the zip container.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from evaluation.atomic import write_atomic_bytes
from evaluation.reporting.build import build_view
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import FLAGS, clean_text, format_weight
from evaluation.reporting.view import EvidenceBlock, OfferView, ReportView
from evaluation.spreadsheet import EXCEL_MAX_TEXT, FIXED_DATE, FORMULA_PREFIXES, workbook_bytes

__all__ = ["render_xlsx", "write_xlsx"]

Value = str | int | Decimal | None

NOTICE = (
    "Les niveaux suggérés par l'outil ne sont qu'une aide : "
    "la commission d'appel d'offres reste seule juge de la notation."
)
FILLS = {
    state: PatternFill(fill_type="solid", start_color=color, end_color=color)
    for state, color in {"ok": "D5ECD9", "partial": "FBE8B8", "ko": "F6D7D5", "na": "ECEEF1"}.items()
}
HEADER_FILL = PatternFill(fill_type="solid", start_color="E4E8EE", end_color="E4E8EE")
WRAP = Alignment(wrap_text=True, vertical="top")


def write_xlsx(ctx: ReportContext, path: str | os.PathLike[str]) -> Path:
    """Build the workbook in memory, then write it atomically: a failure keeps the previous file."""
    return write_atomic_bytes(path, render_xlsx(ctx))


def render_xlsx(ctx: ReportContext) -> bytes:
    """The workbook as bytes; the same context always gives the same bytes."""
    view = build_view(ctx)
    wb = Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
    _summary(wb, view)
    _detail(wb, view)
    _coverage(wb, view)
    _evidence(wb, view)
    _documents(wb, view)
    return workbook_bytes(wb, stamp=_document_date(ctx.date),
                          title=f"Rapport d'analyse des offres — {view.reference}")


def _document_date(value: str | None) -> datetime:
    if value:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return datetime(day.year, day.month, day.day)
    return FIXED_DATE


def _text(value: str) -> str:
    text = clean_text(value)
    return text if len(text) <= EXCEL_MAX_TEXT else text[: EXCEL_MAX_TEXT - 1] + "…"


def _write_row(ws: Any, row: int, values: Sequence[Value]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = _text(value)
            cell.data_type = "s"  # openpyxl turns « =… » into a formula on assignment: undo it
            if value.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True  # and keep it text when someone edits the cell in Excel
        elif isinstance(value, Decimal):
            cell.value = float(value)
            cell.number_format = "0.00"
        elif isinstance(value, int):
            cell.value = value
        cell.alignment = WRAP


def _sheet(wb: Workbook, title: str, headers: Sequence[str], widths: Sequence[int]) -> Any:
    ws = wb.create_sheet(title)
    _write_row(ws, 1, headers)
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    # Printed by the commission: landscape, as wide as the page, header repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    return ws


def _rank(offer: OfferView) -> Value:
    return offer.rang if offer.rang is not None and offer.rang_texte == str(offer.rang) else offer.rang_texte


def _summary(wb: Workbook, view: ReportView) -> None:
    headers = ["Rang", "Offre", "Soumissionnaire"]
    headers += [f"{c.libelle} (sur {format_weight(c.poids)})" for c in view.columns]
    headers += [f"Total (sur {format_weight(view.total_max)})", "Source des notes", "Document(s) à vérifier",
                "Offre potentiellement anormalement basse"]
    ws = _sheet(wb, "Synthèse", headers, [12, 16, 32, *[16] * len(view.columns), 14, 24, 14, 16])
    row = 1
    for row, offer in enumerate(view.offers, start=2):
        low = offer.prix is not None and offer.prix.anormalement_bas
        _write_row(ws, row, [
            _rank(offer), offer.id, offer.soumissionnaire,
            *offer.points, offer.total, offer.source,
            "Oui" if offer.a_verifier else "Non", "Oui" if low else "Non",
        ])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"
    facts: list[tuple[str, str]] = [
        ("Objet", view.objet),
        ("Référence", view.reference),
        ("Acheteur", view.acheteur),
        ("Grille de notation", f"{view.grille_libelle} ({view.grille_id})"),
    ]
    if view.date:
        facts.append(("Date", view.date))
    facts.append(("Avertissement", NOTICE))
    for offset, (label, value) in enumerate(facts, start=row + 2):
        _write_row(ws, offset, [label, value])
        ws.cell(row=offset, column=1).font = Font(bold=True)
        ws.merge_cells(start_row=offset, start_column=2, end_row=offset, end_column=len(headers))


def _detail(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire", "Critère", "Sous-critère", "Niveau", "Points", "Points max",
               "Source", "Explication", "Niveau suggéré par l'outil", "Explication de la suggestion"]
    ws = _sheet(wb, "Détail", headers, [14, 28, 24, 30, 18, 10, 10, 20, 50, 18, 50])
    row = 1
    for offer in view.offers:
        for line in offer.lignes:
            row += 1
            _write_row(ws, row, [
                offer.id, offer.soumissionnaire, line.critere, line.sous_critere, line.niveau,
                line.points, line.points_max, line.source, line.justification, line.suggestion,
                line.suggestion_explication,
            ])
        if offer.prix is not None:
            row += 1
            prix = offer.prix
            explanation = f"Montant : {prix.montant}"
            if prix.anormalement_bas:
                explanation += " — offre susceptible d'être anormalement basse"
                explanation += f" (règle : {prix.regle})" if prix.regle else ""
            _write_row(ws, row, [
                offer.id, offer.soumissionnaire, prix.critere, "—", None, prix.points, prix.points_max,
                f"Calcul ({prix.methode})", explanation, None, None,
            ])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"


def _state_text(block: EvidenceBlock) -> str:
    return f"{block.etat} ({block.confiance})" if block.confiance else block.etat


def _coverage(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire"]
    headers += [f"Élément : {label}" for _id, label in view.elements]
    headers += [f"Axe : {label}" for _id, label in view.axes]
    headers += [label for label, _meaning in FLAGS.values()]
    count = len(headers) - 2
    ws = _sheet(wb, "Couverture", headers, [14, 28, *[18] * count])
    for row, offer in enumerate(view.offers, start=2):
        blocks = offer.elements + offer.axes + offer.signaux
        if not offer.analysee:
            _write_row(ws, row, [offer.id, offer.soumissionnaire, *["Non analysé"] * count])
            continue
        _write_row(ws, row, [offer.id, offer.soumissionnaire, *[_state_text(b) for b in blocks]])
        for col, block in enumerate(blocks, start=3):
            ws.cell(row=row, column=col).fill = FILLS[block.state]
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(view.offers) + 1}"


def _evidence(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire", "Signal", "État", "Texte", "Fichier", "Page", "Paragraphe"]
    ws = _sheet(wb, "Preuves", headers, [14, 28, 30, 22, 80, 30, 8, 11])
    row = 1
    for offer in view.offers:
        for block in offer.blocks:
            for quote in block.preuves:
                row += 1
                _write_row(ws, row, [
                    offer.id, offer.soumissionnaire, block.signal, block.etat, quote.texte, quote.fichier,
                    quote.page, quote.paragraphe,
                ])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"


def _documents(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire", "Fichier", "Statut", "Motif", "Pages", "Mots", "SHA-256"]
    ws = _sheet(wb, "Documents", headers, [14, 28, 40, 22, 40, 8, 10, 68])
    row = 1
    for offer in view.offers:
        for doc in offer.documents:
            row += 1
            _write_row(ws, row, [
                offer.id, offer.soumissionnaire, doc.fichier, doc.statut, doc.motif, doc.pages, doc.mots,
                doc.sha256,
            ])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"

"""The comparative report as a workbook, for buyers who sort, filter and annotate.

Every text that may come from a bidder is written as a plain string cell: a passage starting with « = »
or « @ » must never become a formula (CSV/formula injection). The file is byte-identical from one run to
the next: fixed document dates and fixed timestamps inside the zip container.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from evaluation.atomic import write_atomic_bytes
from evaluation.officefile import document_date
from evaluation.reporting.build import build_view
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import FLAGS, VERSION_LABELS, clean_text, format_weight
from evaluation.reporting.view import EvidenceBlock, OfferView, ReportView
from evaluation.spreadsheet import EXCEL_MAX_TEXT, looks_like_formula, workbook_bytes

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
DERIVED_NOTE = (
    "Ces constats sont tirés mécaniquement des notes (sous-critère au sommet ou en bas de l'échelle) et des signaux "
    "de l'analyse ; ils ne remplacent pas l'appréciation de la commission."
)
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
    _prices(wb, view)
    _coverage(wb, view)
    _timeline(wb, view)
    _regulatory(wb, view)
    _assessment(wb, view)
    _evidence(wb, view)
    _warnings(wb, view)
    _documents(wb, view)
    _versions(wb, view)
    return workbook_bytes(wb, stamp=document_date(ctx.date),
                          title=f"Rapport d'analyse des offres — {view.reference}")


def _text(value: str) -> str:
    text = clean_text(value)
    return text if len(text) <= EXCEL_MAX_TEXT else text[: EXCEL_MAX_TEXT - 1] + "…"


def _write_row(ws: Any, row: int, values: Sequence[Value]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            text = _text(value)
            cell.value = text
            cell.data_type = "s"  # openpyxl turns « =… » into a formula on assignment: undo it
            if looks_like_formula(text):
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
    lines = 1
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
        if col <= len(headers):
            lines = max(lines, -(-len(headers[col - 1]) // max(int(width) - 4, 1)))
    ws.row_dimensions[1].height = 15 * lines  # wrapped headers: not every spreadsheet grows the row itself
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
    ws = _sheet(wb, "Synthèse", headers, [20, 16, 32, *[16] * len(view.columns), 14, 24, 14, 16])
    row = 1
    for row, offer in enumerate(view.offers, start=2):
        low = offer.prix is not None and offer.prix.anormalement_bas
        _write_row(ws, row, [
            _rank(offer), offer.id, offer.soumissionnaire,
            *offer.points, offer.total, offer.source,
            "Oui" if offer.a_verifier else "Non", "Oui" if low else "Non",
        ])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"
    last_offer = row
    facts: list[tuple[str, str]] = [
        ("Objet", view.objet),
        ("Référence", view.reference),
        ("Acheteur", view.acheteur),
        ("Grille de notation", f"{view.grille_libelle} ({view.grille_id})"),
    ]
    if view.date:
        facts.append(("Date", view.date))
    if view.provisoire:
        facts.append(("Classement", "PROVISOIRE : certaines notes ne sont que des suggestions de l'outil ou manquent ; "
                                    "il ne vaut pas proposition d'attribution."))
    if view.criteres_non_notes:
        facts.append(("Totaux partiels", "Critère(s) non encore noté(s) : " + ", ".join(view.criteres_non_notes)
                      + " ; les totaux ne portent que sur les critères notés."))
    facts.append(("Avertissement", NOTICE))
    for offset, (label, value) in enumerate(facts, start=row + 2):
        _write_row(ws, offset, [label, value])
        ws.cell(row=offset, column=1).font = Font(bold=True)
        ws.merge_cells(start_row=offset, start_column=2, end_row=offset, end_column=len(headers))
    if last_offer >= 2 and view.columns:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = f"Points par critère et total sur {format_weight(view.total_max)}"
        chart.y_axis.title = "Points"
        chart.x_axis.scaling.orientation = "maxMin"  # first ranked at the top, as in the table
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = float(view.total_max)
        chart.add_data(Reference(ws, min_col=4, max_col=3 + len(view.columns), min_row=1, max_row=last_offer),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=3, min_row=2, max_row=last_offer))
        chart.height = 5 + 1.2 * (last_offer - 1)
        chart.width = 26
        chart.legend.position = "b"
        chart.y_axis.number_format = "0"
        chart.y_axis.majorUnit = float(view.total_max) / 4
        ws.add_chart(chart, f"B{row + len(facts) + 4}")


def _detail(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire", "Critère", "Sous-critère", "Niveau", "Points", "Points max",
               "Source", "Explication", "Niveau suggéré par l'outil", "Explication de la suggestion",
               "Évaluateurs", "Désaccord", "Consensus"]
    ws = _sheet(wb, "Détail", headers, [14, 28, 24, 30, 18, 10, 10, 20, 50, 18, 50, 50, 11, 40])
    row = 1
    for offer in view.offers:
        for line in offer.lignes:
            row += 1
            evaluators = "\n".join(
                f"{e.evaluateur} : {e.niveau}" + (f" — {e.justification}" if e.justification else "")
                for e in line.evaluateurs
            )
            _write_row(ws, row, [
                offer.id, offer.soumissionnaire, line.critere, line.sous_critere, line.niveau,
                line.points if line.notee else None, line.points_max, line.source if line.notee else "À noter",
                line.justification, line.suggestion, line.suggestion_explication,
                evaluators or None, "Oui" if line.desaccord else "Non", line.consensus or None,
            ])
            if line.desaccord:
                ws.cell(row=row, column=13).fill = FILLS["partial"]
        if offer.prix is not None:
            row += 1
            prix = offer.prix
            explanation = f"Montant : {prix.montant}"
            if prix.anormalement_bas:
                explanation += " — offre susceptible d'être anormalement basse"
                explanation += f" (règle : {prix.regle})" if prix.regle else ""
            _write_row(ws, row, [
                offer.id, offer.soumissionnaire, prix.critere, "—", None, prix.points, prix.points_max,
                f"Calcul ({prix.methode})", explanation, None, None, None, None, None,
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
        for group in offer.autres:
            for item in group.constats:
                for quote in item.preuves:
                    row += 1
                    _write_row(ws, row, [
                        offer.id, offer.soumissionnaire, group.titre, item.titre, quote.texte, quote.fichier,
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


def _prices(wb: Workbook, view: ReportView) -> None:
    section = view.prix
    if section is None:
        return
    headers = ["Rang", "Offre", "Soumissionnaire", f"Montant {section.exprimes} (€)", "Écart au moins-disant",
               "Points", "Points max", "Offre potentiellement anormalement basse", "Règle déclenchée",
               "Demande de précisions"]
    ws = _sheet(wb, "Prix", headers, [20, 14, 32, 18, 16, 10, 10, 18, 50, 44])
    row = 1
    for row, line in enumerate(section.lignes, start=2):
        _write_row(ws, row, [
            int(line.rang_texte) if line.rang_texte.isdigit() else line.rang_texte, line.offre_id,
            line.soumissionnaire, line.montant, line.ecart or None,
            line.points, line.points_max, "Oui" if line.anormalement_bas else "Non", line.regle or None,
            f"resultats/demande-precisions-{line.offre_id}.txt" if line.demande_anchor else None,
        ])
        if line.montant is not None:
            ws.cell(row=row, column=4).number_format = "#,##0.00"
        if line.anormalement_bas:
            ws.cell(row=row, column=8).fill = FILLS["ko"]
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"
    notes = [
        ("Critère", f"{section.critere} — {format_weight(section.poids)} points"),
        ("Méthode", section.methode),
        ("Règle de détection", f"{section.anomalie}. {section.seuil}"),
        ("Rappel", "Une offre signalée n'est jamais écartée sans avoir été invitée à justifier son prix "
                   "(article R. 2152-3 du code de la commande publique)."),
    ]
    for offset, (label, value) in enumerate(notes, start=row + 2):
        _write_row(ws, offset, [label, value])
        ws.cell(row=offset, column=1).font = Font(bold=True)
        ws.merge_cells(start_row=offset, start_column=2, end_row=offset, end_column=len(headers))
    if row >= 2:
        chart = BarChart()
        chart.type = "col"
        chart.title = f"Montant des offres ({section.exprimes}, €)"
        chart.legend = None
        chart.y_axis.title = "€"
        chart.y_axis.number_format = "#,##0"
        chart.add_data(Reference(ws, min_col=4, min_row=1, max_row=row), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=3, min_row=2, max_row=row))
        chart.width = 24
        chart.height = 9
        ws.add_chart(chart, f"B{row + len(notes) + 4}")


def _timeline(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire", "N°", "Échéance", "Nature", "Expressions relevées", "Action", "Fichier",
               "Page", "Paragraphe"]
    ws = _sheet(wb, "Calendrier", headers, [14, 28, 8, 26, 24, 30, 70, 30, 8, 11])
    row = 1
    for timeline in view.calendriers:
        for m in timeline.jalons:
            row += 1
            _write_row(ws, row, [
                timeline.offre_id, timeline.soumissionnaire, m.numero, m.repere,
                "À partir de la notification" if m.nature == "relatif" else "Date du calendrier",
                " ; ".join(m.expressions), m.citation.texte, m.citation.fichier, m.citation.page,
                m.citation.paragraphe,
            ])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"


def _regulatory(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire", "Constat", "Détail", "Texte", "Fichier", "Page", "Paragraphe"]
    ws = _sheet(wb, "Réglementation", headers, [14, 28, 34, 40, 80, 30, 8, 11])
    row = 1
    for offer in view.reglementaire:
        for label, block in (("Au-delà du minimum légal", offer.depassement),
                             ("Réglementation seulement respectée", offer.conformite)):
            if block is None:
                continue
            for quote in block.preuves:
                row += 1
                _write_row(ws, row, [offer.offre_id, offer.soumissionnaire, label, block.etat, quote.texte,
                                     quote.fichier, quote.page, quote.paragraphe])
        groups = (offer.minimums,) if offer.minimums is not None else ()
        for group in groups:
            for item in group.constats:
                detail = " ; ".join(f"{k} : {v}" for k, v in item.champs)
                label = f"{item.titre} — {detail}" if detail else item.titre
                if not item.preuves:
                    row += 1
                    _write_row(ws, row, [offer.offre_id, offer.soumissionnaire, group.titre, label, None, None,
                                         None, None])
                for quote in item.preuves:
                    row += 1
                    _write_row(ws, row, [offer.offre_id, offer.soumissionnaire, group.titre, label, quote.texte,
                                         quote.fichier, quote.page, quote.paragraphe])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"


def _assessment(wb: Workbook, view: ReportView) -> None:
    headers = ["Offre", "Soumissionnaire", "Rang", "Catégorie", "Constat (dérivé des notes et des signaux)"]
    ws = _sheet(wb, "Forces et faiblesses", headers, [14, 28, 12, 20, 90])
    row = 1
    for offer in view.offers:
        for label, points in (("Force", offer.appreciation.forces), ("Faiblesse", offer.appreciation.faiblesses),
                              ("Point de vigilance", offer.appreciation.vigilance)):
            for point in points:
                row += 1
                _write_row(ws, row, [offer.id, offer.soumissionnaire, offer.rang_texte, label, point.texte])
                ws.cell(row=row, column=4).fill = FILLS[{"Force": "ok", "Faiblesse": "ko"}.get(label, "partial")]
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"
    _write_row(ws, row + 2, ["Note", DERIVED_NOTE])
    ws.merge_cells(start_row=row + 2, start_column=2, end_row=row + 2, end_column=len(headers))


def _warnings(wb: Workbook, view: ReportView) -> None:
    headers = ["Rubrique", "Sujet", "Constat"]
    ws = _sheet(wb, "Avertissements", headers, [22, 40, 110])
    rows: list[tuple[str, str, str]] = [("Avertissement", "Classement", a) for a in view.avertissements]
    rows += [("Contrôle de cohérence", "Fichiers", c) for c in view.controles]
    rows += [("Sensibilité", title, text) for title, text in view.sensibilite]
    for row, values in enumerate(rows, start=2):
        _write_row(ws, row, list(values))
    ws.auto_filter.ref = f"A1:C{len(rows) + 1}"


def _versions(wb: Workbook, view: ReportView) -> None:
    ws = _sheet(wb, "Versions", ["Composant", "Analyse (analyse.json)", "Classement (classement.json)"], [30, 40, 40])
    for row, (name, analysis, ranking) in enumerate(view.versions, start=2):
        _write_row(ws, row, [VERSION_LABELS.get(name, name), analysis, ranking])

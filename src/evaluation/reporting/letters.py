"""Letters drafted for the buyer: information of rejected bidders, and requests for justification of a price.

Rejection letter (articles R. 2181-1 and R. 2181-3 of the code de la commande publique): the reasons of the
rejection criterion by criterion, the bidder's scores and rank, the name and scores of the winner, the
characteristics and advantages of the winning offer (its derived strengths), and the standstill period
(« délai de suspension », R. 2182-1: at least 11 days after a notification sent by electronic means, 16
otherwise), a parameter the buyer must check. While the ranking is provisional the letters are still
written, as drafts marked « PROJET — classement provisoire — ne pas diffuser » on every page: the buyer can
prepare them while the commission works, and cannot mistake them for letters to send.

Request for justification (R. 2152-3): the draft the scoring wrote in classement.json, laid out as a
letter with the buyer's answer deadline left to fill in.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from evaluation.reporting.labels import STANDSTILL_DAYS, format_date, format_weight
from evaluation.reporting.report_docx import points_text
from evaluation.reporting.view import OfferView, ReportView, Request
from evaluation.reporting.word import (
    RED,
    add_heading,
    add_paragraph,
    add_placeholder,
    add_signature,
    add_table,
)

__all__ = ["DEFAULT_STANDSTILL", "build_rejection_letter", "build_request_letter", "rejected_offers"]

#: Standstill period for a notification sent by electronic means (article R. 2182-1).
DEFAULT_STANDSTILL = STANDSTILL_DAYS


def rejected_offers(view: ReportView) -> tuple[OfferView, ...]:
    """Every offer but the winner; none while no single offer is ranked first (a tie must be broken first)."""
    winner = view.laureat
    if winner is None:
        return ()
    return tuple(o for o in view.offers if o.id != winner.id)


def _addresses(doc: Any, view: ReportView, recipient: str) -> None:
    add_paragraph(doc, view.acheteur, bold=True)
    paragraph = add_paragraph(doc)
    add_placeholder(paragraph, "[adresse de l'acheteur]")
    paragraph = add_paragraph(doc, recipient, bold=True)
    paragraph.paragraph_format.left_indent = doc.sections[0].page_width // 2 - doc.sections[0].left_margin
    paragraph = add_paragraph(doc)
    paragraph.paragraph_format.left_indent = doc.sections[0].page_width // 2 - doc.sections[0].left_margin
    add_placeholder(paragraph, "[adresse du soumissionnaire]")
    doc.add_paragraph()


def _place_and_date(view: ReportView) -> str:
    return f"À ……………………, le {view.date or '……………………'}"


def _criterion_reasons(offer: OfferView, winner: OfferView, view: ReportView) -> list[list[str]]:
    rows = []
    for i, column in enumerate(view.columns):
        lines = [line for line in offer.lignes if line.critere == column.libelle]
        if lines:
            reasons = "\n".join(
                f"{line.sous_critere} : {line.niveau}" + (f" — {line.justification}" if line.justification else "")
                if line.notee else f"{line.sous_critere} : non noté"
                for line in lines
            )
        elif offer.prix is not None and column.libelle == offer.prix.critere:
            reasons = f"Montant de votre offre : {offer.prix.montant} ({offer.prix.methode})."
            if winner.prix is not None:
                reasons += f" Offre retenue : {winner.prix.montant}."
        else:
            reasons = "—"
        rows.append([
            f"{column.libelle} ({format_weight(column.poids)} points)",
            points_text(offer.points[i]),
            points_text(winner.points[i]),
            reasons,
        ])
    rows.append([f"Total ({format_weight(view.total_max)} points)", points_text(offer.total),
                 points_text(winner.total), f"Rang de votre offre : {offer.rang_texte.lower()}"])
    return rows


def _standstill(doc: Any, view: ReportView, days: int) -> None:
    add_heading(doc, "Délai de suspension", 2)
    paragraph = add_paragraph(
        doc,
        "Conformément à l'article R. 2182-1 du code de la commande publique, le marché ne sera pas signé avant "
        f"l'expiration d'un délai de {days} jours à compter de la date d'envoi de la présente notification",
    )
    if view.date_iso:
        try:
            sent = date.fromisoformat(view.date_iso)
        except ValueError:
            sent = None
        if sent is not None:
            paragraph.add_run(f", soit pas avant le {format_date((sent + timedelta(days=days)).isoformat())} "
                              f"pour un envoi le {view.date}")
    paragraph.add_run(". ")
    add_placeholder(paragraph, "[À vérifier par l'acheteur : 11 jours pour une notification par voie électronique, "
                               "16 jours sinon ; délai sans objet dans certaines procédures (procédure adaptée, "
                               "marché subséquent…). Adaptez la date à celle de l'envoi effectif.]")


def build_rejection_letter(doc: Any, view: ReportView, offer: OfferView, *, days: int) -> None:
    """Fill `doc` with the information letter to the bidder of `offer` (not the winner)."""
    winner = view.laureat
    if winner is None:  # pragma: no cover - rejected_offers() returns no offer then
        raise ValueError("aucune offre retenue : pas de lettre de rejet")
    if view.provisoire:
        add_paragraph(doc, "PROJET — classement provisoire. Ce projet repose sur des notes que la commission n'a pas "
                           "toutes arrêtées : ne l'envoyez pas avant la décision d'attribution.", bold=True, color=RED)
    _addresses(doc, view, offer.soumissionnaire)
    add_paragraph(doc, _place_and_date(view))
    paragraph = add_paragraph(doc, "Objet : ", bold=True)
    paragraph.add_run(f"consultation {view.reference} — {view.objet} — information sur le rejet de votre offre")
    add_paragraph(doc, "Envoi par le profil d'acheteur (voie électronique). ", italic=True)
    add_paragraph(doc, "Madame, Monsieur,")
    ranked = [o for o in view.offers if o.rang is not None]
    if offer.rang is not None:
        position = (f"Elle est classée au rang {offer.rang_texte} sur {len(ranked)} offres classées, avec "
                    f"{points_text(offer.total)} points sur {format_weight(view.total_max)}.")
    else:
        position = "Elle n'a pas pu être classée."
    add_paragraph(doc, "Vous avez remis une offre dans le cadre de la consultation citée en objet, et je vous en "
                       "remercie. J'ai le regret de vous informer qu'elle n'a pas été retenue. " + position)
    if offer.rang is None:
        add_placeholder(add_paragraph(doc), "[motif pour lequel l'offre n'a pas été classée, à préciser]")
    add_heading(doc, "Motifs du rejet, critère par critère", 2)
    add_table(doc, ["Critère", "Votre offre", "Offre retenue", "Appréciation de votre offre"],
              _criterion_reasons(offer, winner, view), widths=(36, 22, 22, 90))
    add_heading(doc, "L'offre retenue", 2)
    add_paragraph(doc, f"L'offre retenue est celle de {winner.soumissionnaire}, qui a obtenu "
                       f"{points_text(winner.total)} points sur {format_weight(view.total_max)}.")
    add_paragraph(doc, "Caractéristiques et avantages de l'offre retenue :", bold=True)
    if winner.appreciation.forces:
        for point in winner.appreciation.forces:
            add_paragraph(doc, point.texte, style="List Bullet")
    else:
        add_placeholder(add_paragraph(doc), "[caractéristiques et avantages de l'offre retenue, à compléter]")
    add_placeholder(add_paragraph(doc), "[À relire : ne communiquez aucune information couverte par le secret des "
                                        "affaires de l'attributaire.]")
    _standstill(doc, view, days)
    add_paragraph(doc)
    add_paragraph(doc, "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.")
    add_signature(doc, lieu_date="", qualite="Le représentant de l'acheteur")


def build_request_letter(doc: Any, view: ReportView, request: Request) -> None:
    """Fill `doc` with the request for justification of an abnormally low price (R. 2152-3)."""
    _addresses(doc, view, request.soumissionnaire)
    add_paragraph(doc, _place_and_date(view))
    for block in request.texte.split("\n\n"):
        text = block.strip()
        if not text:
            continue
        if text.startswith("Objet :"):
            paragraph = add_paragraph(doc, "Objet : ", bold=True)
            paragraph.add_run(text.removeprefix("Objet :").strip())
        else:
            add_paragraph(doc, text)
    paragraph = add_paragraph(doc, "Votre réponse est attendue au plus tard le ")
    add_placeholder(paragraph, "[date limite de réponse, à compléter]")
    paragraph.add_run(", par le profil d'acheteur.")
    add_paragraph(doc, "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.")
    add_signature(doc, lieu_date="", qualite="Le représentant de l'acheteur")

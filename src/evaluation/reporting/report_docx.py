"""The analysis report as an editable Word document, following the DAJ form OUV8 (rapport d'analyse des offres).

OUV8 sections: identification of the buyer, object of the consultation, course of the procedure (offers
received), elimination of offers, analysis of the offers per criterion, ranking, award proposal,
signature of the head of the department that analysed the offers. The tool eliminates no offer: the
elimination section lists what the buyer must examine (documents to check, abnormally low prices with the
pending request, offers that could not be ranked). The award is phrased as a proposal to the commission.
What the tool cannot know (procedure, dates) is a yellow « [à compléter] » for the buyer.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evaluation.reporting.labels import FLAGS, VERSION_LABELS, format_decimal, format_weight
from evaluation.reporting.view import OfferView, ReportView
from evaluation.reporting.word import (
    RED,
    add_heading,
    add_paragraph,
    add_placeholder,
    add_signature,
    add_table,
)

__all__ = ["NOTICE", "build_report_document", "points_text"]

NOTICE = (
    "Les niveaux suggérés par l'outil ne sont qu'une aide : la commission d'appel d'offres reste seule juge "
    "de la notation."
)


def points_text(value: Decimal | str | None) -> str:
    """Points as printed: « 12,50 »; « non noté » stays as the view gives it, never a zero."""
    if isinstance(value, str):
        return value
    return "—" if value is None else format_decimal(value)


def _field(doc: Any, label: str, value: str | None, placeholder: str = "") -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(label + " : ")
    run.bold = True
    if value:
        paragraph.add_run(value)
    else:
        add_placeholder(paragraph, placeholder or "[à compléter]")


def _status(offer: OfferView) -> str:
    if not offer.documents:
        return "aucun document analysé"
    return "; ".join(f"{d.fichier} : {d.statut.lower()}" + (f" ({d.motif})" if d.motif else "")
                     for d in offer.documents)


def _elimination(doc: Any, view: ReportView) -> None:
    add_heading(doc, "D. Élimination des offres", 1)
    add_paragraph(doc, "L'outil n'élimine aucune offre. Les points ci-dessous sont soumis à l'examen de l'acheteur "
                       "et de la commission, qui seuls peuvent déclarer une offre irrégulière, inacceptable ou "
                       "inappropriée.")
    add_heading(doc, "D.1 Offres dont un document est à vérifier", 2)
    checks = [o for o in view.offers if o.a_verifier]
    if checks:
        for offer in checks:
            add_paragraph(doc, f"{offer.soumissionnaire} ({offer.id}) : {_status(offer)}.", style="List Bullet")
    else:
        add_paragraph(doc, "Tous les documents remis ont été lus en entier.")
    add_heading(doc, "D.2 Offres potentiellement anormalement basses", 2)
    low = [o for o in view.offers if o.prix is not None and o.prix.anormalement_bas]
    if low:
        for offer in low:
            assert offer.prix is not None
            add_paragraph(doc, f"{offer.soumissionnaire} ({offer.id}), {offer.prix.montant} : {offer.prix.regle}. "
                               "Une demande de précisions doit lui être adressée (article R. 2152-3 du code de la "
                               f"commande publique) ; projet : rapports/demandes-precisions/{offer.id}.docx. "
                               "L'offre ne peut être rejetée qu'après examen de sa réponse.", style="List Bullet")
    else:
        add_paragraph(doc, "Aucune offre n'a été signalée par la règle de détection.")
    add_heading(doc, "D.3 Offres non classées", 2)
    unranked = [o for o in view.offers if o.rang is None]
    if unranked:
        for offer in unranked:
            add_paragraph(doc, f"{offer.soumissionnaire} ({offer.id}) : {offer.rang_texte.lower()} ; voir les "
                               "avertissements du classement.", style="List Bullet")
    else:
        add_paragraph(doc, "Toutes les offres sont classées.")
    paragraph = add_paragraph(doc, "Offres irrégulières, inacceptables ou inappropriées : ")
    add_placeholder(paragraph, "[à compléter par l'acheteur le cas échéant, avec le motif ; sinon : néant]")


def _method(doc: Any, view: ReportView) -> None:
    add_heading(doc, "E.1 Critères, pondération et méthode", 2)
    rows = []
    for c in view.criteres:
        detail = "; ".join(f"{s.libelle} : {format_weight(s.part)} % du critère ({format_decimal(s.points)} points)"
                           for s in c.sous_criteres)
        if c.prix:
            detail = f"{c.prix}. Offres anormalement basses : {c.anomalie}"
        rows.append([c.libelle, format_weight(c.poids), detail])
    add_table(doc, ["Critère", "Points", "Sous-critères ou méthode de calcul"], rows, widths=(45, 16, 109))
    add_paragraph(doc)
    add_paragraph(doc, f"Grille « {view.grille_libelle} » ({view.grille_id}). Chaque sous-critère reçoit un niveau "
                       f"de l'échelle ci-dessous ; ses points valent le niveau divisé par {view.echelle_max}, "
                       "multiplié par les points du sous-critère.")
    add_table(doc, ["Niveau", "Libellé", "Descripteur"],
              [[str(level), label, text] for level, label, text in view.echelle], widths=(16, 44, 110))


def _analysis(doc: Any, view: ReportView) -> None:
    add_heading(doc, "E. Analyse des offres", 1)
    _method(doc, view)
    add_heading(doc, "E.2 Analyse par critère", 2)
    for criterion in view.analyse_criteres:
        add_heading(doc, f"{criterion.libelle} — {format_weight(criterion.poids)} points", 3)
        if criterion.prix and view.prix is not None:
            add_table(doc, ["Rang", "Offre", f"Montant {view.prix.exprimes}", "Points", "Anormalement basse"], [
                [line.rang_texte, f"{line.soumissionnaire} ({line.offre_id})",
                 f"{format_decimal(line.montant)} €" if line.montant is not None else "Non communiqué",
                 f"{points_text(line.points)} / {points_text(line.points_max)}" if line.points is not None else "—",
                 f"Oui : {line.regle}" if line.anormalement_bas else "Non"]
                for line in view.prix.lignes
            ], widths=(16, 54, 32, 26, 42))
            add_paragraph(doc, view.prix.seuil, italic=True)
        for sub in criterion.sous_criteres:
            add_heading(doc, f"{sub.libelle} — {format_decimal(sub.points_max)} points", 4)
            if sub.aucune_note:
                add_paragraph(doc, "Pas encore noté par la commission, pour aucune offre.", italic=True)
                continue
            rows = []
            for row in sub.lignes:
                line = row.ligne
                notes = "\n".join(f"{e.evaluateur} : {e.niveau}" + (f" — {e.justification}" if e.justification else "")
                                  for e in line.evaluateurs)
                if line.consensus:
                    notes += ("\n" if notes else "") + f"Consensus : {line.consensus}"
                if line.desaccord:
                    notes += ("\n" if notes else "") + "Désaccord entre évaluateurs"
                rows.append([
                    f"{row.offre} ({row.offre_id})",
                    line.niveau + (f" ({line.source.lower()})" if line.notee else " (à noter)"),
                    f"{points_text(line.points)} / {points_text(line.points_max)}" if line.notee else "—",
                    line.justification or "—",
                    notes or "—",
                ])
            add_table(doc, ["Offre", "Niveau retenu", "Points", "Justification", "Évaluateurs"], rows,
                      widths=(36, 30, 20, 52, 32))
    add_heading(doc, "E.3 Couverture du plan de progrès", 2)
    analysed = [o for o in view.offers if o.analysee]
    if analysed:
        ids = [o.id for o in analysed]
        add_paragraph(doc, "Colonnes : identifiants des offres (voir la partie C). " + " ; ".join(
            f"{o.id} : {o.soumissionnaire}" for o in analysed) + ".", italic=True)
        add_table(doc, ["Élément du plan", *ids], [
            [label, *[o.elements[i].etat for o in analysed]] for i, (_id, label) in enumerate(view.elements)
        ])
        add_paragraph(doc)
        add_table(doc, ["Axe demandé", *ids], [
            [label, *[o.axes[i].etat for o in analysed]] for i, (_id, label) in enumerate(view.axes)
        ])
        add_paragraph(doc)
        add_table(doc, ["Signal", *ids], [
            [label, *[o.signaux[i].etat for o in analysed]] for i, (label, _m) in enumerate(FLAGS.values())
        ])
    add_heading(doc, "E.4 Forces et faiblesses (dérivées des notes et des signaux)", 2)
    add_paragraph(doc, "Constats tirés mécaniquement des notes et des signaux de l'analyse ; ils ne remplacent pas "
                       "l'appréciation de la commission.", italic=True)
    for offer in view.offers:
        add_heading(doc, f"{offer.soumissionnaire} ({offer.id})", 3)
        for title, points in (("Forces", offer.appreciation.forces), ("Faiblesses", offer.appreciation.faiblesses),
                              ("Points de vigilance", offer.appreciation.vigilance)):
            if points:
                add_paragraph(doc, title, bold=True)
                for point in points:
                    add_paragraph(doc, point.texte, style="List Bullet")


def _ranking(doc: Any, view: ReportView) -> None:
    add_heading(doc, "F. Classement des offres", 1)
    if view.provisoire:
        add_paragraph(doc, "Classement provisoire : certaines notes ne sont que des suggestions de l'outil ou "
                           "manquent.", bold=True, color=RED)
    if view.criteres_non_notes:
        add_paragraph(doc, "Totaux partiels : critère(s) non encore noté(s) : " + ", ".join(view.criteres_non_notes)
                      + ".", bold=True, color=RED)
    headers = ["Rang", "Offre", *[f"{c.libelle} (/{format_weight(c.poids)})" for c in view.columns],
               f"Total (/{format_weight(view.total_max)})"]
    share = 110 / (len(view.columns) + 1)
    add_table(doc, headers, [
        [o.rang_texte, f"{o.soumissionnaire} ({o.id})", *[points_text(p) for p in o.points], points_text(o.total)]
        for o in view.offers
    ], widths=(16, 44, *[share] * (len(view.columns) + 1)))
    if view.sensibilite:
        add_heading(doc, "Sensibilité du classement", 2)
        for title, text in view.sensibilite:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(title + " : ").bold = True
            paragraph.add_run(text)
    if view.avertissements or view.controles:
        add_heading(doc, "Avertissements", 2)
        for text in (*view.avertissements, *view.controles):
            add_paragraph(doc, text, style="List Bullet")


def _proposal(doc: Any, view: ReportView) -> None:
    add_heading(doc, "G. Proposition d'attribution", 1)
    winner = view.laureat
    if winner is None:
        tied = [o for o in view.offers if o.rang == 1]
        text = ("Plusieurs offres sont classées premières ex æquo : la commission doit les départager avant toute "
                "proposition d'attribution." if len(tied) > 1 else
                "Aucune offre n'est classée : le service propose à la commission d'examiner s'il y a lieu de déclarer "
                "la procédure sans suite ou infructueuse.")
        add_paragraph(doc, text)
        return
    if view.provisoire:
        add_paragraph(doc, f"À ce stade, l'offre la mieux classée est celle de {winner.soumissionnaire} ({winner.id}), "
                           f"avec {points_text(winner.total)} points sur {format_weight(view.total_max)}. Le "
                           "classement étant provisoire, aucune proposition d'attribution n'est formulée tant que la "
                           "commission n'a pas arrêté ses notes.", bold=True, color=RED)
        label = "Caractéristiques et avantages de l'offre la mieux classée à ce stade :"
    else:
        add_paragraph(doc, f"Au vu de l'analyse qui précède, le service chargé de l'analyse des offres propose à la "
                           f"commission de retenir l'offre de {winner.soumissionnaire} ({winner.id}), classée première "
                           f"avec {points_text(winner.total)} points sur {format_weight(view.total_max)}. La décision "
                           "d'attribution appartient à la commission et au pouvoir adjudicateur.")
        label = "Caractéristiques et avantages de l'offre proposée :"
    if winner.appreciation.forces:
        add_paragraph(doc, label, bold=True)
        for point in winner.appreciation.forces:
            add_paragraph(doc, point.texte, style="List Bullet")
    if winner.prix is not None and winner.prix.anormalement_bas:
        add_paragraph(doc, "Attention : cette offre est potentiellement anormalement basse ; elle ne peut être retenue "
                           "qu'après examen des justifications demandées.", bold=True, color=RED)


def build_report_document(doc: Any, view: ReportView) -> None:
    """Fill `doc` (from `word.new_document`) with the OUV8-structured analysis report."""
    doc.add_heading("Rapport d'analyse des offres", level=0)
    add_paragraph(doc, view.objet, bold=True)
    if view.provisoire:
        add_paragraph(doc, "PROJET — classement provisoire : les notes ne sont pas toutes arrêtées par la commission.",
                      bold=True, color=RED)
    add_paragraph(doc, NOTICE, italic=True)

    add_heading(doc, "A. Identification de l'acheteur", 1)
    _field(doc, "Acheteur", view.acheteur)
    _field(doc, "Service chargé de l'analyse des offres", None)

    add_heading(doc, "B. Objet de la consultation", 1)
    _field(doc, "Objet", view.objet)
    _field(doc, "Référence", view.reference)
    _field(doc, "Procédure de passation", None, "[à compléter : appel d'offres ouvert, procédure adaptée…]")
    _field(doc, "Allotissement", None, "[à compléter : lot unique, ou lot concerné]")

    add_heading(doc, "C. Déroulement de la procédure", 1)
    _field(doc, "Date d'envoi de l'avis de publicité", None)
    _field(doc, "Date limite de réception des offres", None)
    add_paragraph(doc, f"Offres reçues et examinées : {len(view.offers)}.")
    add_table(doc, ["Offre", "Soumissionnaire", "Documents remis", f"Prix ({view.prix_exprimes})"], [
        [o.id, o.soumissionnaire, _status(o), o.prix.montant if o.prix is not None else "—"]
        for o in view.offers
    ], widths=(20, 45, 70, 35))

    _elimination(doc, view)
    _analysis(doc, view)
    _ranking(doc, view)
    _proposal(doc, view)

    add_heading(doc, "H. Signature du responsable du service", 1)
    add_signature(doc, lieu_date=f"Fait à ……………………, le {view.date or '……………………'}",
                  qualite="Le responsable du service chargé de l'analyse des offres")

    doc.add_page_break()
    add_heading(doc, "Annexe : documents examinés et versions", 1)
    add_table(doc, ["Offre", "Fichier", "Statut", "SHA-256"], [
        [o.id, d.fichier, d.statut + (f" : {d.motif}" if d.motif else ""), d.sha256]
        for o in view.offers for d in o.documents
    ], widths=(18, 45, 35, 72))
    add_paragraph(doc)
    add_table(doc, ["Composant", "Analyse", "Classement"], [
        [VERSION_LABELS.get(name, name), analysis, ranking] for name, analysis, ranking in view.versions
    ])

"""Strengths, weaknesses and points of attention of each offer, derived mechanically from scores and flags.

Nothing here is a judgement: a sub-criterion at the top of the scale is a strength, one at the bottom a
weakness, a flag the analysis raised is named with a link to its evidence. The report labels the result
as derived, and the commission's own appreciation prevails. The winning offer's strengths feed the
« caractéristiques et avantages de l'offre retenue » of the rejection letters.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from evaluation.reporting.labels import FLAGS, format_decimal
from evaluation.reporting.view import Assessment, OfferView, Point

__all__ = ["assess", "with_assessments"]


def _join(labels: list[str]) -> str:
    return ", ".join(labels[:-1]) + " et " + labels[-1] if len(labels) > 1 else labels[0]


def assess(offer: OfferView, offers: tuple[OfferView, ...], max_level: int) -> Assessment:
    """Strengths, weaknesses and points of attention of `offer`, in a fixed order.

    Args:
        offer: the offer assessed.
        offers: every offer of the report (the lowest price is a strength only among them).
        max_level: the top of the grid's scale.
    """
    forces: list[Point] = []
    faiblesses: list[Point] = []
    vigilance: list[Point] = []
    top, bottom = Decimal(max_level), Decimal(max_level) / 4
    for line in offer.lignes:
        if line.niveau_valeur is None:
            continue
        points = (
            f" ({format_decimal(line.points)} sur {format_decimal(line.points_max)} points)"
            if line.points is not None and line.points_max is not None else ""
        )
        text = f"« {line.sous_critere} » : niveau {line.niveau}{points}"
        if line.niveau_valeur >= top:
            forces.append(Point(text, line.suggestion_anchor))
        elif line.niveau_valeur <= bottom:
            faiblesses.append(Point(text, line.suggestion_anchor))
    flags = dict(zip(FLAGS, offer.signaux, strict=False))  # signaux follow the order of FLAGS
    planning, beyond = flags.get("planning_precis"), flags.get("depassement_reglementaire")
    compliance, commitment = flags.get("conformite_seule"), flags.get("engagement")
    if planning is not None:
        if planning.etat == "Oui":
            forces.append(Point("Planning précis : les actions portent des dates ou des échéances vérifiables",
                                planning.anchor))
        else:
            faiblesses.append(Point("Pas de planning précis : actions sans date ni échéance vérifiable",
                                    planning.anchor))
    if beyond is not None and beyond.etat == "Oui":
        forces.append(Point("Engagement explicite au-delà d'un minimum réglementaire", beyond.anchor))
    if compliance is not None and compliance.etat == "Oui":
        faiblesses.append(Point("Réglementation citée comme seulement respectée, sans engagement supplémentaire",
                                compliance.anchor))
    if commitment is not None:
        if commitment.state == "ok":
            forces.append(Point("Engagements fermes", commitment.anchor))
        else:
            faiblesses.append(Point(f"Engagements {commitment.etat.lower()}s", commitment.anchor))
    present = [b for b in offer.elements if b.state == "ok"]
    absent = [b for b in offer.elements if b.state == "ko"]
    if offer.elements and len(present) == len(offer.elements):
        forces.append(Point(f"Les {len(present)} éléments du plan de progrès sont présents"))
    elif absent:
        faiblesses.append(Point("Élément(s) du plan absent(s) : " + _join([b.titre for b in absent]),
                                absent[0].anchor))
    covered = [b for b in offer.axes if b.state == "ok"]
    mentioned = [b for b in offer.axes if b.state == "partial"]
    missing = [b for b in offer.axes if b.state == "ko"]
    if offer.axes and len(covered) == len(offer.axes):
        forces.append(Point(f"Les {len(covered)} axes demandés sont couverts par des actions concrètes",
                            covered[0].anchor))
    if mentioned:
        faiblesses.append(Point("Axe(s) seulement mentionné(s), sans action : " + _join([b.titre for b in mentioned]),
                                mentioned[0].anchor))
    if missing:
        faiblesses.append(Point("Axe(s) non couvert(s) : " + _join([b.titre for b in missing]), missing[0].anchor))
    priced = [o.prix.montant_value for o in offers if o.prix is not None and o.prix.montant_value is not None]
    prix = offer.prix
    if prix is not None and prix.montant_value is not None and prix.montant_value == min(priced, default=None) \
            and not prix.anormalement_bas:
        forces.append(Point(f"Prix le plus bas des offres ({prix.montant})", "prix"))
    if offer.a_verifier:
        vigilance.append(Point("Document(s) à vérifier à la main : au moins un fichier n'a pas été lu entièrement",
                               f"{offer.anchor}-documents"))
    if offer.prix is not None and offer.prix.anormalement_bas:
        vigilance.append(Point("Prix potentiellement anormalement bas : demander des précisions au soumissionnaire "
                               "(article R. 2152-3) avant toute décision", offer.demande_anchor or "prix"))
    disputed = [line.sous_critere for line in offer.lignes if line.desaccord and not line.consensus]
    if disputed:
        vigilance.append(Point("Désaccord entre évaluateurs non arbitré sur : " + _join(disputed)))
    for group in offer.autres:
        # Entries with fields count one each; a bare list of passages counts its passages.
        count = len(group.constats) if any(f.champs for f in group.constats) else sum(
            len(f.preuves) for f in group.constats)
        vigilance.append(Point(f"{group.titre} : {count} constat(s) de l'analyse à examiner", group.anchor))
    unscored = [line.sous_critere for line in offer.lignes if line.niveau_valeur is None and line.points is not None]
    if unscored:
        vigilance.append(Point(f"{len(unscored)} sous-critère(s) pas encore noté(s) par la commission : "
                               + _join(unscored)))
    return Assessment(tuple(forces), tuple(faiblesses), tuple(vigilance))


def with_assessments(offers: tuple[OfferView, ...], max_level: int) -> tuple[OfferView, ...]:
    return tuple(replace(o, appreciation=assess(o, offers, max_level)) for o in offers)

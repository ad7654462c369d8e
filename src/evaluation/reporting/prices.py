"""The price part of the report: amounts, points, method, abnormally low offers and the draft requests."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from evaluation.model import AbnormallyLowRule
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import NNBSP, anchor, clean_text, format_decimal
from evaluation.reporting.view import OfferView, PriceRow, PriceSection, Request

__all__ = ["REQUEST_FILE", "build_price_section", "build_requests", "threshold"]

#: Where the scoring writes each draft request (see evaluation.reporting.run.write_ranking).
REQUEST_FILE = "resultats/demande-precisions-{offre}.txt"


def request_anchor(offer_id: str) -> str:
    return anchor("demande", offer_id)


def build_requests(ctx: ReportContext) -> tuple[Request, ...]:
    """The draft requests for justification (R. 2152-3) the scoring wrote, in offer id order."""
    requests = []
    for offer_id, offer in sorted(ctx.ranking.offres.items()):
        if offer.prix is not None and offer.prix.anormalement_bas and offer.prix.demande_precisions:
            requests.append(Request(
                offre_id=offer_id,
                soumissionnaire=clean_text(offer.soumissionnaire),
                anchor=request_anchor(offer_id),
                texte=clean_text(offer.prix.demande_precisions),
                fichier=REQUEST_FILE.format(offre=offer_id),
            ))
    return tuple(requests)


def threshold(rule: AbnormallyLowRule, prices: list[Decimal]) -> Decimal | None:
    """The price under which the rule flags an offer, with these prices; None when the rule does not apply.

    Same arithmetic as evaluation.scoring.price.abnormally_low (population standard deviation, mean without
    the lowest and highest prices), so the figure printed is the one that was applied.
    """
    if rule.regle == "estimation":
        return rule.estimation * rule.seuil if rule.estimation is not None else None
    if len(prices) < 3:
        return None
    ordered = sorted(Fraction(p) for p in prices)
    if rule.regle == "ecart_type":
        mean = sum(ordered, Fraction(0)) / len(ordered)
        variance = sum(((v - mean) ** 2 for v in ordered), Fraction(0)) / len(ordered)
        with localcontext() as context:
            context.prec = 34
            std = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
            return Decimal(mean.numerator) / Decimal(mean.denominator) - std
    trimmed = ordered[1:-1]
    mean = sum(trimmed, Fraction(0)) / len(trimmed) * Fraction(rule.seuil)
    with localcontext() as context:
        context.prec = 34
        return Decimal(mean.numerator) / Decimal(mean.denominator)


def _gap(value: Decimal, lowest: Decimal) -> str:
    if value == lowest or lowest <= 0:
        return "—" if value == lowest else ""
    percent = ((value - lowest) / lowest * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"+{str(percent).replace('.', ',')}{NNBSP}%"


def build_price_section(ctx: ReportContext, offers: tuple[OfferView, ...], method: str,
                        rule_text: str) -> PriceSection | None:
    """Every offer with its amount and price points; None when the grid has no price criterion."""
    criterion = ctx.grid.price_criterion()
    if criterion is None or criterion.prix is None:
        return None
    expressed = ctx.consultation.prix_exprimes
    amounts = [o.prix.montant_value for o in offers if o.prix is not None and o.prix.montant_value is not None]
    lowest = min(amounts) if amounts else None
    rows = []
    for offer in offers:
        prix = offer.prix
        amount = prix.montant_value if prix is not None else None
        rows.append(PriceRow(
            offre_id=offer.id,
            soumissionnaire=offer.soumissionnaire,
            anchor=offer.anchor,
            rang_texte=offer.rang_texte,
            montant=amount,
            montant_texte=prix.montant if prix is not None else "Non communiqué",
            ecart=_gap(amount, lowest) if amount is not None and lowest is not None else "",
            points=prix.points if prix is not None else None,
            points_max=prix.points_max if prix is not None else None,
            anormalement_bas=bool(prix and prix.anormalement_bas),
            regle=prix.regle if prix is not None else "",
            demande_anchor=offer.demande_anchor,
        ))
    limit = threshold(criterion.prix.offre_anormalement_basse, amounts)
    if limit is not None:
        seuil = (f"Avec les prix reçus, la règle signale toute offre inférieure à {format_decimal(limit)} € "
                 f"{expressed}.")
    else:
        seuil = "Moins de trois offres chiffrées : la règle statistique ne s'applique pas."
    return PriceSection(
        critere=criterion.libelle,
        poids=criterion.poids,
        methode=method,
        anomalie=rule_text,
        seuil=seuil,
        exprimes=expressed,
        lignes=tuple(rows),
    )

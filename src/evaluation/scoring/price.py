"""Price scoring methods and abnormally-low-offer detection rules, in exact arithmetic.

The three methods of the DAJ price-scoring sheet (N: points of the offer, Nmax: weight of the price
criterion, P: its price, Pmin / Pmax / Pmoy: lowest, highest and mean price of the priced offers):

- `proportionnelle`: N = Nmax x Pmin / P. The cheapest offer gets Nmax; never 0.
- `lineaire`: N = Nmax x (Pmax - P) / (Pmax - Pmin). The cheapest gets Nmax, the dearest 0 whatever the
  gap; every offer gets Nmax when all prices are equal.
- `moyenne`: N = Nmax x (2 x Pmoy - P) / (2 x Pmoy), never below 0, i.e. Nmax/2 x (1 + (Pmoy - P) / Pmoy).
  The offer at the mean price gets half the points and each euro away from the mean moves the mark by
  Nmax / (2 x Pmoy): the method compresses price gaps (« écrase les écarts ») and the cheapest offer
  does not reach Nmax.

All three are relative: an offer's points depend on the other offers, so withdrawing one offer can
reverse the order of two others (see evaluation.scoring.sensitivity). Detection rules flag an offer for a
request for justification (R2152-3); they never exclude it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from evaluation.model import AbnormallyLowRule, PriceMethod

__all__ = ["PRICE_METHODS", "PriceOutcome", "abnormally_low", "justification_request", "price_points",
           "score_prices"]

PRICE_METHODS = ("proportionnelle", "lineaire", "moyenne")


@dataclass(frozen=True)
class PriceOutcome:
    points: Fraction
    anormalement_bas: bool
    regle: str | None


def price_points(method: str, prices: dict[str, Decimal], max_points: Fraction) -> dict[str, Fraction]:
    """Points for each priced offer. Prices must be > 0 for the proportional method."""
    if not prices:
        return {}
    values = {k: Fraction(v) for k, v in prices.items()}
    low, high = min(values.values()), max(values.values())
    if method == "proportionnelle":
        return {k: max_points * low / p if p > 0 else max_points for k, p in values.items()}
    if method == "lineaire":
        if high == low:
            return dict.fromkeys(values, max_points)
        return {k: max_points * (high - p) / (high - low) for k, p in values.items()}
    if method == "moyenne":
        mean = sum(values.values(), Fraction(0)) / len(values)
        if mean == 0:
            return dict.fromkeys(values, max_points)
        return {k: max(Fraction(0), max_points * (2 * mean - p) / (2 * mean)) for k, p in values.items()}
    raise ValueError(f"méthode de notation du prix inconnue : {method}")


def _std(values: list[Fraction]) -> Decimal:
    mean = sum(values, Fraction(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)
    with localcontext() as ctx:
        ctx.prec = 34
        return (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()


def abnormally_low(rule: AbnormallyLowRule, prices: dict[str, Decimal]) -> dict[str, str | None]:
    """For each offer, the description of the rule that flagged it, or None."""
    values = {k: Fraction(v) for k, v in prices.items()}
    flagged: dict[str, str | None] = dict.fromkeys(values)
    if rule.regle == "estimation":
        assert rule.estimation is not None
        threshold = Fraction(rule.estimation) * Fraction(rule.seuil)
        for k, p in values.items():
            if p < threshold:
                flagged[k] = (f"prix inférieur à {rule.seuil * 100:.0f} % de l'estimation de l'acheteur "
                              f"({rule.estimation} €)")
        return flagged
    if len(values) < 3:
        return flagged  # a statistical rule means nothing with fewer than three offers
    ordered = sorted(values.values())
    if rule.regle == "ecart_type":
        mean = sum(ordered, Fraction(0)) / len(ordered)
        threshold = mean - Fraction(_std(ordered))
        for k, p in values.items():
            if p < threshold:
                flagged[k] = "prix inférieur à la moyenne des offres diminuée d'un écart type"
    elif rule.regle == "moyenne_reduite":
        trimmed = ordered[1:-1]
        mean = sum(trimmed, Fraction(0)) / len(trimmed)
        threshold = mean * Fraction(rule.seuil)
        for k, p in values.items():
            if p < threshold:
                flagged[k] = (f"prix inférieur à {rule.seuil * 100:.0f} % de la moyenne réduite "
                              "(moyenne hors offres extrêmes)")
    return flagged


def justification_request(reference: str, soumissionnaire: str, montant: Decimal, expressed: str,
                          regle: str) -> str:
    """Draft of the request for justification of an abnormally low price (R2152-3), for the buyer to adapt.

    The offer is never excluded before the bidder has answered and the answer has been assessed.
    """
    amount = f"{montant:,.2f}".replace(",", "\u202f").replace(".", ",")
    return (
        f"Objet : consultation {reference} — demande de précisions sur le prix de votre offre\n\n"
        f"Madame, Monsieur,\n\n"
        f"Le montant de l'offre remise par {soumissionnaire} ({amount} € {expressed}) paraît anormalement bas "
        f"au regard de la règle de détection annoncée ({regle}). En application des articles L2152-5, "
        f"L2152-6 et R2152-3 du code de la commande publique, nous vous invitons à nous fournir toutes "
        f"précisions et justifications utiles sur le montant de votre offre, notamment sur le mode de "
        f"fabrication des produits ou de prestation des services, les solutions techniques adoptées, les "
        f"conditions exceptionnellement favorables dont vous disposez, l'originalité de l'offre, le respect "
        f"des obligations en matière de droit de l'environnement, de droit social et de droit du travail, "
        f"et l'éventuelle obtention d'une aide d'État.\n\n"
        f"Votre offre ne sera écartée, le cas échéant, qu'après examen de vos justifications.\n"
    )


def score_prices(method: PriceMethod, prices: dict[str, Decimal], max_points: Fraction) -> dict[str, PriceOutcome]:
    points = price_points(method.methode, prices, max_points)
    flags = abnormally_low(method.offre_anormalement_basse, prices)
    return {k: PriceOutcome(points[k], flags[k] is not None, flags[k]) for k in prices}

"""Price scoring methods and abnormally-low-offer detection rules, in exact arithmetic.

Methods (DAJ price-scoring sheet): `proportionnelle` N = Nmax x Pmin / P; `lineaire`
N = Nmax x (Pmax - P) / (Pmax - Pmin). Detection rules flag an offer for a request for justification
(R2152-3); they never exclude it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from evaluation.model import AbnormallyLowRule, PriceMethod

__all__ = ["PriceOutcome", "abnormally_low", "price_points", "score_prices"]


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


def score_prices(method: PriceMethod, prices: dict[str, Decimal], max_points: Fraction) -> dict[str, PriceOutcome]:
    points = price_points(method.methode, prices, max_points)
    flags = abnormally_low(method.offre_anormalement_basse, prices)
    return {k: PriceOutcome(points[k], flags[k] is not None, flags[k]) for k in prices}

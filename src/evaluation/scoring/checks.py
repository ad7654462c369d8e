"""Checks a judge would make on a scoring, reported as warnings (never silently corrected).

The administrative judge censures a scoring method that neutralises the weighting of the criteria or may
lead to the best mark on a criterion not going to the best offer (CE, 3 novembre 2014, n° 373362). These
checks name what a reader of the report should look at; they decide nothing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

from evaluation.model import Grid

__all__ = ["FLATTENING_RATIO", "french", "price_checks", "weight_checks"]

HUNDRED = Fraction(100)
#: A price method whose spread of marks is below this share of the proportional method's spread
#: (the neutral reference of the DAJ sheet) is said to flatten the price criterion.
FLATTENING_RATIO = Fraction(3, 4)


def french(value: Fraction | Decimal, places: int = 2) -> str:
    """« 1 234,5 » style for sentences: rounded half-up, useless decimals dropped."""
    number = value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def weight_checks(grid: Grid) -> list[str]:
    """Weights must total 100 at each level; a validated grid always passes, a hand-built one may not."""
    warnings = []
    total = sum((Fraction(c.poids) for c in grid.criteres), Fraction(0))
    if total != HUNDRED:
        warnings.append(f"Les poids des critères totalisent {french(total)} points au lieu de 100 : "
                        "la pondération annoncée n'est pas celle qui est appliquée.")
    for criterion in grid.criteres:
        if criterion.sous_criteres:
            sub_total = sum((Fraction(s.poids) for s in criterion.sous_criteres), Fraction(0))
            if sub_total != HUNDRED:
                warnings.append(f"Les poids des sous-critères de « {criterion.libelle} » totalisent "
                                f"{french(sub_total)} % au lieu de 100 %.")
    return warnings


def price_checks(method: str, prices: dict[str, Decimal], points: dict[str, Fraction], max_points: Fraction,
                 label: str) -> list[str]:
    """Warnings on the price marks: best offer, ties, a dearest offer at 0, a flattened spread."""
    if len(prices) < 2:
        return []
    warnings: list[str] = []
    low, high = min(prices.values()), max(prices.values())
    cheapest = sorted(k for k, p in prices.items() if p == low)
    dearest = sorted(k for k, p in prices.items() if p == high)
    best = max(points.values())
    for offer in cheapest:
        if points[offer] < best:  # pragma: no cover - no bundled method does this; kept as a guard
            warnings.append(f"Critère « {label} » : l'offre la moins chère ({offer}) n'obtient pas la meilleure "
                            "note ; la méthode de notation est irrégulière.")
        elif points[offer] < max_points:
            warnings.append(
                f"Critère « {label} » : l'offre la moins chère ({offer}) n'obtient que {french(points[offer])} "
                f"points sur {french(max_points)} ; la méthode « {method} » n'attribue jamais la note maximale, "
                "une partie de la pondération annoncée du prix n'est pas appliquée."
            )
    by_price = sorted(prices, key=lambda k: (prices[k], k))
    for cheaper, dearer in pairwise(by_price):
        if prices[cheaper] < prices[dearer] and points[cheaper] == points[dearer]:
            warnings.append(f"Critère « {label} » : les offres {cheaper} et {dearer} ont des prix différents mais "
                            f"la même note ({french(points[cheaper])}) ; la méthode ne départage pas ces offres.")
    if high > low:
        for offer in dearest:
            if points[offer] == 0:
                gap = (Fraction(high) - Fraction(low)) / Fraction(low) * HUNDRED
                warnings.append(
                    f"Critère « {label} » : l'offre la plus chère ({offer}) obtient 0 point alors que son prix ne "
                    f"dépasse celui de la moins chère que de {french(gap, 1)} % ; la méthode « {method} » donne 0 à "
                    "l'offre la plus chère quel que soit l'écart : vérifiez que cet effet est voulu et annoncé."
                )
        spread = (best - min(points.values())) / max_points
        proportional = (Fraction(high) - Fraction(low)) / Fraction(high)
        if spread < FLATTENING_RATIO * proportional:
            warnings.append(
                f"Critère « {label} » : la méthode « {method} » écrase les écarts de prix : un écart de "
                f"{french(proportional * HUNDRED, 1)} % entre la plus chère et la moins chère ne donne que "
                f"{french(spread * max_points)} points d'écart sur {french(max_points)} (la méthode "
                f"proportionnelle en donnerait {french(proportional * max_points)}) ; le poids effectif du prix "
                "est inférieur à celui annoncé."
            )
    return warnings

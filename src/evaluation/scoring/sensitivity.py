"""How fragile a ranking is: the smallest weight change that changes the winner, and rank reversals.

Weights: when criterion c moves by d points, the other criteria are scaled in proportion so that the
weights still total 100; an offer's total then moves linearly with d, so the smallest d at which another
offer catches up with the leader is exact (a ratio of `Fraction`s).

Reversals: relative price formulas mark an offer against the others, so withdrawing one offer (a bidder
excluded as irregular, a withdrawn bid) can swap the order of two offers it has nothing to do with.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

from evaluation.scoring.checks import french
from evaluation.scoring.price import price_points

__all__ = [
    "CriterionWeight",
    "Reversal",
    "WeightShift",
    "describe_reversals",
    "describe_shift",
    "removal_reversals",
    "weight_shift",
]

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class CriterionWeight:
    id: str
    libelle: str
    poids: Fraction


@dataclass(frozen=True)
class WeightShift:
    """Moving `critere` by `delta` points makes `challenger` equal the `leader` (beyond it, overtake)."""

    critere: str
    delta: Fraction
    leader: str
    challenger: str


@dataclass(frozen=True)
class Reversal:
    """Withdrawing `retiree` reverses the order of `devant` (ahead before) and `derriere`."""

    retiree: str
    devant: str
    derriere: str


def _totals(weights: dict[str, Fraction], shares: dict[str, dict[str, Fraction]]) -> dict[str, Fraction]:
    return {o: sum((weights[c] * s for c, s in by.items()), Fraction(0)) for o, by in shares.items()}


def weight_shift(criteria: list[CriterionWeight], shares: dict[str, dict[str, Fraction]],
                 criterion: str) -> WeightShift | None:
    """Smallest change of one criterion's weight that lets another offer reach the leader.

    Args:
        criteria: the grid's criteria and weights (totalling 100).
        shares: per offer and criterion, the share of the criterion's points obtained (points / weight).
        criterion: id of the criterion whose weight moves.

    Returns:
        None when no weight between 0 and 100 changes the leader, or when there is no single leader.
    """
    weights = {c.id: c.poids for c in criteria}
    if len(shares) < 2 or len(criteria) < 2:
        return None
    totals = _totals(weights, shares)
    best = max(totals.values())
    leaders = [o for o, t in totals.items() if t == best]
    if len(leaders) != 1:
        return None
    leader = leaders[0]
    w = weights[criterion]
    rest = HUNDRED - w
    if rest == 0:
        return None

    def slope(offer: str) -> Fraction:
        own = shares[offer][criterion]
        others = (totals[offer] - w * own) / rest
        return own - others

    found: WeightShift | None = None
    for offer in sorted(shares):
        if offer == leader:
            continue
        gap = slope(offer) - slope(leader)
        if gap == 0:
            continue
        delta = (totals[leader] - totals[offer]) / gap
        if not (-w <= delta <= rest):
            continue
        if found is None or abs(delta) < abs(found.delta):
            found = WeightShift(criterion, delta, leader, offer)
    return found


def removal_reversals(technical: dict[str, Fraction], prices: dict[str, Decimal], method: str,
                      max_points: Fraction, ranked: list[str]) -> list[Reversal]:
    """Pairs of ranked offers whose order flips when one other offer is withdrawn (price recomputed).

    Args:
        technical: per offer, its total without the price criterion.
        prices: every priced offer (the price formula sees them all).
        method: the price method.
        max_points: weight of the price criterion.
        ranked: the offers that are ranked.
    """
    current = price_points(method, prices, max_points)
    totals = {o: technical[o] + current.get(o, Fraction(0)) for o in ranked}
    reversals = []
    for withdrawn in ranked:
        remaining = {k: v for k, v in prices.items() if k != withdrawn}
        again = price_points(method, remaining, max_points)
        after = {o: technical[o] + again.get(o, Fraction(0)) for o in ranked if o != withdrawn}
        for x, y in combinations(sorted(after), 2):
            before_gap, after_gap = totals[x] - totals[y], after[x] - after[y]
            if before_gap * after_gap < 0:
                ahead, behind = (x, y) if before_gap > 0 else (y, x)
                reversals.append(Reversal(withdrawn, ahead, behind))
    return reversals


def describe_shift(shift: WeightShift | None, criterion: CriterionWeight) -> str:
    if shift is None:
        return (f"Aucune variation du poids du critère « {criterion.libelle} » (entre 0 et 100 points, les "
                "autres critères ajustés en proportion) ne change l'offre classée première.")
    sign = "+" if shift.delta > 0 else "−"
    return (f"Si le poids du critère « {criterion.libelle} » passait de {french(criterion.poids)} à "
            f"{french(criterion.poids + shift.delta)} points ({sign}{french(abs(shift.delta))}), les autres "
            f"critères étant ajustés en proportion, l'offre « {shift.challenger} » rejoindrait l'offre "
            f"« {shift.leader} » en tête.")


def describe_reversals(reversals: list[Reversal], method: str) -> str:
    if not reversals:
        return "Le retrait d'une offre, quelle qu'elle soit, n'inverse l'ordre d'aucune autre paire d'offres."
    text = " ; ".join(
        f"retirer « {r.retiree} » ferait passer « {r.derriere} » devant « {r.devant} »" for r in reversals
    )
    return (text[:1].upper() + text[1:]
            + f" : avec la méthode « {method} », la note de prix d'une offre dépend des autres offres.")

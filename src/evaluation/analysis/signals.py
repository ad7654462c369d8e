"""Offer-level signals from annotated passages, each with the evidence that supports it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evaluation.analysis.passages import Passage
from evaluation.model import ELEMENT_IDS, AxisResult, CommitmentFlag, ElementResult, Flag

__all__ = ["OfferSignals", "compute_signals"]

MAX_EVIDENCE = 5
#: A passage naming this many axes at once is an enumeration, not an action on each of them.
ENUMERATION_AXES = 4


@dataclass(frozen=True)
class OfferSignals:
    elements: dict[str, ElementResult]
    axes: dict[str, AxisResult]
    planning_precis: Flag
    depassement_reglementaire: Flag
    conformite_seule: Flag
    engagement: CommitmentFlag
    #: Passages behind each signal, kept for the level suggestions (not serialised).
    support: dict[str, list[Passage]]


def _strength(passages: Sequence[Passage]) -> float:
    """Confidence in [0, 1] that a set of supporting passages is a real, concrete answer."""
    if not passages:
        return 0.0
    score = 0.45 + 0.1 * min(len(passages), 3)
    if any(p.quantified or p.dated for p in passages):
        score += 0.15
    if any(p.firm for p in passages):
        score += 0.1
    return round(min(score, 0.99), 2)


def _element_support(element: str, passages: Sequence[Passage]) -> list[Passage]:
    support = []
    for p in passages:
        if p.negated or p.block.type == "titre":
            continue
        by_terms = element in p.elements
        by_heading = element in p.heading_elements
        by_shape = (
            (element == "calendrier" and p.dated and p.action)
            or (element == "indicateurs" and p.quantified and "indicateurs" in p.heading_elements)
        )
        if by_terms or by_heading or by_shape:
            support.append(p)
    return support


def _commitment(p: Passage) -> str | None:
    if p.negated:
        return None
    if p.conditional:
        return "conditionnel"
    if p.firm:
        return "ferme"
    if p.vague:
        return "vague"
    return None


def compute_signals(passages: Sequence[Passage], axis_ids: Sequence[str]) -> OfferSignals:
    support: dict[str, list[Passage]] = {}
    elements = {}
    for element in ELEMENT_IDS:
        found = _element_support(element, passages)
        support[f"element:{element}"] = found
        elements[element] = ElementResult(present=bool(found), confiance=_strength(found),
                                          preuves=[p.evidence() for p in found[:MAX_EVIDENCE]])
    axes = {}
    for axis in axis_ids:
        mentioned = [p for p in passages if axis in p.axes]
        concrete = [
            p for p in mentioned
            if not p.negated and len(p.axes) < ENUMERATION_AXES and p.action and not (p.vague and not p.firm)
        ]
        support[f"axe:{axis}"] = concrete
        shown = concrete or mentioned
        axes[axis] = AxisResult(couvert=bool(concrete), confiance=_strength(concrete),
                                mentionne=bool(mentioned), preuves=[p.evidence() for p in shown[:MAX_EVIDENCE]])
    dated = [p for p in passages if p.dated and p.action and not p.negated]
    support["planning_precis"] = dated
    planning = len(dated) >= 3
    beyond = [
        p for p in passages
        if p.beyond and (p.regulation or p.quantified) and not p.negated and not p.conditional and not p.vague
    ]
    compliance = [p for p in passages if p.regulation and p.compliance and not p.beyond]
    support["depassement_reglementaire"] = beyond
    support["conformite_seule"] = compliance
    kinds = [(k, p) for p in passages if (k := _commitment(p)) is not None and p.action]
    firm = [p for k, p in kinds if k == "ferme"]
    conditional = [p for k, p in kinds if k == "conditionnel"]
    vague = [p for k, p in kinds if k == "vague"]
    if firm and len(firm) >= 2 * (len(conditional) + len(vague)):
        engagement, shown_commit = "ferme", firm
    elif conditional and len(conditional) >= len(vague):
        engagement, shown_commit = "conditionnel", conditional
    else:
        engagement, shown_commit = "vague", vague
    support["engagement"] = shown_commit
    support["engagement:ferme"] = firm
    return OfferSignals(
        elements=elements,
        axes=axes,
        planning_precis=Flag(valeur=planning, preuves=[p.evidence() for p in dated[:MAX_EVIDENCE]] if planning else []),
        depassement_reglementaire=Flag(valeur=bool(beyond), preuves=[p.evidence() for p in beyond[:MAX_EVIDENCE]]),
        conformite_seule=Flag(valeur=bool(compliance) and not beyond,
                              preuves=[p.evidence() for p in compliance[:MAX_EVIDENCE]] if not beyond else []),
        engagement=CommitmentFlag(valeur=engagement,  # type: ignore[arg-type]
                                  preuves=[p.evidence() for p in shown_commit[:MAX_EVIDENCE]]),
        support=support,
    )

"""Offer-level signals from annotated passages, each with the evidence that supports it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from evaluation.analysis.passages import ENUMERATION_AXES, Passage
from evaluation.model import ELEMENT_IDS, AxisResult, CommitmentFlag, ElementResult, Evidence, Flag

__all__ = ["MAX_EVIDENCE", "OfferSignals", "compute_signals", "supports_axis", "supports_element"]

MAX_EVIDENCE = 5
#: Dated actions needed for `planning_precis`.
MIN_DATED_ACTIONS = 3

Commitment = Literal["ferme", "conditionnel", "vague"]


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


def _strength(passages: Sequence[Passage], label: str | None = None) -> float:
    """Confidence in [0, 1] that a set of supporting passages is a real, concrete answer."""
    if not passages:
        return 0.0
    scores = [p.scores[label] for p in passages if label is not None and label in p.scores]
    if scores:  # the classifier's probability for its best passage
        return round(min(max(scores), 0.99), 2)
    score = 0.45 + 0.1 * min(len(passages), 3)
    if any(p.quantified or p.dated for p in passages):
        score += 0.15
    if any(p.firm for p in passages):
        score += 0.1
    return round(min(score, 0.99), 2)


def _evidence(passages: Sequence[Passage]) -> list[Evidence]:
    return [p.evidence() for p in passages[:MAX_EVIDENCE]]


def _best_first(passages: Sequence[Passage], label: str) -> list[Passage]:
    """The most convincing passages first (classifier probability), then in document order."""
    return sorted(passages, key=lambda p: -p.scores.get(label, 0.0))


def _denied(p: Passage) -> bool:
    """A passage that gives nothing, whatever its words: it denies, postpones, only restates the rules,
    or only wishes (conditional or vague wording with no figure, date or firm commitment)."""
    if p.negated and not p.firm:
        return True
    if p.compliance_only:
        return True
    substance = p.firm or p.dated or p.quantified
    if any(s.deferred for s in p.sentences) and not substance:
        return True
    return (p.conditional or p.vague) and not substance


def _dated_target(p: Passage) -> bool:
    """A figure to reach by a checkable date, asserted, and not the legal minimum restated: an objective."""
    return any(s.quantified and s.dated and s.asserts and not s.compliance_only and not s.conditional
               for s in p.sentences)


def supports_element(element: str, p: Passage) -> bool:
    """Whether a passage gives one of the seven parts (the rule used by the signals and their measurement).

    With the classifier, its labels decide, under the rules' vetoes (copy of the clause, heading, denial,
    postponement); a dated action is a calendar whatever its words. Without it, the rules alone decide.
    """
    if p.copied or p.block.type == "titre":
        return False
    if p.labels is not None:
        if _denied(p):
            return False
        if element == "calendrier" and p.dated and p.action and not p.compliance_only:
            return True
        if element == "objectifs" and _dated_target(p):
            return True
        return element in p.labels
    if element == "calendrier":
        # A calendar is dates attached to actions; the word "calendrier" alone promises one.
        return p.dated and p.action
    if element == "actions_titulaire":
        return element in p.elements() or (p.firm and p.action)
    return element in p.elements()


#: Parts whose presence in a passage makes it more than a statement of values.
_SUBSTANCE = frozenset({"actions_titulaire", "objectifs", "indicateurs", "calendrier"})


def supports_axis(axis: str, p: Passage, known: frozenset[str] = frozenset()) -> bool:
    """Whether a passage covers an axis with a concrete action (not a mere mention).

    `known` holds the axes the classifier was trained on; a buyer's own axis is read by the rules.
    """
    if p.copied or p.block.type == "titre":
        return False
    if p.labels is None or axis not in known:
        return axis in p.axes_concrete()
    if _denied(p):
        return False
    if not p.action and p.labels.isdisjoint(_SUBSTANCE):
        # An axis is covered by something someone will do or measure, not by a statement of values: a
        # passage without a verb of action counts when the classifier reads an action, target or measure.
        return False
    enumeration = any(len(s.axes) >= ENUMERATION_AXES for s in p.sentences)
    if enumeration and not any(s.concrete for s in p.sentences):
        return False
    return axis in p.labels


def _commitment(p: Passage) -> Commitment | None:
    if p.negated or not p.action:
        return None
    if p.conditional:
        return "conditionnel"
    if p.firm:
        return "ferme"
    if p.vague:
        return "vague"
    return None


def compute_signals(passages: Sequence[Passage], axis_ids: Sequence[str],
                    known_axes: frozenset[str] = frozenset()) -> OfferSignals:
    """Every offer-level signal of DESIGN.md. Passages copied from the buyer's clause count for nothing.

    `known_axes`: the axes the passage classifier predicts (empty without a classifier).
    """
    own = [p for p in passages if not p.copied]
    support: dict[str, list[Passage]] = {"copie_clause": [p for p in passages if p.copied]}
    elements: dict[str, ElementResult] = {}
    for element in ELEMENT_IDS:
        found = [p for p in own if supports_element(element, p)]
        support[f"element:{element}"] = found
        elements[element] = ElementResult(present=bool(found), confiance=_strength(found, element),
                                          preuves=_evidence(_best_first(found, element)))
    axes: dict[str, AxisResult] = {}
    for axis in axis_ids:
        mentioned = [p for p in passages if axis in p.axes_mentioned()]
        concrete = [p for p in own if supports_axis(axis, p, known_axes)]
        support[f"axe:{axis}"] = concrete
        axes[axis] = AxisResult(couvert=bool(concrete), confiance=_strength(concrete, axis),
                                mentionne=bool(mentioned) or bool(concrete),
                                preuves=_evidence(_best_first(concrete, axis) or mentioned))
    # Rows of a planning table are the clearest evidence of a planning: shown first.
    dated = sorted((p for p in own if p.dated and p.action), key=lambda p: not p.is_table_row)
    support["planning_precis"] = dated
    planning = len(dated) >= MIN_DATED_ACTIONS
    beyond = [p for p in own if any(s.exceeds_regulation for s in p.sentences)]
    compliance = [p for p in own if any(s.compliance_only for s in p.sentences)]
    support["depassement_reglementaire"] = beyond
    support["conformite_seule"] = compliance
    kinds = [(kind, p) for p in own if (kind := _commitment(p)) is not None]
    firm = [p for kind, p in kinds if kind == "ferme"]
    conditional = [p for kind, p in kinds if kind == "conditionnel"]
    vague = [p for kind, p in kinds if kind == "vague"]
    engagement: Commitment
    if firm and len(firm) >= 2 * (len(conditional) + len(vague)):
        engagement, shown = "ferme", firm
    elif conditional and len(conditional) >= len(vague):
        engagement, shown = "conditionnel", conditional
    else:
        engagement, shown = "vague", vague
    support["engagement"] = shown
    support["engagement:ferme"] = firm
    return OfferSignals(
        elements=elements,
        axes=axes,
        planning_precis=Flag(valeur=planning, preuves=_evidence(dated) if planning else []),
        depassement_reglementaire=Flag(valeur=bool(beyond), preuves=_evidence(beyond)),
        conformite_seule=Flag(valeur=bool(compliance) and not beyond, preuves=[] if beyond else _evidence(compliance)),
        engagement=CommitmentFlag(valeur=engagement, preuves=_evidence(shown)),
        support=support,
    )

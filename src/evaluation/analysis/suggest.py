"""Suggested levels per sub-criterion: a suggestion with its reason, never a decision."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from evaluation.analysis.passages import Passage
from evaluation.analysis.signals import MAX_EVIDENCE, OfferSignals
from evaluation.model import Grid, SubCriterion, SuggestedLevel

__all__ = ["suggest_levels"]


def _level(quality: float, max_level: int) -> int:
    return int((Decimal(str(quality)) * max_level).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def _depth(passages: list[Passage]) -> tuple[float, str]:
    if not passages:
        return 0.0, "aucun passage ne traite ce point"
    quality = 0.25
    notes = [_plural(len(passages), "passage")]
    if len(passages) >= 2:
        quality += 0.25
    measured = sum(1 for p in passages if p.quantified or p.dated)
    if measured:
        quality += 0.25
        notes.append(f"dont {measured} chiffré(s) ou daté(s)")
    firm = sum(1 for p in passages if p.firm)
    if firm:
        quality += 0.25
        notes.append(f"{firm} engagement(s) ferme(s)")
    return quality, ", ".join(notes)


def _suggest(sub: SubCriterion, signals: OfferSignals, axis_ids: list[str],
             axis_labels: dict[str, str]) -> tuple[float, str, list[Passage]] | None:
    signal = sub.signal
    if signal.type == "aucun":
        return None
    if signal.type == "element":
        passages = signals.support[f"element:{signal.element}"]
        quality, note = _depth(passages)
        return quality, f"Élément traité : {note}." if passages else "Élément non trouvé dans le mémoire.", passages
    if signal.type == "axe":
        axis = signal.axe or ""
        result = signals.axes.get(axis)
        passages = signals.support.get(f"axe:{axis}", [])
        label = axis_labels.get(axis, axis)
        if result is None or not result.mentionne:
            return 0.0, f"L'axe « {label} » n'est pas abordé.", []
        if not result.couvert:
            return 0.25, f"L'axe « {label} » est cité sans action concrète.", []
        quality, note = _depth(passages)
        return quality, f"L'axe « {label} » est couvert par des actions : {note}.", passages
    if signal.type == "axes":
        covered = [a for a in axis_ids if signals.axes[a].couvert]
        named = [a for a in axis_ids if signals.axes[a].mentionne and not signals.axes[a].couvert]
        share = len(covered) / len(axis_ids) if axis_ids else 0.0
        text = f"{len(covered)} axe(s) demandé(s) sur {len(axis_ids)} couverts par une action concrète"
        if named:
            text += " ; cités sans action : " + ", ".join(axis_labels.get(a, a) for a in named)
        passages = [signals.support[f"axe:{a}"][0] for a in covered]
        return share, text + ".", passages
    if signal.type == "planning_precis":
        dated = signals.support["planning_precis"]
        steps = [0.0, 0.25, 0.5, 0.75, 0.75]
        quality = steps[len(dated)] if len(dated) < len(steps) else 1.0
        text = (f"{_plural(len(dated), 'action')} datée(s) ou séquencée(s)." if dated
                else "Aucune action datée ni séquencée.")
        return quality, text, dated
    if signal.type == "depassement_reglementaire":
        beyond = signals.support["depassement_reglementaire"]
        if beyond:
            quality = 1.0 if len(beyond) >= 2 and any(p.quantified for p in beyond) else 0.75
            return quality, f"{_plural(len(beyond), 'engagement')} au-delà d'un minimum réglementaire.", beyond
        compliance = signals.support["conformite_seule"]
        if compliance:
            return 0.25, "La réglementation est seulement citée comme respectée (simple conformité).", compliance
        return 0.0, "Aucun engagement par rapport à la réglementation.", []
    if signal.type == "engagement":
        value = signals.engagement.valeur
        passages = signals.support["engagement"]
        firm = len(signals.support["engagement:ferme"])
        if not passages:
            return 0.0, "Aucun engagement identifiable.", []
        quality = {"ferme": 1.0 if firm >= 5 else 0.75, "conditionnel": 0.5, "vague": 0.25}[value]
        labels = {"ferme": "fermes", "conditionnel": "surtout conditionnels", "vague": "surtout vagues"}
        return quality, f"Engagements {labels[value]} ({_plural(len(passages), 'passage')}).", passages
    raise AssertionError(f"unhandled signal type {signal.type}")


def suggest_levels(grid: Grid, signals: OfferSignals, axis_ids: list[str],
                   axis_labels: dict[str, str]) -> dict[str, SuggestedLevel]:
    """A suggested level for every sub-criterion whose signal the analysis can read."""
    levels: dict[str, SuggestedLevel] = {}
    for _, sub in grid.sub_criteria():
        found = _suggest(sub, signals, axis_ids, axis_labels)
        if found is None:
            continue
        quality, explanation, passages = found
        levels[sub.id] = SuggestedLevel(
            niveau=_level(quality, grid.max_level),
            explication=explanation,
            preuves=[p.evidence() for p in passages[:MAX_EVIDENCE]],
        )
    return levels

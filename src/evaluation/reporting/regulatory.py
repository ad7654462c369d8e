"""Regulatory claims against the legal minimum, and the other detections analyse.json may carry.

The contract of analyse.json (DESIGN.md) has two regulatory flags, `depassement_reglementaire` and
`conformite_seule`, with their evidence. The analysis may add keys to each offer: `reglementation` (the
legal minimums of grids/reglementation.yaml the offer cites, each gone beyond or merely restated) and
others (passages copied from the clause, passages shared with another offer…). The report shows
`reglementation` beside the two flags, and any other key it finds in the offer's « other findings », entry
by entry and field by field; an analyse.json without them shows nothing more. Unknown structures are
printed as they are, evidence-shaped entries as quotations: nothing is guessed beyond a field's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evaluation.model import OfferAnalysis
from evaluation.reporting.labels import FLAGS, anchor, clean_text, format_percent
from evaluation.reporting.view import Citation, EvidenceBlock, Finding, FindingGroup, OfferView, RegulatoryOffer

__all__ = ["KNOWN_FIELDS", "REGULATION_KEY", "build_regulatory", "extra_fields", "other_findings"]

#: Offer-level fields of analyse.json that the report shows in their own sections.
KNOWN_FIELDS = frozenset({
    "soumissionnaire", "a_verifier", "documents", "elements", "axes", "planning_precis",
    "depassement_reglementaire", "conformite_seule", "engagement", "niveaux_suggeres",
})
REGULATION_KEY = "reglementation"
#: Titles of the additive keys known today; any other is shown under its humanised name.
TITLES = {
    REGULATION_KEY: "Minimums légaux cités par l'offre",
    "copies_clause": "Passages recopiés de la clause publiée",
    "passages_communs": "Passages presque identiques à ceux d'une autre offre",
}
FIELD_LABELS = {
    "texte": "Texte", "reference": "Référence", "libelle": "Libellé", "exigence": "Exigence",
    "minimum": "Minimum légal", "minimum_legal": "Minimum légal", "seuil": "Seuil légal",
    "engagement": "Engagement de l'offre", "valeur": "Valeur", "statut": "Statut", "ecart": "Écart",
    "unite": "Unité", "source": "Texte qui fixe le minimum", "article": "Article", "id": "Identifiant",
    "depassement": "Au-delà du minimum", "confiance": "Confiance", "offre": "Autre offre",
    "similarite": "Similarité",
}
_TITLE_FIELDS = ("libelle", "reference", "exigence", "article")
_HIDDEN_FIELDS = frozenset({"id"})  # identifiers of a catalogue entry: the label says it better
_EVIDENCE_KEYS = frozenset({"texte", "fichier", "paragraphe"})


def humanise(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _scalar(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float):
        if key in ("similarite", "confiance") and 0 <= value <= 1:
            return format_percent(value)
        return f"{value:g}".replace(".", ",")
    return clean_text(str(value))


def _is_evidence(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) >= _EVIDENCE_KEYS


def _citation(value: Mapping[str, Any]) -> Citation:
    page = value.get("page")
    paragraph = value.get("paragraphe")
    return Citation(
        clean_text(str(value.get("texte", ""))), clean_text(str(value.get("fichier", ""))),
        page if isinstance(page, int) and not isinstance(page, bool) else None,
        paragraph if isinstance(paragraph, int) and not isinstance(paragraph, bool) else 0,
    )


def _fields(value: Mapping[str, Any], prefix: str = "") -> tuple[list[tuple[str, str]], list[Citation]]:
    fields: list[tuple[str, str]] = []
    quotes: list[Citation] = []
    for key, item in value.items():
        key = str(key)
        label = prefix + FIELD_LABELS.get(key, humanise(key))
        if _is_evidence(item):
            quotes.append(_citation(item))
        elif isinstance(item, list) and item and all(_is_evidence(v) for v in item):
            quotes.extend(_citation(v) for v in item)
        elif isinstance(item, Mapping):
            inner, inner_quotes = _fields(item, label + " › ")
            fields += inner
            quotes += inner_quotes
        elif key in _HIDDEN_FIELDS and not prefix:
            continue
        elif key == "depassement" and isinstance(item, bool):
            fields.append(("Position de l'offre", "au-delà du minimum légal" if item
                           else "minimum légal seulement rappelé"))
        elif isinstance(item, list):
            fields.append((label, ", ".join(_scalar(key, v) for v in item) or "—"))
        else:
            fields.append((label, _scalar(key, item)))
    return fields, quotes


def _entry(title: str, value: Any) -> Finding:
    if _is_evidence(value):
        return Finding(title, (), (_citation(value),))
    if isinstance(value, Mapping):
        key = next((k for k in _TITLE_FIELDS if isinstance(value.get(k), str) and value[k]), None)
        named = str(value[key]) if key else None
        if named is None and isinstance(value.get("offre"), str):
            key, named = "offre", f"Passage commun avec l'offre « {value['offre']} »"
        fields, quotes = _fields({k: v for k, v in value.items() if k != key})
        return Finding(clean_text(named) if named else title, tuple(fields), tuple(quotes))
    return Finding(title, (("Valeur", _scalar("", value)),), ())


def _entries(title: str, value: Any) -> tuple[Finding, ...]:
    if isinstance(value, list):
        if value and all(_is_evidence(v) for v in value):
            return (Finding(title, (), tuple(_citation(v) for v in value)),)
        return tuple(_entry(f"Entrée {i}", v) for i, v in enumerate(value, start=1))
    if isinstance(value, Mapping):
        if value and all(isinstance(v, Mapping) for v in value.values()) and not _is_evidence(value):
            return tuple(_entry(humanise(str(k)), v) for k, v in value.items())
        return (_entry(title, value),)
    return (_entry(title, value),)


def extra_fields(analysis: OfferAnalysis) -> dict[str, Any]:
    """Offer-level fields of analyse.json beyond the contract of DESIGN.md, when they hold something."""
    dumped = analysis.model_dump(mode="json")
    return {k: v for k, v in dumped.items() if k not in KNOWN_FIELDS and v not in (None, [], {})}


def _group(offer_anchor: str, key: str, value: Any) -> FindingGroup:
    title = TITLES.get(key, humanise(key))
    return FindingGroup(key, title, anchor(offer_anchor, "constat", key), _entries(title, value))


def other_findings(offer_anchor: str, analysis: OfferAnalysis | None) -> tuple[FindingGroup, ...]:
    """Every additive key but `reglementation` (shown with the regulatory claims), in name order."""
    if analysis is None:
        return ()
    return tuple(
        _group(offer_anchor, key, value)
        for key, value in sorted(extra_fields(analysis).items()) if key != REGULATION_KEY
    )


def build_regulatory(offer: OfferView, analysis: OfferAnalysis | None) -> RegulatoryOffer:
    flags: dict[str, EvidenceBlock] = dict(zip(FLAGS, offer.signaux, strict=False))
    extras = extra_fields(analysis) if analysis is not None else {}
    minimums = _group(offer.anchor, REGULATION_KEY, extras[REGULATION_KEY]) if REGULATION_KEY in extras else None
    return RegulatoryOffer(
        offre_id=offer.id,
        soumissionnaire=offer.soumissionnaire,
        anchor=anchor(offer.anchor, "reglementation"),
        depassement=flags.get("depassement_reglementaire"),
        conformite=flags.get("conformite_seule"),
        minimums=minimums,
    )

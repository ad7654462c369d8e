"""French wording and number formatting shared by every report format."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from evaluation.spreadsheet import clean

__all__ = [
    "DOCUMENT_STATUS",
    "ENGAGEMENT",
    "FLAGS",
    "MONTHS",
    "NOT_SCORED",
    "PRICE_FORMULAS",
    "PRICE_METHODS",
    "SIGNALS",
    "SOURCES",
    "STANDSTILL_DAYS",
    "VERSION_LABELS",
    "anchor",
    "clean_text",
    "format_date",
    "format_decimal",
    "format_percent",
    "format_weight",
]

#: Standstill period (« délai de suspension ») after a rejection notified by electronic means, in days
#: (article R. 2182-1 of the code de la commande publique); 16 days for any other means.
STANDSTILL_DAYS = 11
#: Shown instead of points for a criterion nobody has scored yet (never a zero).
NOT_SCORED = "non noté"
NNBSP = "\u202f"  # narrow no-break space: French thousands separator and before « % »

SOURCES: dict[str, str] = {
    "evaluateurs": "Évaluateurs",
    "consensus": "Consensus",
    "suggestion": "Suggestion de l'outil",
}

#: Components listed in analyse.json / classement.json « versions ».
VERSION_LABELS: dict[str, str] = {
    "outil": "Outil (evaluation-plan-de-progres)",
    "grille": "Grille de notation",
    "modele": "Modèle d'analyse",
}

DOCUMENT_STATUS: dict[str, str] = {
    "ok": "Lu",
    "partiel": "Lu partiellement",
    "rejete": "Rejeté",
    "sans_texte": "Sans texte exploitable",
}

ENGAGEMENT: dict[str, str] = {"ferme": "Ferme", "conditionnel": "Conditionnel", "vague": "Vague"}

#: Offer-level flags: (label, what a true value means).
FLAGS: dict[str, tuple[str, str]] = {
    "planning_precis": (
        "Planning précis",
        "les actions portent des dates, des échéances ou un séquencement vérifiables",
    ),
    "depassement_reglementaire": (
        "Dépassement réglementaire",
        "engagement explicite au-delà d'un minimum légal",
    ),
    "conformite_seule": (
        "Conformité seule",
        "la réglementation n'est citée que comme respectée, sans engagement supplémentaire",
    ),
    "engagement": (
        "Nature des engagements",
        "engagements fermes, conditionnels ou vagues",
    ),
}

PRICE_METHODS: dict[str, str] = {
    "proportionnelle": "méthode proportionnelle",
    "lineaire": "méthode linéaire",
    "moyenne": "méthode par rapport à la moyenne des offres",
}

#: How each method computes its points, as in the DAJ price-scoring sheet (N: points, P: price).
PRICE_FORMULAS: dict[str, str] = {
    "proportionnelle": "N = Nmax × Pmin / P : l'offre la moins chère obtient la note maximale",
    "lineaire": (
        "N = Nmax × (Pmax − P) / (Pmax − Pmin) : l'offre la moins chère obtient la note maximale, "
        "la plus chère zéro point"
    ),
    "moyenne": (
        "N = Nmax × (2 × Pmoy − P) / (2 × Pmoy), jamais inférieure à 0, Pmoy étant la moyenne des prix : "
        "l'offre au prix moyen obtient la moitié des points ; la méthode écrase les écarts de prix et l'offre "
        "la moins chère n'obtient pas la note maximale"
    ),
}

SIGNALS: dict[str, str] = {
    "element": "présence et précision de l'élément « {element} » du plan",
    "axes": "part des axes demandés couverts par des actions concrètes",
    "axe": "couverture de l'axe « {axe} » par des actions concrètes",
    "planning_precis": "précision du planning (dates, échéances, séquencement)",
    "depassement_reglementaire": "engagements allant au-delà des obligations réglementaires",
    "engagement": "fermeté des engagements (ferme, conditionnel, vague)",
    "aucun": "aucun : sous-critère noté par la commission seule",
}

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)

_ANCHOR_SAFE = re.compile(r"[^a-z0-9_-]+")


def clean_text(value: str) -> str:
    """Text safe to show in any format: control characters (PDF extraction leaves some, often a line break)
    become spaces, and right-to-left overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make
    a passage display something else than what it says, are dropped."""
    return clean(value)


def anchor(*parts: str) -> str:
    """A stable HTML id from identifiers; a hash suffix keeps ids distinct when characters are replaced."""
    raw = "-".join(parts)
    safe = _ANCHOR_SAFE.sub("-", raw.lower()).strip("-") or "x"
    if safe != raw:
        safe += "-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:6]
    return safe


def format_decimal(value: Decimal, places: int = 2) -> str:
    """`Decimal("1234.5")` → « 1 234,50 » (rounded half up, French separators)."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def format_weight(value: Decimal) -> str:
    """Weights without useless decimals: 40 → « 40 », 12.5 → « 12,5 »."""
    if value == value.to_integral_value():
        return format_decimal(value, 0)
    text = format_decimal(value, 2)
    return text.rstrip("0") if "," in text else text


def format_percent(fraction: float) -> str:
    """0.934 → « 93 % »."""
    value = (Decimal(repr(fraction)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value}{NNBSP}%"


def format_date(value: str) -> str:
    """ISO dates become « 15 mars 2026 »; anything else is printed as the user gave it."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return value
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"

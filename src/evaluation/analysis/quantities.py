"""Quantities in French text: percentages, amounts, tonnes of CO2, hours, energy, durations.

Runs on folded text (`text.fold`: lower case, no accents, non-breaking spaces made plain). Numbers may
be written with a decimal comma, spaces or dots between thousands ("1 200", "1.200", "2 400,50"), or
in words ("dix-huit mois", "deux tiers", "la moitié").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NUMBER_WORDS", "Quantity", "find_quantities", "parse_number", "words_to_number"]

_UNITS_WORDS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
}
_WORD = "|".join(sorted([*_UNITS_WORDS, "cent", "cents", "mille"], key=len, reverse=True))
#: A number written in words: "dix-huit", "vingt et un", "quatre-vingt-dix", "deux mille".
NUMBER_WORDS = rf"(?:{_WORD})(?:[- ](?:et[- ]une?\b|{_WORD}))*"
_DIGITS = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"

_FRACTIONS = {
    "la moitie": 50.0, "moitie": 50.0, "un tiers": 100 / 3, "deux tiers": 200 / 3, "un quart": 25.0,
    "trois quarts": 75.0, "un cinquieme": 20.0, "deux cinquiemes": 40.0, "un dixieme": 10.0,
}
_FRACTION = re.compile(r"\b(" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b")

#: "deux produits sur trois", "neuf heures sur dix": a share.
_RATIO = re.compile(rf"\b(?P<a>\d{{1,2}}|{NUMBER_WORDS}) (?:[a-z']+ ){{1,2}}sur (?P<b>\d{{1,2}}|{NUMBER_WORDS})\b")
#: (pattern, normalised unit, factor to the unit)
_UNITS: tuple[tuple[str, str, float], ...] = (
    (r"%|pour ?cent\b|pourcents?\b", "pourcent", 1.0),
    (r"points?\b", "points", 1.0),
    (r"k ?€|k ?euros?\b|keur\b", "euros", 1e3),
    (r"m ?€|millions? d'euros\b|meur\b", "euros", 1e6),
    (r"€|euros?\b|eur\b", "euros", 1.0),
    (r"(?:t|tonnes?) ?(?:d'|de )?(?:equivalent |eq\.? ?)?co2 ?e?q?\b|teq ?co2\b|tco2e?\b", "tco2e", 1.0),
    (r"kg ?(?:d'|de )?(?:eq\.? ?)?co2 ?e?q?\b|kgco2e?\b", "tco2e", 1e-3),
    (r"gwh\b", "kwh", 1e6),
    (r"mwh\b", "kwh", 1e3),
    (r"kwh\b", "kwh", 1.0),
    (r"mw\b", "kw", 1e3),
    (r"kw\b", "kw", 1.0),
    (r"tonnes?\b|t\b", "tonnes", 1.0),
    (r"kg\b|kilos?\b|kilogrammes?\b", "tonnes", 1e-3),
    (r"grammes?\b|g\b", "grammes", 1.0),
    (r"heures?\b|h\b", "heures", 1.0),
    (r"mois\b", "mois", 1.0),
    (r"semaines?\b", "semaines", 1.0),
    (r"jours?\b", "jours", 1.0),
    (r"ans\b|annees\b", "ans", 1.0),
    (r"km\b|kilometres?\b", "km", 1.0),
    (r"(?:salaries|personnes|agents|etp|postes|apprentis|jeunes|stagiaires)\b", "personnes", 1.0),
)
_UNIT = "|".join(f"(?P<u{i}>{pattern})" for i, (pattern, _, _) in enumerate(_UNITS))
_QUANTITY = re.compile(
    rf"(?<![\w,.])(?P<sign>[-−+])?\s?(?P<num>{_DIGITS}|\b{NUMBER_WORDS}\b)\s?(?:{_UNIT})",
)
#: Units that measure a delay, not a quantity of something.
DURATIONS = frozenset({"mois", "semaines", "jours", "ans"})


@dataclass(frozen=True)
class Quantity:
    valeur: float
    unite: str
    texte: str
    negatif: bool = False

    @property
    def is_duration(self) -> bool:
        return self.unite in DURATIONS


def words_to_number(text: str) -> float | None:
    """The value of a number written in French words, or None if it is not one."""
    total, current, previous = 0, 0, ""
    words = [w for w in re.split(r"[- ]+", text.strip()) if w and w != "et"]
    if not words:
        return None
    for word in words:
        if word in ("cent", "cents"):
            current = (current or 1) * 100
        elif word == "mille":
            total += (current or 1) * 1000
            current = 0
        elif word in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4
        elif word in _UNITS_WORDS:
            current += _UNITS_WORDS[word]
        else:
            return None
        previous = word
    return float(total + current)


def parse_number(text: str) -> float | None:
    """Digits with a decimal comma and grouped thousands, or words."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", text):
            text = text.replace(" ", "").replace(".", "")
        return float(text.replace(",", "."))
    return words_to_number(text)


def find_quantities(folded: str) -> list[Quantity]:
    """Every quantity with a unit in a folded text, in order."""
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(folded):
        value = parse_number(match["num"])
        if value is None:
            continue
        index = next(i for i in range(len(_UNITS)) if match[f"u{i}"] is not None)
        _, unit, factor = _UNITS[index]
        negative = match["sign"] in ("-", "−")
        found.append(Quantity(valeur=round(value * factor, 6), unite=unit, texte=match.group(0).strip(),
                              negatif=negative))
    for match in _RATIO.finditer(folded):
        part, whole = words_to_number(match["a"]) or parse_number(match["a"]), parse_number(match["b"])
        if part is not None and whole:
            found.append(Quantity(valeur=round(100 * part / whole, 6), unite="pourcent", texte=match.group(0)))
    for match in _FRACTION.finditer(folded):
        found.append(Quantity(valeur=round(_FRACTIONS[match[1]], 6), unite="pourcent", texte=match[1]))
    return found

"""Legal minimums (grids/reglementation.yaml): which rule a sentence cites, and whether its figures go beyond.

A sentence citing a rule with a figure equal to the rule's value restates the law; a figure past the
value, in the direction the rule sets, is a commitment beyond it ("62 % de produits durables" against
EGAlim's 50 %, "−45 %" against the décret tertiaire's −40 %).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from evaluation.analysis.quantities import Quantity
from evaluation.analysis.text import fold
from evaluation.errors import GridError
from evaluation.model.loading import load_model
from evaluation.model.regulation import LegalThreshold, RegulationCatalogue, RegulationRule
from evaluation.settings import data_dir

__all__ = ["REGULATION_FILE", "RegulationIndex", "RegulationReading", "load_regulation"]

REGULATION_FILE = "reglementation.yaml"
#: Units of an offer's quantities comparable with the unit of a legal threshold.
_COMPARABLE = {"pourcent": "pourcent", "pourcent_reduction": "pourcent", "heures": "heures", "kw": "kw"}
#: Relative tolerance under which a figure is the legal value itself (rounding: "un tiers" = 33,33 %).
_SAME = 0.005


@cache
def load_regulation() -> RegulationCatalogue:
    """The bundled catalogue of legal minimums."""
    return load_model(RegulationCatalogue, data_dir("grids") / REGULATION_FILE, GridError)


@dataclass(frozen=True)
class RegulationReading:
    #: Ids of the rules the sentence cites.
    rules: tuple[str, ...] = ()
    #: A figure of the sentence is past a value of a cited rule.
    beyond: bool = False
    #: Every comparable figure of the sentence equals a value of a cited rule.
    restated: bool = False


def _past(quantity: Quantity, threshold: LegalThreshold) -> bool:
    if threshold.comparaison == "au_plus":
        return quantity.valeur < threshold.valeur * (1 - _SAME)
    return quantity.valeur > threshold.valeur * (1 + _SAME)


def _equal(quantity: Quantity, threshold: LegalThreshold) -> bool:
    return abs(quantity.valeur - threshold.valeur) <= threshold.valeur * _SAME


class RegulationIndex:
    """The rules compiled once: term patterns on folded text."""

    def __init__(self, catalogue: RegulationCatalogue | None = None) -> None:
        self.catalogue = catalogue if catalogue is not None else load_regulation()
        # One pattern for every term of every rule, longest first: one search per sentence.
        self._rule_of: dict[str, RegulationRule] = {}
        for rule in self.catalogue.regles:
            for term in rule.termes:
                self._rule_of.setdefault(fold(term), rule)
        terms = sorted(self._rule_of, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, terms)) + r")(?![\w-])")

    def rules_in(self, folded: str) -> list[RegulationRule]:
        found: dict[str, RegulationRule] = {}
        for match in self._pattern.finditer(folded):
            rule = self._rule_of[match.group(0)]
            found.setdefault(rule.id, rule)
        return list(found.values())

    def read(self, folded: str, quantities: Sequence[Quantity]) -> RegulationReading:
        """Which rules a folded sentence cites and how its figures compare with their values."""
        rules = self.rules_in(folded)
        if not rules:
            return RegulationReading()
        thresholds = [t for rule in rules for t in rule.seuils]
        beyond = False
        compared = 0
        equal = 0
        for quantity in quantities:
            unit_thresholds = [t for t in thresholds if _COMPARABLE.get(t.unite) == quantity.unite]
            if not unit_thresholds:
                continue
            compared += 1
            # A figure is read against the closest value: 47 % of sustainable products is short of EGAlim's
            # 50 %, not beyond its 20 % of organic products.
            nearest = min(unit_thresholds, key=lambda t: (abs(quantity.valeur - t.valeur), t.valeur))
            if _equal(quantity, nearest):
                equal += 1
            elif _past(quantity, nearest):
                beyond = True
        return RegulationReading(rules=tuple(r.id for r in rules), beyond=beyond,
                                 restated=compared > 0 and equal == compared)

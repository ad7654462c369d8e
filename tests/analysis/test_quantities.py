"""Quantities: decimal comma, grouped thousands, number words, units normalised."""

from __future__ import annotations

import pytest

from evaluation.analysis.quantities import find_quantities, parse_number, words_to_number
from evaluation.analysis.text import fold


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("35 % de fibres recyclées", 35.0, "pourcent"),
        ("12,5 % du chiffre", 12.5, "pourcent"),
        ("trente pour cent", 30.0, "pourcent"),
        ("un budget de 96 000 € HT", 96000.0, "euros"),
        ("un budget de 96\u00a0000 € HT", 96000.0, "euros"),
        ("un budget de 96\u202f000 euros", 96000.0, "euros"),
        ("1.200 euros", 1200.0, "euros"),
        ("3,5 k€", 3500.0, "euros"),
        ("24 tCO2e par an", 24.0, "tco2e"),
        ("1 290 tonnes de CO2", 1290.0, "tco2e"),
        ("850 kgCO2e", 0.85, "tco2e"),
        ("2 400 heures d'insertion", 2400.0, "heures"),
        ("8,2 GWh", 8_200_000.0, "kwh"),
        ("70 kW", 70.0, "kw"),
        ("dix-huit mois", 18.0, "mois"),
        ("quatre-vingt-dix salariés", 90.0, "personnes"),
        ("deux tiers des achats", 200 / 3, "pourcent"),
        ("la moitié des denrées", 50.0, "pourcent"),
        ("deux produits sur trois", 200 / 3, "pourcent"),
    ],
)
def test_value_and_unit(text: str, value: float, unit: str) -> None:
    found = find_quantities(fold(text))
    assert found, text
    assert found[0].unite == unit
    assert found[0].valeur == pytest.approx(value, rel=1e-4)


def test_sign_is_kept() -> None:
    [quantity] = find_quantities(fold("une baisse de −40 % en 2030"))
    assert quantity.negatif and quantity.valeur == 40.0


@pytest.mark.parametrize(("words", "value"), [("vingt et un", 21), ("soixante-dix", 70), ("quatre-vingt-dix", 90),
                                               ("deux mille", 2000), ("cent vingt", 120), ("dix-huit", 18)])
def test_number_words(words: str, value: int) -> None:
    assert words_to_number(words) == value


def test_words_that_are_not_numbers() -> None:
    assert words_to_number("plusieurs") is None
    assert parse_number("1 200,50") == 1200.5
    assert find_quantities(fold("une démarche de progrès")) == []

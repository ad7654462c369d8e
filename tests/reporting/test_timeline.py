"""Date expressions found in the offers' dated actions, and where they sit on the timeline."""

from __future__ import annotations

import pytest

from evaluation.reporting.timeline import find_dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date : 15 septembre 2026 | Porteur", [("15 septembre 2026", "date", "15 septembre 2026")]),
        ("mise en service le 1er février 2027", [("1er février 2027", "date", "1er février 2027")]),
        ("au plus tard le 31/12/2026", [("31/12/2026", "date", "31 décembre 2026")]),
        ("lors du premier bilan (mars 2027)", [("mars 2027", "date", "mars 2027")]),
        ("objectif atteint T2 2027", [("T2 2027", "date", "2e trimestre 2027")]),
        ("au premier semestre 2027", [("premier semestre 2027", "date", "1er semestre 2027")]),
        ("Réduire de 30 % d’ici 2027.", [("d’ici 2027", "date", "2027")]),
        ("fin 2028 au plus tard", [("fin 2028", "date", "fin 2028")]),
        ("Échéance : T0+15 jours", [("T0+15 jours", "relatif", "Notification + 15 jours")]),
        ("à M+24, soit une baisse", [("M+24", "relatif", "Notification + 24 mois")]),
        ("J+10 après la réunion", [("J+10", "relatif", "Notification + 10 jours")]),
        ("dès la notification du marché", [("dès la notification", "relatif", "Notification")]),
        ("dans les six mois", [("dans les six mois", "relatif", "Notification + 6 mois")]),
        ("3 mois après la notification", [("3 mois après la notification", "relatif", "Notification + 3 mois")]),
        ("D'ici la fin de la deuxième année : 30 %",
         [("D'ici la fin de la deuxième année", "relatif", "Année 2 du marché (fin)")]),
        ("Au cours de la première année : mesure", [("Au cours de la première année", "relatif", "Année 1 du marché")]),
        ("Aucune date ici, seulement 30 % et 2 camions.", []),
        ("le 45 mars 2026", [("mars 2026", "date", "mars 2026")]),  # 45 is not a day: the month remains
    ],
)
def test_date_expressions(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(m.texte, m.nature, m.repere) for m in find_dates(text)] == expected


def test_expressions_come_in_reading_order_without_overlap() -> None:
    found = find_dates("Dès la notification, achevée à T0+3 mois, puis le 15 septembre 2026.")
    assert [m.texte for m in found] == ["Dès la notification", "T0+3 mois", "15 septembre 2026"]


def test_calendar_keys_order_dates() -> None:
    keys = [m.cle for m in find_dates("31/12/2026, 1er janvier 2027, mars 2027, fin 2027")]
    assert keys == sorted(keys)
    delays = [m.cle for m in find_dates("dès la notification, T0+15 jours, M+3, dans les six mois, année 2")]
    assert delays == sorted(delays)

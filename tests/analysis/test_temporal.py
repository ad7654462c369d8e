"""Temporal expressions: what is found, and whether a commission could check an action against it."""

from __future__ import annotations

import pytest

from evaluation.analysis.temporal import find_times, has_checkable_time
from evaluation.analysis.text import fold


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("avant le 1er juin 2027", "date"),
        ("le 31/03/2027", "date"),
        ("en mars 2027", "mois"),
        ("fin avril", "mois"),
        ("au deuxième trimestre 2027", "trimestre"),
        ("T2 2027", "trimestre"),
        ("S1 2028", "semestre"),
        ("au second semestre de la deuxième année", "semestre"),
        ("T0+6 mois", "relatif"),
        ("T0 + 15 jours", "relatif"),
        ("M+18", "relatif"),
        ("J-3", "relatif"),
        ("à la date anniversaire du marché", "relatif"),
        ("lors du premier bilan semestriel", "relatif"),
        ("dès la notification du marché", "relatif"),
        ("dans les dix-huit mois", "relatif"),
        ("à la fin de la deuxième année", "relatif"),
        ("d'ici fin 2027", "echeance"),
        ("avant 2028", "echeance"),
        ("à la rentrée 2027", "saison"),
        ("avant les vacances de printemps 2028", "saison"),
        ("courant 2027", "annee"),
        ("chaque trimestre", "periodicite"),
        ("deux fois par an", "periodicite"),
        ("une semaine sur deux", "periodicite"),
        ("un rapport mensuel", "periodicite"),
        ("à moyen terme", "vague"),
        ("progressivement", "vague"),
        ("au cours de la première année", "vague"),
    ],
)
def test_kind_of_each_expression(text: str, kind: str) -> None:
    found = find_times(fold(text))
    assert [t.kind for t in found] == [kind], found


@pytest.mark.parametrize(
    ("text", "checkable"),
    [
        ("Les bacs inox seront déployés à M+6.", True),
        ("Nous remplacerons deux camions au troisième trimestre 2027.", True),
        ("Les actions seront menées progressivement, à moyen terme.", False),
        ("Un bilan sera fait chaque année.", False),
        ("Nous achèterons un camion GNV courant 2027.", False),
        # A law's own date is a reference, not a deadline.
        ("Conformément à la loi n° 2020-105 du 10 février 2020 relative à la lutte contre le gaspillage.", False),
    ],
)
def test_checkable_dates(text: str, checkable: bool) -> None:
    assert has_checkable_time(fold(text)) is checkable


def test_expressions_in_order_without_overlap() -> None:
    found = find_times(fold("Audit à T0+3 mois, puis bacs consignés à M+18 et bilan chaque semestre."))
    assert [(t.kind, t.texte) for t in found] == [
        ("relatif", "t0+3 mois"), ("relatif", "m+18"), ("periodicite", "chaque semestre")]

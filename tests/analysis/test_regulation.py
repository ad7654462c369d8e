"""The catalogue of legal minimums and the comparison of an offer's figures with them."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from evaluation.analysis.quantities import find_quantities
from evaluation.analysis.regulation import RegulationIndex, load_regulation
from evaluation.analysis.text import fold
from evaluation.model.regulation import RegulationCatalogue


def test_every_rule_cites_its_source_and_date() -> None:
    catalogue = load_regulation()
    ids = {rule.id for rule in catalogue.regles}
    assert {"egalim-produits-durables", "agec-achats-reemploi-recycle", "decret-tertiaire",
            "lom-flottes-entreprises", "re2020", "climat-resilience-commande-publique"} <= ids
    for rule in catalogue.regles:
        assert any(word in rule.source for word in ("art.", "Règlement", "décret")), rule.id
        assert rule.applicable_depuis >= dt.date(2018, 1, 1)


@pytest.mark.parametrize(
    ("rule", "values"),
    [("egalim-produits-durables", [50, 20]), ("decret-tertiaire", [40, 50, 60]),
     ("agec-achats-reemploi-recycle", [20])],
)
def test_legal_values(rule: str, values: list[float]) -> None:
    found = next(r for r in load_regulation().regles if r.id == rule)
    assert [t.valeur for t in found.seuils] == values


def test_duplicate_ids_are_refused() -> None:
    rule = {"id": "x", "libelle": "X", "source": "art. 1", "applicable_depuis": "2020-01-01", "termes": ["x"]}
    with pytest.raises(ValidationError, match="double"):
        RegulationCatalogue.model_validate({"version": 1, "regles": [rule, rule]})


def _read(text: str) -> tuple[tuple[str, ...], bool, bool]:
    folded = fold(text)
    reading = RegulationIndex().read(folded, [q for q in find_quantities(folded) if not q.is_duration])
    return reading.rules, reading.beyond, reading.restated


@pytest.mark.parametrize(
    ("text", "beyond", "restated"),
    [
        ("Nous servirons 50 % de produits durables dont 20 % de bio, comme le prévoit EGAlim.", False, True),
        ("Nous porterons la part de produits durables à 62 %, dont 28 % de bio (EGAlim).", True, False),
        ("Le décret tertiaire impose −40 % en 2030 ; nous visons −45 % dès 2029.", True, False),
        ("Nous réduirons les consommations de 40 % en 2030 comme le demande le décret tertiaire.", False, True),
        # 47 % is short of EGAlim's 50 %, not beyond its 20 % of organic products.
        ("En 2025, la part EGAlim était de 47 %.", False, False),
        ("Au-delà des 20 % de la loi AGEC, 35 % de matière recyclée.", True, False),
    ],
)
def test_figures_compared_with_the_closest_legal_value(text: str, beyond: bool, restated: bool) -> None:
    rules, found_beyond, found_restated = _read(text)
    assert rules
    assert (found_beyond, found_restated) == (beyond, restated)


def test_a_word_alone_is_not_a_rule() -> None:
    assert _read("Les bacs inox seront lavés à la cuisine centrale.")[0] == ()

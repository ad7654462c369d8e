"""Checks a judge would make, reported as warnings."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from evaluation.model import Grid
from evaluation.model.registry import load_grid
from evaluation.scoring import price_points
from evaluation.scoring.checks import french, price_checks, weight_checks

PRICES = {"a": Decimal(100), "b": Decimal(108), "c": Decimal(120)}


def checks(method: str, prices: dict[str, Decimal] = PRICES) -> list[str]:
    return price_checks(method, prices, price_points(method, prices, Fraction(40)), Fraction(40), "Prix")


def test_proportional_method_raises_no_warning() -> None:
    assert checks("proportionnelle") == []


def test_linear_method_gives_zero_to_the_dearest_whatever_the_gap() -> None:
    [warning] = checks("lineaire")
    assert "l'offre la plus chère (c) obtient 0 point" in warning
    assert "que de 20 %" in warning and "quel que soit l'écart" in warning


def test_average_method_denies_the_best_offer_the_best_mark_and_flattens() -> None:
    best, flat = checks("moyenne")
    # Pmoy = 328 / 3; the cheapest gets 40 x (2 Pmoy - 100) / (2 Pmoy) = 40 x 356 / 656
    assert f"l'offre la moins chère (a) n'obtient que {french(Fraction(40 * 356, 656))} points sur 40" in best
    assert "écrase les écarts de prix" in flat
    assert "un écart de 16,7 %" in flat  # (120 - 100) / 120


def test_equal_marks_for_different_prices_are_reported() -> None:
    # Marks as a method bounded at 0 gives them: c and d both beyond its zero point.
    prices = {"a": Decimal(10), "b": Decimal(10), "c": Decimal(50), "d": Decimal(60)}
    marks = {"a": Fraction(30), "b": Fraction(30), "c": Fraction(0), "d": Fraction(0)}
    warnings = price_checks("moyenne", prices, marks, Fraction(40), "Prix")
    assert any("les offres c et d ont des prix différents mais la même note" in w for w in warnings)


def test_a_single_priced_offer_is_not_checked() -> None:
    assert checks("lineaire", {"a": Decimal(100)}) == []


def test_bundled_grid_weights_pass() -> None:
    assert weight_checks(load_grid("attribution-complete.v1")) == []


def test_weights_not_totalling_100_are_reported() -> None:
    grid = load_grid("attribution-complete.v1")
    criteria = list(grid.criteres)
    criteria[0] = criteria[0].model_copy(update={"poids": Decimal(30)})
    subs = list(criteria[1].sous_criteres)
    subs[0] = subs[0].model_copy(update={"poids": Decimal(50)})
    criteria[1] = criteria[1].model_copy(update={"sous_criteres": subs})
    broken = Grid.model_construct(**{**dict(grid), "criteres": criteria})
    first, second = weight_checks(broken)
    assert "totalisent 90 points au lieu de 100" in first
    assert "totalisent 90 % au lieu de 100 %" in second

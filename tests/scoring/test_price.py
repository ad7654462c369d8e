"""Price methods and abnormally-low detection against hand-computed values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from evaluation.model import AbnormallyLowRule
from evaluation.scoring import abnormally_low, fmt, price_points

PRICES = {"a": Decimal("100000"), "b": Decimal("125000"), "c": Decimal("200000")}


def test_proportional_method() -> None:
    points = price_points("proportionnelle", PRICES, Fraction(40))
    # 40 x 100000 / P
    assert points == {"a": Fraction(40), "b": Fraction(32), "c": Fraction(20)}


def test_linear_method_gives_zero_to_dearest() -> None:
    points = price_points("lineaire", PRICES, Fraction(40))
    # 40 x (200000 - P) / (200000 - 100000)
    assert points == {"a": Fraction(40), "b": Fraction(30), "c": Fraction(0)}


def test_linear_method_with_equal_prices() -> None:
    points = price_points("lineaire", {"a": Decimal(5), "b": Decimal(5)}, Fraction(40))
    assert points == {"a": Fraction(40), "b": Fraction(40)}


def test_linear_rank_reversal_when_an_offer_is_removed() -> None:
    # The known flaw of relative formulas: an irrelevant dear offer z decides between x and y.
    technical = {"x": Fraction(30), "y": Fraction(36)}
    with_z = price_points("lineaire", {"x": Decimal(100), "y": Decimal(110), "z": Decimal(300)}, Fraction(40))
    without_z = price_points("lineaire", {"x": Decimal(100), "y": Decimal(110)}, Fraction(40))
    assert (with_z["x"], with_z["y"]) == (Fraction(40), Fraction(38))  # Pmax = 300
    assert technical["x"] + with_z["x"] < technical["y"] + with_z["y"]  # 70 < 74: y ahead
    assert (without_z["x"], without_z["y"]) == (Fraction(40), Fraction(0))  # Pmax = 110
    assert technical["x"] + without_z["x"] > technical["y"] + without_z["y"]  # 70 > 36: x ahead


def test_points_formatted_exactly_two_decimals() -> None:
    assert fmt(Fraction(40) * 100000 / 135000) == "29.63"
    assert fmt(Fraction(1, 8)) == "0.13"  # half-up, not banker's rounding


def test_standard_deviation_rule() -> None:
    prices = {"a": Decimal(60), "b": Decimal(100), "c": Decimal(100), "d": Decimal(100), "e": Decimal(100)}
    # mean 92, population sigma 16 -> threshold 76
    flags = abnormally_low(AbnormallyLowRule(regle="ecart_type"), prices)
    assert flags["a"] is not None and "écart type" in flags["a"]
    assert [k for k, v in flags.items() if v] == ["a"]


def test_reduced_mean_rule() -> None:
    prices = {"a": Decimal(50), "b": Decimal(90), "c": Decimal(100), "d": Decimal(110), "e": Decimal(300)}
    # reduced mean (without 50 and 300) = 100; threshold 0.8 x 100 = 80
    flags = abnormally_low(AbnormallyLowRule(regle="moyenne_reduite", seuil=Decimal("0.8")), prices)
    assert [k for k, v in flags.items() if v] == ["a"]


def test_estimate_rule() -> None:
    rule = AbnormallyLowRule(regle="estimation", seuil=Decimal("0.7"), estimation=Decimal(1000))
    flags = abnormally_low(rule, {"a": Decimal(699), "b": Decimal(700)})
    assert flags["a"] is not None and flags["b"] is None


def test_statistical_rules_need_three_offers() -> None:
    flags = abnormally_low(AbnormallyLowRule(regle="ecart_type"), {"a": Decimal(1), "b": Decimal(100)})
    assert flags == {"a": None, "b": None}


def test_estimate_rule_requires_amount() -> None:
    with pytest.raises(ValueError, match="estimation"):
        AbnormallyLowRule(regle="estimation")

"""Price methods and abnormally-low detection against hand-computed values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from evaluation.model import AbnormallyLowRule
from evaluation.scoring import abnormally_low, fmt, justification_request, price_points

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


def test_average_method() -> None:
    # Pmoy = (100000 + 125000 + 200000) / 3 = 425000 / 3; N = 40 x (2 Pmoy - P) / (2 Pmoy)
    points = price_points("moyenne", PRICES, Fraction(40))
    assert points["a"] == Fraction(40) * (Fraction(850000, 3) - 100000) / Fraction(850000, 3)  # 40 x 55/85
    assert points == {"a": Fraction(440, 17), "b": Fraction(380, 17), "c": Fraction(200, 17)}
    assert [fmt(points[k]) for k in "abc"] == ["25.88", "22.35", "11.76"]


def test_average_method_gives_half_the_points_at_the_mean() -> None:
    points = price_points("moyenne", {"a": Decimal(90), "b": Decimal(100), "c": Decimal(110)}, Fraction(40))
    assert points == {"a": Fraction(22), "b": Fraction(20), "c": Fraction(18)}


def test_average_method_never_below_zero() -> None:
    # Pmoy = 100; 2 x Pmoy = 200: the 260 offer would get a negative mark
    points = price_points("moyenne", {"a": Decimal(20), "b": Decimal(20), "c": Decimal(260)}, Fraction(10))
    assert points["c"] == 0
    assert points["a"] == Fraction(10) * 180 / 200


def test_proportional_method_with_hand_computed_fractions() -> None:
    points = price_points("proportionnelle", {"a": Decimal("97400"), "b": Decimal("131500")}, Fraction(40))
    assert points["b"] == Fraction(40 * 97400, 131500)
    assert fmt(points["b"]) == "29.63"


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="inconnue"):
        price_points("au_hasard", PRICES, Fraction(40))


def test_average_rank_reversal_when_an_offer_is_removed() -> None:
    # x is cheaper, y technically better. With z, Pmoy = 200 and the 20-euro gap is worth 40 x 20 / 400 = 2
    # points; without z, Pmoy = 110 and it is worth 40 x 20 / 220 = 3.64 points.
    technical = {"x": Fraction(30), "y": Fraction(33)}
    prices = {"x": Decimal(100), "y": Decimal(120), "z": Decimal(380)}
    with_z = price_points("moyenne", prices, Fraction(40))
    without_z = price_points("moyenne", {k: v for k, v in prices.items() if k != "z"}, Fraction(40))
    assert with_z["x"] - with_z["y"] == 2
    assert technical["x"] + with_z["x"] < technical["y"] + with_z["y"]  # y ahead by 1 point
    assert without_z["x"] - without_z["y"] == Fraction(40, 11)
    assert technical["x"] + without_z["x"] > technical["y"] + without_z["y"]  # x ahead by 0.64 point


def test_proportional_rank_reversal_when_the_cheapest_offer_is_removed() -> None:
    # Pmin moves from 50 to 100: the price gap between x and y grows from 40 x (50/100 - 50/125) = 4 to 8.
    technical = {"x": Fraction(30), "y": Fraction(36)}
    prices = {"x": Decimal(100), "y": Decimal(125), "z": Decimal(50)}
    with_z = price_points("proportionnelle", prices, Fraction(40))
    without_z = price_points("proportionnelle", {"x": Decimal(100), "y": Decimal(125)}, Fraction(40))
    assert (with_z["x"], with_z["y"]) == (Fraction(20), Fraction(16))
    assert technical["x"] + with_z["x"] < technical["y"] + with_z["y"]  # 50 < 52: y ahead
    assert (without_z["x"], without_z["y"]) == (Fraction(40), Fraction(32))
    assert technical["x"] + without_z["x"] > technical["y"] + without_z["y"]  # 70 > 68: x ahead


def test_request_for_justification_cites_r2152_3_and_never_excludes() -> None:
    text = justification_request("2026-VET-01", "Gamma SA", Decimal("97400.00"), "HT", "prix inférieur à 80 %")
    assert "R2152-3" in text and "97\u202f400,00 € HT" in text and "Gamma SA" in text
    assert "ne sera écartée, le cas échéant, qu'après examen" in text

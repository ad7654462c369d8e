"""Sensitivity of a ranking: weight changes and withdrawn offers, against hand-computed values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from evaluation.scoring.sensitivity import (
    CriterionWeight,
    Reversal,
    WeightShift,
    describe_reversals,
    describe_shift,
    removal_reversals,
    weight_shift,
)

CRITERIA = [CriterionWeight("prix", "Prix", Fraction(40)), CriterionWeight("technique", "Technique", Fraction(60))]
SHARES = {
    "x": {"prix": Fraction(1), "technique": Fraction(1, 2)},  # 40 + 30 = 70
    "y": {"prix": Fraction(1, 2), "technique": Fraction(4, 5)},  # 20 + 48 = 68
}


def test_smallest_weight_change_that_changes_the_winner() -> None:
    # Price weight 40 + d, technique 60 - d: x = 70 + d/2, y = 68 - 3d/10 -> equal at d = -2.5
    shift = weight_shift(CRITERIA, SHARES, "prix")
    assert shift == WeightShift("prix", Fraction(-5, 2), "x", "y")
    assert weight_shift(CRITERIA, SHARES, "technique") == WeightShift("technique", Fraction(5, 2), "x", "y")
    text = describe_shift(shift, CRITERIA[0])
    assert "passait de 40 à 37,5 points (−2,5)" in text and "« y » rejoindrait l'offre « x »" in text


def test_no_weight_change_when_the_leader_dominates() -> None:
    shares = {"x": {"prix": Fraction(1), "technique": Fraction(1)}, "y": {"prix": Fraction(1, 2),
                                                                         "technique": Fraction(1, 2)}}
    assert weight_shift(CRITERIA, shares, "prix") is None
    assert "ne change l'offre classée première" in describe_shift(None, CRITERIA[0])


def test_no_weight_change_without_a_single_leader() -> None:
    shares = {"x": {"prix": Fraction(1), "technique": Fraction(0)}, "y": {"prix": Fraction(1),
                                                                         "technique": Fraction(0)}}
    assert weight_shift(CRITERIA, shares, "prix") is None


def test_withdrawing_an_offer_reverses_two_others() -> None:
    # Linear price on 40 points: with z (300), x = 30 + 40 = 70 and y = 36 + 38 = 74; without z, x = 70, y = 36.
    technical = {"x": Fraction(30), "y": Fraction(36), "z": Fraction(39)}
    prices = {"x": Decimal(100), "y": Decimal(110), "z": Decimal(300)}
    reversals = removal_reversals(technical, prices, "lineaire", Fraction(40), ["x", "y", "z"])
    assert Reversal("z", "y", "x") in reversals
    text = describe_reversals(reversals, "lineaire")
    assert text.startswith("Retirer « z » ferait passer « x » devant « y »")


def test_no_reversal_is_said_plainly() -> None:
    technical = {"x": Fraction(50), "y": Fraction(30), "z": Fraction(10)}
    prices = {"x": Decimal(100), "y": Decimal(110), "z": Decimal(120)}
    assert removal_reversals(technical, prices, "proportionnelle", Fraction(40), ["x", "y", "z"]) == []
    assert "n'inverse l'ordre d'aucune" in describe_reversals([], "proportionnelle")

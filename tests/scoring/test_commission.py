"""Aggregation of the evaluators' levels, disagreements, justifications and consensus levels."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from evaluation.errors import InputError
from evaluation.model.folder import ConsultationFolder
from evaluation.scoring import (
    aggregate,
    commission_status,
    disagreement,
    justification_problem,
    load_commission_scores,
    set_consensus,
)
from evaluation.store import NoteRow, Store

GOOD = "Objectifs chiffrés pour chaque axe, page 4 du mémoire."


@pytest.mark.parametrize(
    ("levels", "method", "expected"),
    [
        ([2, 2, 3], "moyenne", Fraction(7, 3)),
        ([2, 2, 3], "mediane", Fraction(2)),
        ([1, 4], "mediane", Fraction(5, 2)),
        ([0, 1, 3, 4], "mediane", Fraction(2)),
        ([4], "moyenne", Fraction(4)),
    ],
)
def test_aggregate_is_exact(levels: list[int], method: str, expected: Fraction) -> None:
    assert aggregate(levels, method) == expected


def test_aggregate_needs_levels() -> None:
    with pytest.raises(ValueError, match="aucun niveau"):
        aggregate([], "moyenne")


@pytest.mark.parametrize(
    ("levels", "max_level", "expected"),
    [
        ([2, 3], 4, False),  # one level apart on a 0-4 scale
        ([1, 3], 4, True),  # two levels
        ([2], 4, False),  # a single evaluator cannot disagree
        ([0, 1], 2, True),  # one level is 50 % of a 0-2 scale
        ([3, 4, 5], 10, True),  # two levels on 0-10 (20 % only): still flagged
        ([4, 5], 10, False),
    ],
)
def test_disagreement(levels: list[int], max_level: int, expected: bool) -> None:
    assert disagreement(levels, max_level) is expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "absente"),
        ("   ", "absente"),
        ("RAS", "sans contenu"),
        ("r.a.s.", "sans contenu"),
        ("OK", "sans contenu"),
        ("Rien à signaler", "sans contenu"),
        ("Bon dossier", "trop courte"),
        ("1234567890123456", "sans phrase lisible"),
    ],
)
def test_trivial_justifications_are_refused(text: str, reason: str) -> None:
    problem = justification_problem(text)
    assert problem is not None and reason in problem


def test_real_justification_is_accepted() -> None:
    assert justification_problem(GOOD) is None


def test_set_consensus_records_and_logs_before_and_after(folder: ConsultationFolder, store: Store) -> None:
    assert set_consensus(folder, store, offre="alpha", sous_critere="methodologie", niveau=2, justification=GOOD,
                         auteur="La présidente", compte="acheteur") == "ajout"
    assert set_consensus(folder, store, offre="alpha", sous_critere="methodologie", niveau=2, justification=GOOD,
                         auteur="La présidente", compte="acheteur") == "inchange"
    assert set_consensus(folder, store, offre="alpha", sous_critere="methodologie", niveau=3, justification=GOOD,
                         auteur="La présidente", compte="acheteur") == "modification"
    last = store.events()[-1]
    assert (last.action, last.objet, last.auteur) == ("consensus.modification", "consensus/alpha/methodologie",
                                                      "acheteur")
    assert json.loads(last.avant or "")["niveau"] == 2 and json.loads(last.apres or "")["niveau"] == 3
    [row] = store.consensus()
    assert (row.niveau, row.auteur) == (3, "La présidente")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"offre": "omega"}, "--offre"),
        ({"sous_critere": "prix"}, "--sous-critere"),
        ({"niveau": 5}, "--niveau"),
        ({"niveau": -1}, "--niveau"),
        ({"justification": "ok"}, "--justification"),
    ],
)
def test_set_consensus_refuses_bad_input(folder: ConsultationFolder, store: Store, changes: dict[str, object],
                                         field: str) -> None:
    values: dict[str, object] = {"offre": "alpha", "sous_critere": "methodologie", "niveau": 2,
                                 "justification": GOOD, "auteur": "La présidente"}
    values.update(changes)
    with pytest.raises(InputError) as caught:
        set_consensus(folder, store, **values)  # type: ignore[arg-type]
    assert [p.champ for p in caught.value.problems] == [field]
    assert store.consensus() == []


def test_status_lists_missing_evaluators_and_disagreements(folder: ConsultationFolder, store: Store) -> None:
    store.sync_offers({"alpha": "Alpha"}, auteur="t")
    for name in ("A. Martin", "B. Durand"):
        store.ensure_evaluator(name, auteur="t")
    store.set_note(NoteRow("alpha", "methodologie", "A. Martin", 1, GOOD), auteur="t")
    store.set_note(NoteRow("alpha", "methodologie", "B. Durand", 4, GOOD), auteur="t")
    store.set_note(NoteRow("alpha", "moyens_humains", "A. Martin", 2, GOOD), auteur="t")
    cells = {(c.offre, c.sous_critere): c for c in commission_status(folder, load_commission_scores(store))}
    split = cells[("alpha", "methodologie")]
    assert split.desaccord and split.agregat == Fraction(5, 2) and split.manquants == ()
    partial = cells[("alpha", "moyens_humains")]
    assert partial.manquants == ("B. Durand",) and not partial.desaccord
    assert cells[("beta", "methodologie")].manquants == ("A. Martin", "B. Durand")
    assert len(cells) == 3 * 8

"""The bundled catalogues: fixed ids, and terms that the analysis can actually match."""

from __future__ import annotations

import pytest
from spacy.language import Language

from evaluation.analysis.lexicon import Lexicon, token_keys
from evaluation.model import AXIS_IDS, ELEMENT_IDS, Axis
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue


def test_axis_catalogue_has_the_design_ids_in_order() -> None:
    assert tuple(a.id for a in load_axis_catalogue().axes) == AXIS_IDS


def test_element_catalogue_has_the_seven_parts_in_clause_order() -> None:
    assert tuple(e.id for e in load_element_catalogue().elements) == ELEMENT_IDS


def test_every_entry_is_described() -> None:
    for entry in [*load_axis_catalogue().axes, *load_element_catalogue().elements]:
        assert entry.libelle and len(entry.description) > 40, entry.id
        assert len(entry.termes) >= 10, entry.id
        assert entry.exemples, entry.id


@pytest.mark.parametrize("axis", load_axis_catalogue().axes, ids=lambda a: a.id)
def test_each_axis_term_matches_itself(nlp: Language, axis: Axis) -> None:
    lexicon = Lexicon(nlp, {axis.id: axis.termes})
    for term in axis.termes:
        assert axis.id in lexicon.match(token_keys(nlp(term))), term


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Le système de bonus-malus sera revu chaque année.", "partage_gains"),
        ("Nous remplacerons les emballages à usage unique par des bacs réutilisables.", "emballages_dechets"),
        ("Le tableau de bord sera transmis chaque mois.", "indicateurs"),
    ],
)
def test_terms_match_in_running_text(nlp: Language, text: str, label: str) -> None:
    catalogue = {a.id: a.termes for a in load_axis_catalogue().axes}
    catalogue |= {e.id: e.termes for e in load_element_catalogue().elements}
    assert label in Lexicon(nlp, catalogue).match(token_keys(nlp(text)))

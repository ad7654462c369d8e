"""Signals with evidence on small hand-written passages (real French pipeline)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from evaluation.analysis.lexicon import Lexicon
from evaluation.analysis.passages import Passage, annotate
from evaluation.analysis.signals import compute_signals
from evaluation.model import Block
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue

AXES = ["decarbonation", "emballages_dechets", "insertion_sociale", "ecoconception"]


@pytest.fixture(scope="module")
def lexicons(nlp: Language) -> tuple[Lexicon, Lexicon]:
    axes = Lexicon(nlp, {a.id: a.termes for a in load_axis_catalogue().axes})
    elements = Lexicon(nlp, {e.id: e.termes for e in load_element_catalogue().elements})
    return axes, elements


def passages(nlp: Language, lexicons: tuple[Lexicon, Lexicon], *texts: str,
             kind: str = "paragraphe", titres: tuple[str, ...] = ()) -> list[Passage]:
    blocks = [Block(texte=t, paragraphe=i + 1, page=1, type=kind, titres=titres)  # type: ignore[arg-type]
              for i, t in enumerate(texts)]
    return annotate(nlp, (("offres/a/memoire.md", b) for b in blocks), *lexicons)


def test_negated_gain_sharing_is_not_a_part(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    found = passages(nlp, lexicons, "Nous ne proposons pas de partage des gains à ce stade.")
    signals = compute_signals(found, AXES)
    assert signals.elements["partage_gains"].present is False


def test_gain_sharing_found_with_evidence(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    text = "Les économies obtenues sur les emballages seront partagées à parts égales avec l'acheteur."
    found = passages(nlp, lexicons, text)
    result = compute_signals(found, AXES).elements["partage_gains"]
    assert result.present is True
    assert result.preuves[0].texte == text
    assert result.preuves[0].fichier == "offres/a/memoire.md"
    assert result.preuves[0].page == 1


def test_compliance_only_is_not_beyond_regulation(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    found = passages(nlp, lexicons, "Nous respectons scrupuleusement la loi AGEC et ses 20 % de matière recyclée.")
    signals = compute_signals(found, AXES)
    assert signals.depassement_reglementaire.valeur is False
    assert signals.conformite_seule.valeur is True
    assert signals.conformite_seule.preuves


def test_commitment_beyond_legal_minimum(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    text = ("Nous nous engageons à porter la part de fibres recyclées à 35 % dès M+12, "
            "au-delà du minimum de 20 % fixé par la loi AGEC.")
    signals = compute_signals(passages(nlp, lexicons, text), AXES)
    assert signals.depassement_reglementaire.valeur is True
    assert signals.depassement_reglementaire.preuves[0].texte == text
    assert signals.conformite_seule.valeur is False


def test_conditional_beyond_is_not_a_commitment(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    text = "Nous pourrions étudier une part de matière recyclée au-delà du minimum légal de 20 %."
    signals = compute_signals(passages(nlp, lexicons, text), AXES)
    assert signals.depassement_reglementaire.valeur is False


def test_planning_from_table_rows(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    rows = [
        "Action : Audit des emballages | Échéance : T0+3 mois | Responsable : responsable RSE",
        "Action : Bacs consignés sur les livraisons | Échéance : M+18 | Responsable : logistique",
        "Action : Premier bilan des heures d'insertion | Échéance : lors du premier bilan semestriel",
    ]
    signals = compute_signals(passages(nlp, lexicons, *rows, kind="tableau"), AXES)
    assert signals.planning_precis.valeur is True
    assert len(signals.planning_precis.preuves) == 3
    assert signals.elements["calendrier"].present is True


def test_vague_calendar_is_not_precise(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    signals = compute_signals(passages(nlp, lexicons, "Les actions seront menées progressivement."), AXES)
    assert signals.planning_precis.valeur is False
    assert signals.planning_precis.preuves == []


def test_axis_enumeration_is_mentioned_not_covered(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    text = ("Notre démarche embrasse la décarbonation, les emballages, l'insertion professionnelle, "
            "l'écoconception et le réemploi.")
    signals = compute_signals(passages(nlp, lexicons, text), AXES)
    for axis in AXES:
        assert signals.axes[axis].mentionne is True, axis
        assert signals.axes[axis].couvert is False, axis


def test_concrete_action_covers_axis(nlp: Language, lexicons: tuple[Lexicon, Lexicon]) -> None:
    text = ("Nous nous engageons à remplacer les cartons à usage unique par des bacs réutilisables "
            "consignés pour 80 % des livraisons d'ici fin 2027.")
    result = compute_signals(passages(nlp, lexicons, text), AXES).axes["emballages_dechets"]
    assert result.couvert is True
    assert result.confiance >= 0.7
    assert result.preuves[0].texte == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nous nous engageons à former 12 salariés au tri des déchets.", "ferme"),
        ("Sous réserve de la validation de nos fournisseurs, nous pourrions introduire des fibres recyclées.",
         "conditionnel"),
        ("Nous envisageons de réfléchir à des emballages plus sobres.", "vague"),
    ],
)
def test_commitment_strength(nlp: Language, lexicons: tuple[Lexicon, Lexicon], text: str, expected: str) -> None:
    signals = compute_signals(passages(nlp, lexicons, text), AXES)
    assert signals.engagement.valeur == expected
    assert signals.engagement.preuves[0].texte == text


@pytest.mark.parametrize(("given", "covered"), [
    # a nominal action (no verb) that the classifier reads as an action of the bidder: covered
    (frozenset({"actions_titulaire", "insertion_sociale"}), True),
    # the same words read as the axis alone, with no action, target or measure: a statement, not covered
    (frozenset({"insertion_sociale"}), False),
])
def test_passage_without_a_verb_covers_an_axis_only_with_an_action_read_by_the_classifier(
        nlp: Language, lexicons: tuple[Lexicon, Lexicon], given: frozenset[str], covered: bool) -> None:
    from evaluation.analysis.signals import supports_axis
    from evaluation.model import AXIS_IDS

    found = passages(nlp, lexicons, "A11 — Insertion. Trois postes d'aide-technicien confiés à l'ETTI du quartier.",
                     kind="liste")
    passage = found[0]
    assert not passage.action  # no verb of action: the rules alone would not cover the axis
    passage.labels = given
    assert supports_axis("insertion_sociale", passage, frozenset(AXIS_IDS)) is covered

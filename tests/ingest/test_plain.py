"""Cutting plain text (a .txt file, a PDF page) into paragraphs, list items and headings."""

from __future__ import annotations

from evaluation.ingest.base import BlockBuilder
from evaluation.ingest.plain import add_plain_text
from evaluation.model.document import Block


def blocks(text: str, page: int | None = None) -> list[Block]:
    builder = BlockBuilder()
    add_plain_text(builder, text, page)
    return builder.blocks


def test_blank_lines_separate_paragraphs() -> None:
    result = blocks("Premier paragraphe\nsur deux lignes\n\nSecond paragraphe")
    assert [b.texte for b in result] == ["Premier paragraphe sur deux lignes", "Second paragraphe"]


def test_wrapped_paragraph_ends_on_its_short_last_line() -> None:
    text = (
        "Nous réduirons les émissions de gaz à effet de serre de la flotte de\n"
        "livraison de trente pour cent avant la fin de la deuxième année du\n"
        "marché.\n"
        "Le tri des déchets est organisé sur chaque site dès le démarrage."
    )
    assert [b.texte for b in blocks(text)] == [
        "Nous réduirons les émissions de gaz à effet de serre de la flotte de livraison de trente pour cent "
        "avant la fin de la deuxième année du marché.",
        "Le tri des déchets est organisé sur chaque site dès le démarrage.",
    ]


def test_unwrapped_lines_are_paragraphs_of_their_own() -> None:
    first = (
        "Nous réduirons les émissions de la flotte de livraison de trente pour cent grâce à des véhicules électriques."
    )
    second = "Le tri des déchets est organisé."
    assert [b.texte for b in blocks(f"{first}\n{second}")] == [first, second]


def test_bullet_lines_are_list_items_without_their_bullet() -> None:
    result = blocks("Nos actions\n- Tri des déchets\n• Réemploi des cartons\n* Formation")
    assert [(b.type, b.texte) for b in result] == [
        ("paragraphe", "Nos actions"),
        ("liste", "Tri des déchets"),
        ("liste", "Réemploi des cartons"),
        ("liste", "Formation"),
    ]


def test_consecutive_numbered_lines_are_a_list() -> None:
    result = blocks("1. Tri des déchets\n2. Réemploi des cartons")
    assert [(b.type, b.texte) for b in result] == [
        ("liste", "1. Tri des déchets"),
        ("liste", "2. Réemploi des cartons"),
    ]


def test_numbered_and_capitalised_titles_are_headings_with_a_path() -> None:
    result = blocks("PLAN DE PROGRÈS\n\n1. Objectifs\nRéduire les émissions.\n\n1.1 Indicateurs\nTonnes de CO2.")
    assert [(b.type, b.texte, b.titres) for b in result] == [
        ("titre", "PLAN DE PROGRÈS", ()),
        ("titre", "1. Objectifs", ()),
        ("paragraphe", "Réduire les émissions.", ("1. Objectifs",)),
        ("titre", "1.1 Indicateurs", ("1. Objectifs",)),
        ("paragraphe", "Tonnes de CO2.", ("1. Objectifs", "1.1 Indicateurs")),
    ]


def test_sentence_in_capitals_ending_with_a_period_is_not_a_heading() -> None:
    assert blocks("NOUS NOUS ENGAGEONS.")[0].type == "paragraphe"


def test_blocks_carry_the_page() -> None:
    assert {b.page for b in blocks("Un\n\nDeux", page=4)} == {4}


def test_line_starting_with_a_decimal_number_is_not_a_heading() -> None:
    assert blocks("1.5 tonnes de CO2 évitées\nchaque année")[0].type == "paragraphe"

"""Text cleaning, block numbering, heading paths and table rows shared by every reader."""

from __future__ import annotations

import pytest

from evaluation.ingest.base import BlockBuilder, clean_text, guess_header, table_row_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tri\x00 des\x07 déchets\x1b", "Tri des déchets"),
        ("fin\x7f de\x9f ligne", "fin de ligne"),
        ("ligne\x0bsuivante\x0cpage", "ligne suivante page"),
        ("surrogate \ud800seul", "surrogate seul"),
    ],
)
def test_clean_text_removes_control_characters(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_normalises_to_nfc() -> None:
    assert clean_text("e\u0301che\u0301ance") == "\u00e9ch\u00e9ance"


def test_clean_text_collapses_whitespace() -> None:
    assert clean_text("  30\u00a0%\t de\n\n réduction  ") == "30 % de réduction"


def test_builder_numbers_blocks_from_one_and_drops_empty_ones() -> None:
    builder = BlockBuilder()
    for text in ("Premier", "  \x00 ", "Second"):
        builder.add(text)
    assert [(b.paragraphe, b.texte) for b in builder.blocks] == [(1, "Premier"), (2, "Second")]


def test_builder_tracks_heading_path() -> None:
    builder = BlockBuilder()
    builder.heading("Plan", 1)
    builder.heading("Objectifs", 2)
    builder.add("Réduire")
    builder.heading("Moyens", 2)
    builder.add("Flotte")
    builder.heading("Annexes", 1)
    builder.add("Fin")
    assert [(b.texte, b.type, b.titres) for b in builder.blocks] == [
        ("Plan", "titre", ()),
        ("Objectifs", "titre", ("Plan",)),
        ("Réduire", "paragraphe", ("Plan", "Objectifs")),
        ("Moyens", "titre", ("Plan",)),
        ("Flotte", "paragraphe", ("Plan", "Moyens")),
        ("Annexes", "titre", ()),
        ("Fin", "paragraphe", ("Annexes",)),
    ]


@pytest.mark.parametrize(
    ("cells", "header", "expected"),
    [
        (
            ["Tri des déchets", "T0+6 mois"],
            ["Action", "Échéance"],
            "Action : Tri des déchets | Échéance : T0+6 mois",
        ),
        (["Tri des déchets", "T0+6 mois"], [], "Tri des déchets | T0+6 mois"),
        (["Réemploi", ""], ["Action", "Échéance"], "Action : Réemploi"),
        (["Section fusionnée"], ["Action", "Échéance"], "Section fusionnée"),
        (["a", "b"], ["", "Colonne"], "a | Colonne : b"),
    ],
)
def test_table_row_text(cells: list[str], header: list[str], expected: str) -> None:
    assert table_row_text(cells, header) == expected


@pytest.mark.parametrize(
    ("first_row", "row_count", "expected"),
    [
        (["Action", "Échéance"], 3, True),
        (["Action", "Échéance"], 1, False),
        (["Objectif", "Réduire de 30 % les émissions"], 3, False),
        (["Action", ""], 3, False),
        (["Action"], 3, False),
        (["Action", "Action"], 3, False),
    ],
)
def test_guess_header(first_row: list[str], row_count: int, expected: bool) -> None:
    assert guess_header(first_row, row_count) is expected

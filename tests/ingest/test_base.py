"""Text cleaning, block numbering, heading paths and table rows shared by every reader."""

from __future__ import annotations

import pytest

from evaluation import settings
from evaluation.ingest.base import (
    BlockBuilder,
    TableRowBlock,
    add_table,
    clean_text,
    count_invalid,
    guess_header,
    table_row_text,
)


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


def test_long_paragraph_is_cut_into_blocks_at_sentence_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_BLOCK_CHARACTERS", 30)
    builder = BlockBuilder()
    builder.add("Première phrase assez longue. Deuxième phrase. Troisième.")
    assert [(b.paragraphe, b.texte) for b in builder.blocks] == [
        (1, "Première phrase assez longue."),
        (2, "Deuxième phrase. Troisième."),
    ]


def test_word_without_spaces_is_cut_hard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_BLOCK_CHARACTERS", 10)
    builder = BlockBuilder()
    builder.add("a" * 25)
    assert [len(b.texte) for b in builder.blocks] == [10, 10, 5]


def test_characters_past_the_limit_are_dropped_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_DOCUMENT_CHARACTERS", 20)
    builder = BlockBuilder()
    builder.add("Objectifs chiffrés.")
    builder.add("Calendrier précis des actions.")
    builder.add("Moyens.")
    assert [b.texte for b in builder.blocks] == ["Objectifs chiffrés."]
    assert (builder.full, builder.problems) == (True, ["document tronqué à 20 caractères"])


def test_table_rows_carry_table_row_and_cells() -> None:
    builder = BlockBuilder()
    add_table(builder, [([(0, "Action"), (1, "Échéance")], True), ([(0, "Tri"), (2, "T0")], False)])
    add_table(builder, [([(0, "Seule ligne")], False)])
    rows = [b for b in builder.blocks if isinstance(b, TableRowBlock)]
    assert [(b.texte, b.tableau, b.ligne, b.cellules) for b in rows] == [
        ("Action : Tri | T0", 1, 2, ("Tri", "", "T0")),
        ("Seule ligne", 2, 1, ("Seule ligne",)),
    ]


def test_count_invalid_counts_what_clean_text_removes() -> None:
    assert count_invalid("a\x00b\ud800c\x07\tA\n") == 3

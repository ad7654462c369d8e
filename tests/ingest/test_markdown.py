"""Reading .md files with markdown-it-py."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.errors import DocumentError
from evaluation.ingest import markdown
from evaluation.ingest.base import TableRowBlock

MEMOIRE = """\
# Plan de progrès

Nous réduirons *nos* émissions
de 30 %.

## Actions

- Tri des **déchets**
- Réemploi
  1. Cartons

| Action | Échéance |
|---|---|
| Tri des déchets | T0+6 mois |
| Réemploi | |

# Moyens

Une flotte électrique.
"""


@pytest.fixture
def blocks(tmp_path: Path) -> list[tuple[int, str, str, tuple[str, ...]]]:
    path = tmp_path / "memoire.md"
    path.write_text(MEMOIRE, encoding="utf-8")
    return [(b.paragraphe, b.type, b.texte, b.titres) for b in markdown.read(path).blocks]


def test_headings_paragraphs_lists_and_table_rows_in_order(
    blocks: list[tuple[int, str, str, tuple[str, ...]]],
) -> None:
    assert blocks == [
        (1, "titre", "Plan de progrès", ()),
        (2, "paragraphe", "Nous réduirons nos émissions de 30 %.", ("Plan de progrès",)),
        (3, "titre", "Actions", ("Plan de progrès",)),
        (4, "liste", "Tri des déchets", ("Plan de progrès", "Actions")),
        (5, "liste", "Réemploi", ("Plan de progrès", "Actions")),
        (6, "liste", "Cartons", ("Plan de progrès", "Actions")),
        (7, "tableau", "Action : Tri des déchets | Échéance : T0+6 mois", ("Plan de progrès", "Actions")),
        (8, "tableau", "Action : Réemploi", ("Plan de progrès", "Actions")),
        (9, "titre", "Moyens", ()),
        (10, "paragraphe", "Une flotte électrique.", ("Moyens",)),
    ]


def test_table_without_header_names_joins_cells(tmp_path: Path) -> None:
    path = tmp_path / "memoire.md"
    path.write_text("| | |\n|---|---|\n| Tri | T0+6 mois |\n", encoding="utf-8")
    assert [b.texte for b in markdown.read(path).blocks] == ["Tri | T0+6 mois"]


def test_cp1252_markdown_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "memoire.md"
    path.write_bytes("# Échéancier\n\nDès l'année 1.".encode("cp1252"))
    output = markdown.read(path)
    assert (output.encoding, [b.texte for b in output.blocks]) == ("cp1252", ["Échéancier", "Dès l'année 1."])


def test_undecodable_markdown_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "memoire.md"
    path.write_bytes(b"# Titre\n\x81\x8d")
    with pytest.raises(DocumentError, match="encodage non reconnu"):
        markdown.read(path)


def test_table_rows_carry_their_table_row_and_cells(tmp_path: Path) -> None:
    path = tmp_path / "memoire.md"
    path.write_text("| Action | Échéance |\n|---|---|\n| Tri | T0+6 |\n| Réemploi | T0+12 |\n", encoding="utf-8")
    rows = [b for b in markdown.read(path).blocks if isinstance(b, TableRowBlock)]
    assert [(b.tableau, b.ligne, b.cellules) for b in rows] == [(1, 2, ("Tri", "T0+6")), (1, 3, ("Réemploi", "T0+12"))]

"""Reading .txt files: encodings, structure and refusal of what is not text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from evaluation import settings
from evaluation.errors import DocumentError
from evaluation.ingest import text

SAMPLE = "Échéance : T0+6 mois – réduction de 30 % des émissions, œuvre « sociale »"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("cp1252"), "cp1252"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-8-sig"), "utf-8-sig"),
        (SAMPLE.encode("utf-8"), "utf-8"),
    ],
    ids=["cp1252", "utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "utf-8"],
)
def test_each_encoding_is_decoded_and_recorded(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "memoire.txt"
    path.write_bytes(data)
    output = text.read(path)
    assert (output.encoding, [b.texte for b in output.blocks]) == (encoding, [SAMPLE])


def test_bytes_neither_utf8_nor_cp1252_are_refused() -> None:
    with pytest.raises(DocumentError, match=r"encodage non reconnu.*0x81"):
        text.decode("Tri des déchets ".encode() + b"\x81\xc3")


def test_utf8_bom_followed_by_invalid_bytes_is_refused() -> None:
    with pytest.raises(DocumentError, match="s'annonce en UTF-8"):
        text.decode(codecs.BOM_UTF8 + b"Tri \xe9")


def test_binary_content_is_refused() -> None:
    with pytest.raises(DocumentError, match="fichier binaire"):
        text.decode(bytes(range(32)) * 10)


def test_a_few_control_characters_are_removed_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "memoire.txt"
    path.write_bytes("Tri\x00 des\x07 déchets\x1b".encode())
    output = text.read(path)
    assert ([b.texte for b in output.blocks], output.problems) == (
        ["Tri des déchets"], ["3 caractère(s) de contrôle ou invalide(s) supprimé(s)"]
    )


def test_structure_of_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "memoire.txt"
    path.write_text(
        "1. Actions\n\nNous trions nos déchets.\n\n- Cartons\n- Palettes\n\n2. Calendrier\n\nDès T0.",
        encoding="utf-8",
    )
    assert [(b.paragraphe, b.type, b.texte, b.titres) for b in text.read(path).blocks] == [
        (1, "titre", "1. Actions", ()),
        (2, "paragraphe", "Nous trions nos déchets.", ("1. Actions",)),
        (3, "liste", "Cartons", ("1. Actions",)),
        (4, "liste", "Palettes", ("1. Actions",)),
        (5, "titre", "2. Calendrier", ()),
        (6, "paragraphe", "Dès T0.", ("2. Calendrier",)),
    ]


def test_lone_surrogates_in_utf8_keep_the_file_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "memoire.txt"
    path.write_bytes("Réemploi \ud800des cartons.".encode("utf-8", "surrogatepass"))
    output = text.read(path)
    assert (output.encoding, [b.texte for b in output.blocks], output.problems) == (
        "utf-8", ["Réemploi des cartons."], ["1 caractère(s) de contrôle ou invalide(s) supprimé(s)"]
    )


def test_lone_surrogate_in_utf16_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "memoire.txt"
    path.write_bytes("Tri \udc00sélectif.".encode("utf-16", "surrogatepass"))
    output = text.read(path)
    assert (output.encoding, [b.texte for b in output.blocks]) == ("utf-16", ["Tri sélectif."])


def test_text_past_the_limit_is_cut_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_DOCUMENT_CHARACTERS", 12)
    path = tmp_path / "memoire.txt"
    path.write_text("Objectifs chiffrés et calendrier.", encoding="utf-8")
    output = text.read(path)
    assert ([b.texte for b in output.blocks], output.problems) == (
        ["Objectifs ch"], ["document tronqué à 12 caractères"]
    )

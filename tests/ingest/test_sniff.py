"""Recognising a file's real format from its first bytes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from evaluation.ingest.sniff import content_mismatch, sniff


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\xef\xbb\xbf%PDF-1.4", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole"),
        (b"{\\rtf1\\ansi", "rtf"),
        (b"\x89PNG\r\n\x1a\nrest", "png"),
        (b"\xff\xd8\xff\xe0rest", "jpeg"),
        (b"Plan de progres", None),
    ],
)
def test_signature(tmp_path: Path, head: bytes, kind: str | None) -> None:
    path = tmp_path / "fichier"
    path.write_bytes(head)
    assert sniff(path, head) == kind


@pytest.mark.parametrize(
    ("members", "kind"),
    [
        ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}, "docx"),
        ({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"}, "xlsx"),
        ({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<c/>"}, "odt"),
        ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}, "ods"),
        ({"photo.jpg": "x"}, "zip"),
    ],
)
def test_zip_packages_are_told_apart(tmp_path: Path, members: dict[str, str], kind: str) -> None:
    path = tmp_path / "archive"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert sniff(path, path.read_bytes()[:1024]) == kind


def test_damaged_zip_is_left_to_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "archive"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert sniff(path, path.read_bytes()) == "zip-illisible"


@pytest.mark.parametrize(
    ("suffix", "kind", "reason"),
    [
        (".pdf", "pdf", None),
        (".docx", "docx", None),
        (".docx", "zip-illisible", None),
        (".txt", None, None),
        (".docx", "pdf", "le contenu n'est pas un document Word (fichier PDF renommé ?)"),
        (".pdf", "docx", "le contenu n'est pas un PDF (document Word renommé ?)"),
        (".odt", "docx", "le contenu n'est pas un document OpenDocument texte (document Word renommé ?)"),
        (".txt", "png", "le contenu n'est pas un fichier texte (image PNG renommée ?)"),
        (".pdf", None, "le contenu n'est pas un PDF (format non reconnu)"),
    ],
)
def test_content_mismatch(suffix: str, kind: str | None, reason: str | None) -> None:
    assert content_mismatch(suffix, kind) == reason


def test_old_word_format_gets_advice() -> None:
    reason = content_mismatch(".docx", "ole")
    assert reason is not None and "ancien format .doc ou document protégé par mot de passe" in reason

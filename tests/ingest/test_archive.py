"""Checks on ZIP packages (.docx, .odt, .xlsx…) before any XML parser reads them."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from evaluation import settings
from evaluation.errors import DocumentError
from evaluation.ingest import archive

from .craft import Member, repeated_deflate, write_zip

_DOCUMENT = b'<?xml version="1.0"?><w:document xmlns:w="urn:w"/>'
_NOISE = b"<x><!-- " + random.Random(1).randbytes(5000).hex().encode() + b" --></x>"


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        archive.check_package(path)
    return str(caught.value)


def test_sound_package_passes_without_notes(tmp_path: Path) -> None:
    assert archive.check_package(zipped(tmp_path / "a.docx", {"word/document.xml": _DOCUMENT})) == []


def test_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_ZIP_MEMBERS", 2)
    path = zipped(tmp_path / "a.docx", {f"word/part{i}.xml": b"<x/>" for i in range(3)})
    assert "3 parties (au plus 2 admises)" in refused(path)


def test_too_large_once_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_ZIP_UNPACKED_BYTES", 1024 * 1024)
    path = zipped(tmp_path / "a.docx", {f"word/p{i}.xml": b"<x>" + b"%d" % i * 400_000 + b"</x>" for i in range(3)})
    assert "une fois décompressée (au plus 1 Mo admis)" in refused(path)


def test_member_declared_too_large_is_refused_without_unpacking(tmp_path: Path) -> None:
    size = 2 * settings.MAX_ZIP_MEMBER_BYTES
    path = write_zip(tmp_path / "a.docx", [Member("word/media/i.png", packed=repeated_deflate(size), size=size)])
    assert "la partie « word/media/i.png » ferait 512 Mo" in refused(path)


def test_compression_ratio_of_a_bomb(tmp_path: Path) -> None:
    path = zipped(tmp_path / "a.docx", {"word/document.xml": b"<x>" + b" " * 20_000_000 + b"</x>"})
    assert "bombe de décompression" in refused(path)


def test_small_members_may_compress_well(tmp_path: Path) -> None:
    path = zipped(tmp_path / "a.docx", {"word/document.xml": b"<x>" + b" " * 500_000 + b"</x>"})
    assert archive.check_package(path) == []


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ([Member("word/document.xml", _DOCUMENT), Member("word/document.xml", b"<x/>")], "présente deux fois"),
        ([Member("word/document.xml", _DOCUMENT), Member("WORD/document.xml", b"<x/>")], "à la casse près"),
        ([Member("../../evil.xml", b"<x/>")], "nom de partie dangereux"),
        ([Member("word/../../evil.xml", b"<x/>")], "nom de partie dangereux"),
        ([Member("/etc/evil.xml", b"<x/>")], "nom de partie dangereux"),
        ([Member("C:/evil.xml", b"<x/>")], "nom de partie dangereux"),
        ([Member("word\\..\\..\\evil.xml", b"<x/>")], "nom de partie dangereux"),
        ([Member("word/document.xml", _DOCUMENT, flags=0x1)], "mot de passe requis"),
        ([Member("word/document.xml", _NOISE, size=100)], "tailles incohérentes"),
        ([Member("word/document.xml", _DOCUMENT, size=10)], "archive corrompue"),
        ([Member("word/document.xml", _DOCUMENT, method=0, size=len(_DOCUMENT) + 5)], "tailles incohérentes"),
        ([Member("word/document.xml", _DOCUMENT, local_size=5000)], "en-têtes contradictoires"),
    ],
    ids=["double", "casse", "parent", "parent-interne", "absolu", "lecteur", "antislash", "chiffre", "taille",
         "taille-proche", "stocke", "en-tete-local"],
)
def test_hostile_listing_is_refused(tmp_path: Path, members: list[Member], reason: str) -> None:
    assert reason in refused(write_zip(tmp_path / "a.docx", members))


def test_wrong_crc_is_a_corrupt_archive(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "a.docx", [Member("word/document.xml", _DOCUMENT, crc=1)])
    assert refused(path) == "archive corrompue ou tronquée"


@pytest.mark.parametrize(
    "part",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"),
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16-le"),
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16-be"),
    ],
    ids=["utf8", "utf16-bom", "utf16le-sans-bom", "utf16be-sans-bom"],
)
def test_dtd_in_any_xml_part_is_refused(tmp_path: Path, part: bytes) -> None:
    path = zipped(tmp_path / "a.docx", {"word/document.xml": _DOCUMENT, "customXml/item1.xml": part})
    assert refused(path).startswith("DTD interdite : la partie XML « customXml/item1.xml »")


def test_xml_part_hidden_under_another_name_is_checked(tmp_path: Path) -> None:
    path = zipped(tmp_path / "a.docx", {"word/embeddings/data.bin": b'  <!DOCTYPE x [<!ENTITY a "b">]><x/>'})
    assert refused(path).startswith("DTD interdite : la partie XML « word/embeddings/data.bin »")


def test_xlsx_with_entities_is_refused(tmp_path: Path) -> None:
    workbook = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a SYSTEM "file:///etc/passwd">]><workbook>&a;</workbook>'
    path = zipped(tmp_path / "a.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": workbook})
    assert refused(path).startswith("DTD interdite : la partie XML « xl/workbook.xml »")


def test_invalid_xml_part_is_refused(tmp_path: Path) -> None:
    path = zipped(tmp_path / "a.docx", {"word/document.xml": b"<w:document><w:p>&#0;</w:p></w:document>"})
    assert refused(path) == "XML invalide dans la partie « word/document.xml » (archive endommagée ?)"


def test_oversized_xml_part_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_XML_PART_BYTES", 1000)
    path = zipped(tmp_path / "a.docx", {"word/document.xml": b"<x>" + b"texte " * 400 + b"</x>"})
    assert "partie XML « word/document.xml » de 0,0 Mo (au plus 0,0 Mo admis)" in refused(path)


def test_svg_image_with_a_doctype_is_not_parsed(tmp_path: Path) -> None:
    svg = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]><svg/>'
    path = zipped(tmp_path / "a.docx", {"word/document.xml": _DOCUMENT, "word/media/logo.svg": svg})
    assert archive.check_package(path) == []


def test_macros_are_noted_not_read(tmp_path: Path) -> None:
    path = zipped(tmp_path / "a.docx", {"word/document.xml": _DOCUMENT, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert archive.check_package(path) == [
        "macros présentes (« word/vbaProject.bin ») : ignorées, jamais exécutées ni recopiées"
    ]


def test_encrypted_odt_asks_for_the_password(tmp_path: Path) -> None:
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum="x"/>'
        b"</manifest:file-entry></manifest:manifest>"
    )
    path = zipped(tmp_path / "a.odt", {"mimetype": b"x", "META-INF/manifest.xml": manifest, "content.xml": b"\x8f\x01"})
    assert refused(path) == "document protégé par mot de passe : mot de passe requis"


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(b"PK\x03\x04 tronque")
    assert refused(path) == "archive corrompue ou tronquée"


def test_read_part_names_a_missing_part(tmp_path: Path) -> None:
    path = zipped(tmp_path / "a.docx", {"word/document.xml": _DOCUMENT})
    with zipfile.ZipFile(path) as package, pytest.raises(DocumentError, match=r"partie « word/styles\.xml » absente"):
        archive.read_part(package, "word/styles.xml")


def test_member_count_is_read_from_the_end_record_before_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = zipped(tmp_path / "a.docx", {f"word/part{i}.xml": b"<x/>" for i in range(5)})
    assert archive.declared_members(path) == 5
    monkeypatch.setattr(settings, "MAX_ZIP_MEMBERS", 4)

    def never(*_: object, **__: object) -> None:
        raise AssertionError("the central directory must not be listed")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    assert "5 parties (au plus 4 admises)" in refused(path)


def test_long_member_names_are_cut_in_messages(tmp_path: Path) -> None:
    name = "word/" + "x" * 300 + ".xml"
    path = write_zip(tmp_path / "a.docx", [Member(name, _DOCUMENT), Member(name, _DOCUMENT)])
    assert f"« word/{'x' * 75}… » présente deux fois" in refused(path)

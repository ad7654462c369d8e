"""The streaming DTD check and the tree parser that resolves nothing."""

from __future__ import annotations

import pytest

from evaluation.errors import DocumentError
from evaluation.ingest.xmlsafe import check_xml, parse_xml

_DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("size", [1, 3, 8, 1000])
def test_declaration_split_across_chunks_is_found(size: int) -> None:
    with pytest.raises(DocumentError, match=r"DTD interdite : la partie XML « p\.xml »"):
        check_xml(chunks(_DTD, size), "p.xml")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_declaration_in_any_encoding_is_found(codec: str) -> None:
    declared = "UTF-16" if codec.startswith("utf-16") else "UTF-8"
    part = f'<?xml version="1.0" encoding="{declared}"?><!DOCTYPE x><x/>'
    with pytest.raises(DocumentError, match="DTD interdite"):
        check_xml([part.encode(codec)], "p.xml")


def test_external_entity_is_refused() -> None:
    part = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><x/>'
    with pytest.raises(DocumentError, match="DTD interdite"):
        check_xml([part], "p.xml")


def test_plain_xml_passes() -> None:
    check_xml([b'<?xml version="1.0"?><x a="1">texte <y/> &amp; &#233;</x>'], "p.xml")


@pytest.mark.parametrize("part", [b"<x>", b"<x>&#0;</x>", b"<x>&#xD800;</x>", b"\x00\x01binaire", b""])
def test_invalid_xml_is_refused(part: bytes) -> None:
    with pytest.raises(DocumentError, match=r"XML invalide dans la partie « p\.xml »"):
        check_xml([part], "p.xml")


def test_tree_parser_refuses_a_doctype() -> None:
    with pytest.raises(DocumentError, match="DTD interdite"):
        parse_xml(_DTD, "p.xml")


def test_tree_parser_reads_plain_xml() -> None:
    assert parse_xml(b"<x><y>texte</y></x>", "p.xml").findtext("y") == "texte"

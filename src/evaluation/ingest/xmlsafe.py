"""XML from bidders' packages: a streaming check that refuses any DTD, and a parser that resolves nothing.

A DTD is the only way to declare entities (billion laughs, external entities), and no Word or
OpenDocument part needs one: any DOCTYPE is refused. The check runs expat, a real XML parser, so that a
part in UTF-16 (with or without a byte order mark) or with a declaration split across read chunks cannot
hide it. The tree parser used afterwards is configured to load no DTD, resolve no entity and reach no
network, in case a part escaped the check.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterable
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from evaluation.errors import DocumentError

__all__ = ["check_xml", "dtd_message", "parse_xml"]


class _DtdFound(Exception):
    """Raised from expat's handlers: stops the parse at the first declaration."""


def _refuse(*_: object) -> int:
    raise _DtdFound


def dtd_message(name: str) -> str:
    """The French reason given for a part declaring a DTD or entities."""
    return f"DTD interdite : la partie XML « {name} » déclare une DTD ou des entités (refusée par sécurité)"


def check_xml(chunks: Iterable[bytes], name: str) -> None:
    """Parse the XML bytes `chunks` without building anything; refuse a DTD, entities or invalid XML.

    Raises:
        DocumentError: "DTD interdite" or "XML invalide", naming the part `name`.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _DtdFound:
        raise DocumentError(dtd_message(name)) from None
    except (xml.parsers.expat.ExpatError, ValueError) as exc:
        raise DocumentError(f"XML invalide dans la partie « {name} » (archive endommagée ?)") from exc


def parse_xml(data: bytes, name: str) -> Any:
    """Parse one package part into an lxml tree with every external access and entity expansion off.

    Raises:
        DocumentError: the part is not well-formed XML, or declares a DTD.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        collect_ids=False, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"XML invalide dans la partie « {name} » (archive endommagée ?)") from exc
    if root.getroottree().docinfo.doctype:
        raise DocumentError(dtd_message(name))
    return root

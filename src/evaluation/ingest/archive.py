"""Checks on the ZIP package of a .docx or .odt file, made before any XML parser sees it."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Literal

from evaluation.errors import DocumentError

__all__ = ["check_package"]

#: More members or more unpacked bytes than this is a decompression bomb, not a mémoire technique.
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
_CHUNK = 1024 * 1024
# A DTD is the only way to declare entities (billion laughs, external entities): no legitimate Word or
# OpenDocument part has one. Searched with NUL bytes removed, so that UTF-16 and UTF-32 parts cannot
# hide it, and in lower case.
_FORBIDDEN = (b"<!doctype", b"<!entity")
_OVERLAP = max(len(marker) for marker in _FORBIDDEN) - 1
# Images are never parsed by the readers; an SVG exported by a drawing tool often carries a DOCTYPE.
_NOT_PARSED = (".svg", ".svgz", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf")
# OpenDocument macro libraries live under Basic/ and Scripts/; the index files alone are harmless.
_ODF_MACRO = re.compile(r"^(Basic|Scripts)/.+/(?!(script|dialog)-l[bc]\.xml$)[^/]+$")


def check_package(path: Path, kind: Literal["docx", "odt"]) -> None:
    """Refuse a damaged, encrypted, oversized or macro-carrying package, or one with a DTD in a part.

    Raises:
        DocumentError: with the French reason.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(members)
            for member in members:
                _check_member(archive, member, kind)
    except zipfile.BadZipFile as exc:
        raise DocumentError("archive corrompue ou tronquée") from exc
    except (EOFError, OSError, NotImplementedError, zlib.error) as exc:
        raise DocumentError("archive corrompue ou illisible") from exc


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise DocumentError(f"archive anormale : {len(members)} parties (au plus {MAX_MEMBERS} admises)")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(
            f"archive anormale : {unpacked // (1024 * 1024)} Mo une fois décompressée "
            f"(au plus {MAX_UNPACKED_BYTES // (1024 * 1024)} Mo admis)"
        )


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, kind: str) -> None:
    name = member.filename
    lowered = name.lower()
    if (kind == "docx" and lowered.endswith("vbaproject.bin")) or (kind == "odt" and _ODF_MACRO.match(name)):
        raise DocumentError("document contenant des macros : refusé")
    if member.is_dir() or lowered.endswith(_NOT_PARSED):
        return
    if member.flag_bits & 0x1:
        raise DocumentError("archive chiffrée : mot de passe requis")
    if kind == "odt" and name == "META-INF/manifest.xml" and b"encryption-data" in archive.read(member):
        raise DocumentError("document protégé par mot de passe : mot de passe requis")
    if _has_dtd(archive, member):
        raise DocumentError(f"partie XML « {name} » contenant une déclaration DOCTYPE ou ENTITY : refusée")


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Stream one member and tell whether it declares a DTD or an entity."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk.replace(b"\x00", b"").lower()
            if any(marker in window for marker in _FORBIDDEN):
                return True
            tail = window[-_OVERLAP:]
    return False

"""Checks on a ZIP package (.docx, .odt, or any Office file), made before any parser reads one of its parts.

Everything that can be judged from the listing is judged first (member count, names, declared sizes,
compression ratio, encryption, agreement of the local headers with the central directory); then every
XML part is streamed once through expat to refuse any DTD. Macros are never read: their presence is
returned as a note so that the document is flagged.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from evaluation import settings
from evaluation.errors import DocumentError
from evaluation.ingest.xmlsafe import check_xml, parse_xml

__all__ = ["check_package", "declared_members", "read_part"]

_CHUNK = 64 * 1024
_SNIFF_BYTES = 64
_MIB = 1024 * 1024
#: The compression ratio is judged only on members at least this large once unpacked.
_RATIO_MIN_BYTES = _MIB
#: Traditional (bit 0) and strong (bit 6) encryption flags of a ZIP member.
_ENCRYPTED = 0x01 | 0x40
_DATA_DESCRIPTOR = 0x08
_ZIP64_MARK = 0xFFFFFFFF
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_XML_SUFFIXES = (".xml", ".rels", ".rdf", ".vml")
# Images are never parsed by the readers nor copied anywhere; an SVG exported by a drawing tool often
# carries a DOCTYPE and entity declarations, which must not get a genuine document refused.
_NOT_PARSED = (".svg", ".svgz", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf")
# OpenDocument macro libraries live under Basic/ and Scripts/; the index files alone are harmless.
_ODF_MACRO = re.compile(r"^(Basic|Scripts)/.+/(?!(script|dialog)-l[bc]\.xml$)[^/]+$")
_ODF_MANIFEST = "META-INF/manifest.xml"
_ODF_ENCRYPTION = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}encryption-data"
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f]|^[A-Za-z]:")
_END = b"PK\x05\x06"
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
#: Member names are shown in messages, cut to this length.
_NAME_CHARS = 80


def _mb(size: int) -> str:
    return f"{size / _MIB:.0f}" if size >= _MIB else f"{size / _MIB:.1f}".replace(".", ",")


def declared_members(path: Path) -> int | None:
    """Number of members the end-of-archive record announces, read before `zipfile` lists them all.

    A central directory of millions of entries would cost gigabytes as `ZipInfo` objects: it is refused
    from this count. Returns None when the record cannot be found (a damaged archive).
    """
    with path.open("rb") as raw:
        size = raw.seek(0, 2)
        start = max(size - _END_SIZE - 0xFFFF, 0)
        raw.seek(start)
        tail = raw.read()
        position = tail.rfind(_END)
        if position < 0 or len(tail) < position + _END_SIZE:
            return None
        (count,) = struct.unpack_from("<H", tail, position + 10)
        locator = position - 20
        if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == _ZIP64_LOCATOR:
            (offset,) = struct.unpack_from("<Q", tail, locator + 8)
            raw.seek(offset)
            record = raw.read(56)
            if record[:4] == _ZIP64_END and len(record) == 56:
                (count,) = struct.unpack_from("<Q", record, 32)
        return int(count)


def _check_count(count: int | None) -> None:
    if count is not None and count > settings.MAX_ZIP_MEMBERS:
        raise DocumentError(f"archive anormale : {count} parties (au plus {settings.MAX_ZIP_MEMBERS} admises)")


def _shown(name: str) -> str:
    return name if len(name) <= _NAME_CHARS else f"{name[:_NAME_CHARS]}…"


def check_package(path: Path) -> list[str]:
    """Refuse a damaged, encrypted, oversized or ill-named package, or one with a DTD in an XML part.

    Returns:
        French notes on parts found but deliberately left unread (macros): the caller lists them so
        that the document is marked `partiel`.

    Raises:
        DocumentError: with the French reason.
    """
    try:
        _check_count(declared_members(path))
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            members = archive.infolist()
            _check_listing(members)
            for member in members:
                _check_local_header(raw, member)
            names = {member.filename for member in members}
            if _ODF_MANIFEST in names:
                _check_odf_encryption(archive)
            for member in members:
                if member.filename != _ODF_MANIFEST and _is_xml(archive, member):
                    _check_xml_member(archive, member)
            return _macro_notes(members)
    except zipfile.BadZipFile as exc:
        raise DocumentError("archive corrompue ou tronquée") from exc
    except (EOFError, OSError, NotImplementedError, zlib.error, RuntimeError, ValueError, struct.error) as exc:
        raise DocumentError("archive corrompue ou illisible") from exc


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read the XML part `name` of a package already checked by `check_package`, within the size limit.

    Raises:
        DocumentError: the part is missing or too large.
    """
    try:
        member = archive.getinfo(name)
    except KeyError:
        raise DocumentError(f"archive incomplète : partie « {name} » absente") from None
    _check_xml_size(member)
    return archive.read(member)


def _check_listing(members: list[zipfile.ZipInfo]) -> None:
    _check_count(len(members))
    seen: dict[str, str] = {}
    total = 0
    for member in members:
        _check_name(member.filename)
        name = _shown(member.filename)
        earlier = seen.get(member.filename.casefold())
        if earlier == member.filename:
            raise DocumentError(f"archive anormale : partie « {name} » présente deux fois")
        if earlier is not None:
            raise DocumentError(
                f"archive anormale : parties « {_shown(earlier)} » et « {name} » de même nom à la casse près"
            )
        seen[member.filename.casefold()] = member.filename
        if member.flag_bits & _ENCRYPTED:
            raise DocumentError(f"archive chiffrée : mot de passe requis (partie « {name} »)")
        _check_sizes(member)
        total += member.file_size
    if total > settings.MAX_ZIP_UNPACKED_BYTES:
        raise DocumentError(
            f"archive anormale : {_mb(total)} Mo une fois décompressée "
            f"(au plus {_mb(settings.MAX_ZIP_UNPACKED_BYTES)} Mo admis)"
        )


def _check_name(name: str) -> None:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not name or name.startswith(("/", "\\")) or ".." in parts or _BAD_NAME.search(name):
        raise DocumentError(f"archive anormale : nom de partie dangereux {_shown(name)!r} (chemin absolu ou « .. »)")


def _check_sizes(member: zipfile.ZipInfo) -> None:
    name, size, packed = _shown(member.filename), member.file_size, member.compress_size
    if size > settings.MAX_ZIP_MEMBER_BYTES:
        raise DocumentError(
            f"archive anormale : la partie « {name} » ferait {_mb(size)} Mo une fois décompressée "
            f"(au plus {_mb(settings.MAX_ZIP_MEMBER_BYTES)} Mo admis)"
        )
    if size >= _RATIO_MIN_BYTES and size > settings.MAX_COMPRESSION_RATIO * max(packed, 1):
        raise DocumentError(
            f"archive anormale : la partie « {name} » est comprimée {size // max(packed, 1)} fois "
            f"(au plus {settings.MAX_COMPRESSION_RATIO}) : bombe de décompression ?"
        )
    # Deflate never grows data by more than a few bytes per block; stored data keeps its size.
    stored = member.compress_type == zipfile.ZIP_STORED
    if (stored and packed != size) or packed > size + size // 8 + 1024:
        raise DocumentError(f"archive anormale : tailles incohérentes dans l'en-tête de la partie « {name} »")


def _check_local_header(raw: BinaryIO, member: zipfile.ZipInfo) -> None:
    """Compare a member's local header with the central directory, where attacks hide different sizes."""
    raw.seek(member.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise DocumentError("archive corrompue ou tronquée")
    signature, _, flags, method, _, _, _, packed, size, name_length, _ = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise DocumentError("archive corrompue ou tronquée")
    name = _shown(member.filename)
    if flags & _ENCRYPTED:
        raise DocumentError(f"archive chiffrée : mot de passe requis (partie « {name} »)")
    encoded = member.orig_filename.encode("utf-8" if member.flag_bits & 0x800 else "cp437", "replace")
    if raw.read(name_length) != encoded:
        raise DocumentError(f"archive anormale : nom de la partie « {name} » différent dans ses en-têtes")
    if method != member.compress_type or (
        not flags & _DATA_DESCRIPTOR
        and _ZIP64_MARK not in (packed, size)
        and (packed, size) != (member.compress_size, member.file_size)
    ):
        raise DocumentError(
            f"archive anormale : en-têtes contradictoires pour la partie « {name} » "
            "(tailles ou compression mensongères)"
        )


def _is_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Tell an XML part by its name or, whatever its name, by its first bytes."""
    lowered = member.filename.lower()
    if member.is_dir() or lowered.endswith(_NOT_PARSED):
        return False
    if lowered.endswith(_XML_SUFFIXES):
        return True
    with archive.open(member) as stream:
        head = stream.read(_SNIFF_BYTES).replace(b"\x00", b"")
    for bom in _BOMS:
        head = head.removeprefix(bom)
    return head.lstrip().startswith(b"<")


def _check_xml_size(member: zipfile.ZipInfo) -> None:
    if member.file_size > settings.MAX_XML_PART_BYTES:
        raise DocumentError(
            f"archive anormale : partie XML « {_shown(member.filename)} » de {_mb(member.file_size)} Mo "
            f"(au plus {_mb(settings.MAX_XML_PART_BYTES)} Mo admis)"
        )


def _stream(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    # zipfile stops at the declared size and checks the CRC: a member cannot unpack to more than it says.
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def _check_xml_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    _check_xml_size(member)
    check_xml(_stream(archive, member), _shown(member.filename))


def _check_odf_encryption(archive: zipfile.ZipFile) -> None:
    """An encrypted OpenDocument keeps a readable manifest listing the encrypted parts."""
    member = archive.getinfo(_ODF_MANIFEST)
    _check_xml_member(archive, member)
    manifest = parse_xml(read_part(archive, _ODF_MANIFEST), _ODF_MANIFEST)
    if next(manifest.iter(_ODF_ENCRYPTION), None) is not None:
        raise DocumentError("document protégé par mot de passe : mot de passe requis")


def _macro_notes(members: list[zipfile.ZipInfo]) -> list[str]:
    macros = [
        m.filename
        for m in members
        if PurePosixPath(m.filename).name.lower() == "vbaproject.bin" or _ODF_MACRO.match(m.filename)
    ]
    if not macros:
        return []
    return [f"macros présentes (« {macros[0]} ») : ignorées, jamais exécutées ni recopiées"]

"""Low-level builders for hostile files: ZIP packages with lying headers, and hand-written PDFs."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_MIB = 1024 * 1024


def deflate(data: bytes) -> bytes:
    """Raw deflate (no zlib header), as stored in a ZIP member."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def repeated_deflate(size: int, byte: bytes = b"\x00") -> bytes:
    """Raw deflate of `size` copies of `byte`, built from one compressed MiB repeated (no GB in memory)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(byte * _MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    # Each chunk starts with an empty history, so it can be repeated; b"\x03\x00" is a final empty block.
    return chunk * (size // _MIB) + b"\x03\x00"


@dataclass
class Member:
    """One ZIP member; the sizes, CRC and flags written in its headers can lie."""

    name: str
    data: bytes = b""
    packed: bytes | None = None
    size: int | None = None
    local_size: int | None = None
    crc: int | None = None
    flags: int = 0
    method: int = 8


def write_zip(path: Path, members: Sequence[Member]) -> Path:
    """Write a ZIP archive byte by byte, exactly as the members say (no ZIP64)."""
    body = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        if member.packed is not None:
            packed = member.packed
        else:
            packed = deflate(member.data) if member.method == 8 else member.data
        size = len(member.data) if member.size is None else member.size
        local_size = size if member.local_size is None else member.local_size
        crc = zlib.crc32(member.data) if member.crc is None else member.crc
        flags = member.flags | 0x800
        offset = len(body)
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, member.method, 0, 0x21, crc,
                            len(packed), local_size, len(name), 0) + name + packed
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, member.method, 0, 0x21,
                               crc, len(packed), size, len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path


def pdf_bytes(objects: Sequence[bytes], *, trailer: bytes = b"", xref: bool = True) -> bytes:
    """A PDF whose object n (from 1) is objects[n - 1], catalog 1, with a correct xref table unless told not to."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, start)
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_content(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"

"""Reader for plain text files (.txt), and the decoding shared with Markdown."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from evaluation import settings
from evaluation.errors import DocumentError
from evaluation.ingest.base import BlockBuilder, ReaderOutput, count_invalid, number
from evaluation.ingest.plain import add_plain_text

__all__ = ["DecodedText", "decode", "load", "read"]

# Longest BOM first: the UTF-32 little-endian BOM starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-32": "UTF-32", "utf-16": "UTF-16"}
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
#: Text where more than one character in this many is a control character is binary data.
_BINARY_RATIO = 50
_BINARY_MIN_CONTROLS = 8


def decode(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes, never substituting U+FFFD for what cannot be decoded.

    A byte order mark decides the encoding (UTF-8, UTF-16, UTF-32); otherwise UTF-8 is tried, then
    Windows-1252, the encoding of text files saved by older Windows tools. Lone surrogates encoded in
    UTF-8 or UTF-16 are let through here and removed with the other invalid characters when the text is
    cleaned, rather than making a whole UTF-8 file be misread as Windows-1252.

    Returns:
        The text and the name of the codec used ("utf-8-sig", "utf-16", "utf-32", "utf-8", "cp1252").

    Raises:
        DocumentError: the bytes fit none of these encodings, or are binary data.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec, "surrogatepass")), codec
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    f"encodage invalide : le fichier s'annonce en {_ENCODING_NAMES[codec]} mais l'octet "
                    f"{exc.start} ne l'est pas",
                    conseil="réenregistrez le fichier en UTF-8",
                ) from exc
    for codec, errors in (("utf-8", "strict"), ("utf-8", "surrogatepass"), ("cp1252", "strict")):
        try:
            return _checked(data.decode(codec, errors)), codec
        except UnicodeDecodeError as exc:
            error = exc
    raise DocumentError(
        f"encodage non reconnu : ni UTF-8 ni Windows-1252 (octet 0x{data[error.start]:02X} en position {error.start})",
        conseil="réenregistrez le fichier en UTF-8",
    )


def _checked(text: str) -> str:
    """Return `text` unless it is full of control characters, the sign of a binary file."""
    sample = text[: settings.MAX_DOCUMENT_CHARACTERS]
    controls = len(_CONTROLS.findall(sample))
    if controls >= _BINARY_MIN_CONTROLS and controls * _BINARY_RATIO > len(sample):
        raise DocumentError("le contenu n'est pas du texte lisible (fichier binaire ?)")
    return text


@dataclass(frozen=True)
class DecodedText:
    """A text file decoded and cut to the character limit, with what was wrong with it."""

    text: str
    encoding: str
    problems: list[str]
    truncated: bool


def load(path: Path) -> DecodedText:
    """Read and decode a text file, keep at most `settings.MAX_DOCUMENT_CHARACTERS` characters.

    Invalid characters (controls, lone surrogates) are counted in `problems`; `clean_text` removes them.

    Raises:
        DocumentError: the file cannot be decoded (see `decode`).
    """
    text, encoding = decode(path.read_bytes())
    truncated = len(text) > settings.MAX_DOCUMENT_CHARACTERS
    if truncated:
        text = text[: settings.MAX_DOCUMENT_CHARACTERS]
    invalid = count_invalid(text)
    problems = [f"{number(invalid)} caractère(s) de contrôle ou invalide(s) supprimé(s)"] if invalid else []
    return DecodedText(text, encoding, problems, truncated)


def read(path: Path) -> ReaderOutput:
    """Read a .txt file into paragraphs, list items and headings.

    Raises:
        DocumentError: the file cannot be decoded (see `decode`).
    """
    decoded = load(path)
    builder = BlockBuilder()
    if decoded.truncated:
        builder.truncate()
    add_plain_text(builder, decoded.text)
    return ReaderOutput(blocks=builder.blocks, encoding=decoded.encoding, problems=builder.problems + decoded.problems)

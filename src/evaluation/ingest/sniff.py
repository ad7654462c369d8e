"""Recognise a file's real format from its content, so that content and extension must agree."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from evaluation import settings
from evaluation.ingest.archive import declared_members

__all__ = ["HEAD_BYTES", "ZIP_KINDS", "content_mismatch", "sniff"]

#: How far into a file its signature is looked for (PDF allows junk before "%PDF-").
HEAD_BYTES = 1024
_ODF_MIMETYPE_MAX = 100

_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_OOXML_KINDS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
#: Formats held in a ZIP package: checked by `archive.check_package` before anything reads them.
ZIP_KINDS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp", "zip", "zip-illisible"})

#: What a found format is called in a rejection: "(fichier PDF renommé ?)".
_RENAMED = {
    "pdf": "fichier PDF renommé",
    "docx": "document Word renommé",
    "xlsx": "classeur Excel renommé",
    "pptx": "présentation PowerPoint renommée",
    "odt": "document OpenDocument renommé",
    "ods": "classeur OpenDocument renommé",
    "odp": "présentation OpenDocument renommée",
    "zip": "archive ZIP renommée",
    "zip-illisible": "archive ZIP renommée",
    "ole": "ancien document Office (.doc, .xls) renommé",
    "rtf": "document RTF renommé",
    "png": "image PNG renommée",
    "jpeg": "image JPEG renommée",
    "gif": "image GIF renommée",
    "tiff": "image TIFF renommée",
}
#: The format each extension requires, and how it is named: "le contenu n'est pas un PDF".
_EXPECTED = {
    ".pdf": ("pdf", "un PDF"),
    ".docx": ("docx", "un document Word"),
    ".odt": ("odt", "un document OpenDocument texte"),
    ".txt": (None, "un fichier texte"),
    ".md": (None, "un fichier texte Markdown"),
}


def sniff(path: Path, head: bytes) -> str | None:
    """Return the format `head` (the first bytes of `path`) reveals, or None for no known signature.

    Formats: "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "zip" (another ZIP archive),
    "zip-illisible" (a damaged ZIP, left for the reader to report), "ole", "rtf", "png", "jpeg", "gif",
    "tiff".
    """
    if b"%PDF-" in head[:HEAD_BYTES]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


def _sniff_zip(path: Path) -> str:
    """Tell Office Open XML, OpenDocument and other ZIP archives apart from their member names."""
    try:
        count = declared_members(path)
        if count is not None and count > settings.MAX_ZIP_MEMBERS:
            return "zip"  # not listed here: `archive.check_package` refuses it
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(_ODF_MIMETYPE_MAX).decode("ascii", "replace").strip()
                return _ODF_KINDS.get(mimetype, "zip")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError, zlib.error):
        # A truncated or damaged archive: the reader says what is wrong with it.
        return "zip-illisible"
    if "[Content_Types].xml" in names:
        for prefix, kind in _OOXML_KINDS:
            if any(name.startswith(prefix) for name in names):
                return kind
    return "zip"


def content_mismatch(suffix: str, kind: str | None) -> str | None:
    """Return the French reason why content of format `kind` cannot be read as `suffix`, or None if it can."""
    expected, label = _EXPECTED[suffix]
    if kind == expected or (kind == "zip-illisible" and expected in ("docx", "odt")):
        return None
    reason = f"le contenu n'est pas {label}"
    if kind == "ole" and expected == "docx":
        return (
            f"{reason} .docx : ancien format .doc ou document protégé par mot de passe ; demandez une "
            "version .docx sans mot de passe"
        )
    if kind is None:
        return f"{reason} (format non reconnu)"
    return f"{reason} ({_RENAMED[kind]} ?)"

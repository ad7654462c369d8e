"""Read any supported bidder's file into a `ReadDocument`, turning every failure into a status."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from evaluation import settings
from evaluation.errors import DocumentError, Problem
from evaluation.ingest import docx, markdown, odt, pdf, text
from evaluation.ingest.archive import check_package
from evaluation.ingest.base import ReaderOutput
from evaluation.ingest.sniff import HEAD_BYTES, ZIP_KINDS, content_mismatch, sniff
from evaluation.model.document import DocumentStatus, ReadDocument

__all__ = ["SUPPORTED_SUFFIXES", "read_document"]

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".odt", ".txt", ".md")
_READERS: dict[str, Callable[[Path], ReaderOutput]] = {
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".odt": odt.read,
    ".txt": text.read,
    ".md": markdown.read,
}
_CHUNK = 1024 * 1024


def _relative(path: Path, root: Path) -> str:
    """`path` relative to `root`, in POSIX form whatever the platform."""
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _hash(path: Path) -> tuple[str, bytes]:
    """Return the SHA-256 of the file, read in chunks, and its first bytes."""
    digest = hashlib.sha256()
    head = b""
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            digest.update(chunk)
    return digest.hexdigest(), head


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_document(path: Path, root: Path) -> ReadDocument:
    """Read one bidder's file; never raises because of the file's content.

    Args:
        path: the file.
        root: the consultation folder; `fichier` is `path` relative to it.

    Returns:
        The document with status `ok` (`motif` may carry a remark, e.g. an owner password on a PDF),
        `partiel` (some parts unreadable or left out, listed in `motif`: pages, macros, a cut at the
        page or character limit), `sans_texte` (no text, e.g. a scanned PDF: to be checked by a person,
        never scored zero) or `rejete` (with the reason in `motif`). `sha256` is empty only when the
        file could not be read at all.
    """
    suffix = path.suffix.lower()

    def result(
        statut: DocumentStatus, motif: str | None = None, sha256: str = "", output: ReaderOutput | None = None
    ) -> ReadDocument:
        output = output or ReaderOutput()
        return ReadDocument(
            fichier=_relative(path, root),
            sha256=sha256,
            format=suffix.lstrip("."),
            statut=statut,
            motif=motif,
            pages=output.pages,
            blocs=output.blocks,
            encodage=output.encoding,
        )

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return result("rejete", "n'est pas un fichier ordinaire")
        # Hashing reads the bytes without interpreting them: even a refused file is identified.
        sha256, head = _hash(path)
        if info.st_size > settings.MAX_DOCUMENT_BYTES:
            return result(
                "rejete",
                f"fichier trop volumineux ({_megabytes(info.st_size)} Mo, au plus "
                f"{_megabytes(settings.MAX_DOCUMENT_BYTES)} Mo)",
                sha256,
            )
    except OSError as exc:
        return result("rejete", f"fichier inaccessible : {exc.strerror or type(exc).__name__}")
    if info.st_size == 0:
        return result("rejete", "fichier vide", sha256)
    if suffix not in _READERS:
        accepted = ", ".join(SUPPORTED_SUFFIXES)
        found = suffix or "sans extension"
        return result("rejete", f"format non pris en charge ({found}) : formats acceptés {accepted}", sha256)
    try:
        kind = sniff(path, head)
        mismatch = content_mismatch(suffix, kind)
        if mismatch:
            if kind in ZIP_KINDS:
                # A hostile package is named for what it is ("DTD interdite") rather than for its disguise.
                check_package(path)
            return result("rejete", mismatch, sha256)
        output = _READERS[suffix](path)
    except DocumentError as exc:
        return result("rejete", " ; ".join(_reason(problem) for problem in exc.problems), sha256)
    except Exception as exc:  # a bidder's file must never stop the run
        return result("rejete", f"fichier illisible : {type(exc).__name__}", sha256)
    remarks = [*output.problems, *output.notes]
    if not output.blocks:
        empty = "aucune couche texte (document scanné ?)" if suffix == ".pdf" else "aucun texte dans le document"
        return result("sans_texte", " ; ".join([empty, *remarks]), sha256, output)
    if output.problems:
        return result("partiel", " ; ".join(remarks), sha256, output)
    return result("ok", " ; ".join(remarks) or None, sha256, output)


def _reason(problem: Problem) -> str:
    """The reason and advice of a problem, without the file name (the document already carries it)."""
    return f"{problem.raison} — {problem.conseil}" if problem.conseil else problem.raison

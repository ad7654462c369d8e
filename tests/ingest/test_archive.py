"""Checks on .docx and .odt packages before any XML parser reads them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from evaluation.errors import DocumentError
from evaluation.ingest import archive


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return path


def test_package_with_too_many_members_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBERS", 2)
    path = write_zip(tmp_path / "a.docx", {f"word/part{i}.xml": b"<x/>" for i in range(3)})
    with pytest.raises(DocumentError, match="3 parties"):
        archive.check_package(path, "docx")


def test_package_too_large_once_unpacked_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = write_zip(tmp_path / "a.docx", {"word/document.xml": b"<x>" + b" " * 2 * 1024 * 1024 + b"</x>"})
    with pytest.raises(DocumentError, match="une fois décompressée"):
        archive.check_package(path, "docx")


def test_doctype_split_across_read_chunks_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "_CHUNK", 8)
    path = write_zip(tmp_path / "a.docx", {"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE x><x/>'})
    with pytest.raises(DocumentError, match="DOCTYPE"):
        archive.check_package(path, "docx")


def test_encrypted_odt_asks_for_the_password(tmp_path: Path) -> None:
    manifest = b'<manifest:manifest><manifest:encryption-data manifest:checksum="x"/></manifest:manifest>'
    path = write_zip(tmp_path / "a.odt", {"mimetype": b"x", "META-INF/manifest.xml": manifest})
    with pytest.raises(DocumentError, match="mot de passe requis"):
        archive.check_package(path, "odt")

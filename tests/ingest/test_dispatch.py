"""`read_document`: identity of the file, checks before reading, and every failure as a status."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from evaluation import settings
from evaluation.ingest import SUPPORTED_SUFFIXES, ReaderOutput, dispatch, read_document, text

from .factories import rewrite_zip, write_pdf


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "offres" / "alpha").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def memoire_pdf(root: Path) -> Path:
    return write_pdf(root / "offres" / "alpha" / "memoire.pdf", [["Objectifs chiffres."], ["Calendrier."]])


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".pdf", ".docx", ".odt", ".txt", ".md")


def test_readable_pdf_is_ok_with_pages_and_blocks(root: Path, memoire_pdf: Path) -> None:
    document = read_document(memoire_pdf, root)
    assert (document.statut, document.motif, document.format, document.pages, document.mots) == (
        "ok",
        None,
        "pdf",
        2,
        3,
    )


def test_fichier_is_relative_to_root_in_posix_form(root: Path, memoire_pdf: Path) -> None:
    assert read_document(memoire_pdf, root).fichier == "offres/alpha/memoire.pdf"


def test_sha256_matches_hashlib(root: Path, memoire_pdf: Path) -> None:
    assert read_document(memoire_pdf, root).sha256 == hashlib.sha256(memoire_pdf.read_bytes()).hexdigest()


def test_text_file_records_its_encoding(root: Path) -> None:
    path = root / "offres" / "alpha" / "memoire.txt"
    path.write_bytes("Échéancier des actions.".encode("cp1252"))
    document = read_document(path, root)
    assert (document.statut, document.encodage, document.blocs[0].texte) == (
        "ok",
        "cp1252",
        "Échéancier des actions.",
    )


def test_empty_file_is_rejected(root: Path) -> None:
    path = root / "offres" / "alpha" / "memoire.pdf"
    path.touch()
    document = read_document(path, root)
    assert (document.statut, document.motif, document.sha256) == (
        "rejete",
        "fichier vide",
        hashlib.sha256().hexdigest(),
    )


@pytest.mark.parametrize(
    ("suffix", "motif"),
    [
        (".pdf", "le contenu n'est pas un PDF (format non reconnu)"),
        (".docx", "le contenu n'est pas un document Word (format non reconnu)"),
        (".odt", "le contenu n'est pas un document OpenDocument texte (format non reconnu)"),
        (".txt", "encodage non reconnu"),
        (".md", "encodage non reconnu"),
    ],
)
def test_random_bytes_are_rejected(root: Path, suffix: str, motif: str) -> None:
    path = root / "offres" / "alpha" / f"memoire{suffix}"
    path.write_bytes(random.Random(7).randbytes(4096))
    document = read_document(path, root)
    assert document.statut == "rejete"
    assert (document.motif or "").startswith(motif)


def test_pdf_renamed_docx_is_rejected(root: Path, memoire_pdf: Path) -> None:
    renamed = memoire_pdf.rename(memoire_pdf.with_suffix(".docx"))
    document = read_document(renamed, root)
    assert (document.statut, document.motif) == (
        "rejete",
        "le contenu n'est pas un document Word (fichier PDF renommé ?)",
    )


def test_unsupported_suffix_is_rejected(root: Path) -> None:
    path = root / "offres" / "alpha" / "memoire.xyz"
    path.write_text("contenu", encoding="utf-8")
    document = read_document(path, root)
    assert (document.statut, document.motif, document.format) == (
        "rejete",
        "format non pris en charge (.xyz) : formats acceptés .pdf, .docx, .odt, .txt, .md",
        "xyz",
    )


def test_file_larger_than_the_limit_is_rejected_unparsed_but_identified(
    root: Path, memoire_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "MAX_DOCUMENT_BYTES", 100)
    document = read_document(memoire_pdf, root)
    assert document.statut == "rejete" and document.blocs == []
    assert document.sha256 == hashlib.sha256(memoire_pdf.read_bytes()).hexdigest()
    assert (document.motif or "").startswith("fichier trop volumineux")


def test_folder_is_rejected(root: Path) -> None:
    folder = root / "offres" / "alpha" / "annexes.pdf"
    folder.mkdir()
    assert read_document(folder, root).motif == "n'est pas un fichier ordinaire"


def test_pdf_without_text_layer_is_sans_texte(root: Path) -> None:
    path = write_pdf(root / "offres" / "alpha" / "scan.pdf", [[], []], image_pages=[1, 2])
    document = read_document(path, root)
    assert (document.statut, document.motif, document.pages) == (
        "sans_texte",
        "aucune couche texte (document scanné ?)",
        2,
    )


def test_scanned_pages_among_text_make_the_document_partial(root: Path) -> None:
    path = write_pdf(root / "offres" / "alpha" / "memoire.pdf", [["Objectifs."], [], ["Fin."]], image_pages=[2])
    document = read_document(path, root)
    assert (document.statut, document.motif) == ("partiel", "pages sans couche texte (numérisées ?) : 2")


def test_unreadable_pages_are_listed_in_a_partial_document(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = root / "offres" / "alpha" / "memoire.txt"
    path.write_text("Objectifs.", encoding="utf-8")
    partial = ReaderOutput(blocks=text.read(path).blocks, problems=["pages illisibles : 3, 5"])
    monkeypatch.setitem(dispatch._READERS, ".txt", lambda _: partial)
    document = read_document(path, root)
    assert (document.statut, document.motif, len(document.blocs)) == ("partiel", "pages illisibles : 3, 5", 1)


def test_docx_with_a_doctype_is_rejected(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.docx"
    document = docx.Document()
    document.add_paragraph("Texte.")
    document.save(str(source))
    part = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    path = rewrite_zip(source, root / "offres" / "alpha" / "memoire.docx", replace={"docProps/custom.xml": part})
    result = read_document(path, root)
    assert (result.statut, result.motif) == (
        "rejete",
        "DTD interdite : la partie XML « docProps/custom.xml » déclare une DTD ou des entités (refusée par sécurité)",
    )


def test_password_motif_carries_the_advice(root: Path) -> None:
    document = FPDF()
    document.add_page()
    document.set_encryption(owner_password="a", user_password="b")
    path = root / "offres" / "alpha" / "memoire.pdf"
    document.output(str(path))
    motif = read_document(path, root).motif or ""
    assert motif.startswith("mot de passe requis") and "sans mot de passe" in motif


def test_unexpected_parser_error_becomes_a_rejection(
    root: Path, memoire_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(_: Path) -> ReaderOutput:
        raise RuntimeError("bug in a parser")

    monkeypatch.setitem(dispatch._READERS, ".pdf", explode)
    document = read_document(memoire_pdf, root)
    assert (document.statut, document.motif, document.blocs) == (
        "rejete",
        "fichier illisible : RuntimeError",
        [],
    )


def test_docx_without_text_is_sans_texte(root: Path) -> None:
    path = root / "offres" / "alpha" / "vide.docx"
    docx.Document().save(str(path))
    document = read_document(path, root)
    assert (document.statut, document.motif) == ("sans_texte", "aucun texte dans le document")

"""Reading PDF files with pypdfium2."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from evaluation.errors import DocumentError
from evaluation.ingest import pdf

from .factories import write_pdf

LONG = (
    "Nous reduirons les emissions de gaz a effet de serre de la flotte de livraison de trente pour cent "
    "avant la fin de la deuxieme annee du marche, grace a des vehicules electriques."
)


def test_blocks_carry_their_one_based_page_number(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "memoire.pdf", [["Texte de la page un."], ["Texte de la page deux."], ["Fin."]])
    output = pdf.read(path)
    assert (output.pages, [(b.page, b.texte) for b in output.blocks]) == (
        3,
        [(1, "Texte de la page un."), (2, "Texte de la page deux."), (3, "Fin.")],
    )


def test_page_is_split_into_paragraphs_list_items_and_headings(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "memoire.pdf", [["1. Objectifs", LONG, "- Tri des dechets\n- Reemploi"]])
    assert [(b.paragraphe, b.type, b.texte, b.titres) for b in pdf.read(path).blocks] == [
        (1, "titre", "1. Objectifs", ()),
        (2, "paragraphe", LONG, ("1. Objectifs",)),
        (3, "liste", "Tri des dechets", ("1. Objectifs",)),
        (4, "liste", "Reemploi", ("1. Objectifs",)),
    ]


def test_running_headers_and_page_numbers_are_removed(tmp_path: Path) -> None:
    pages = [
        [
            "Alpha Textiles - Memoire technique",
            f"{number}. Section {name}",
            f"{LONG} ({name})",
            f"Page {number} / 3",
        ]
        for number, name in enumerate(("un", "deux", "trois"), start=1)
    ]
    output = pdf.read(write_pdf(tmp_path / "memoire.pdf", pages))
    assert [b.texte for b in output.blocks if b.page == 2] == ["2. Section deux", f"{LONG} (deux)"]


def test_blank_pages_give_no_blocks(tmp_path: Path) -> None:
    output = pdf.read(write_pdf(tmp_path / "scan.pdf", [[], []], image_pages=[1]))
    assert (output.pages, output.blocks, output.problems) == (2, [], [])


def test_image_only_page_among_text_pages_is_reported(tmp_path: Path) -> None:
    output = pdf.read(write_pdf(tmp_path / "memoire.pdf", [["Texte."], [], [], ["Fin."]], image_pages=[2, 3]))
    assert output.problems == ["pages sans couche texte (numérisées ?) : 2 à 3"]


def test_pdf_needing_a_password_is_refused(tmp_path: Path) -> None:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica")
    document.cell(0, 10, "Confidentiel")
    document.set_encryption(owner_password="proprietaire", user_password="lecture")
    document.output(str(tmp_path / "chiffre.pdf"))
    with pytest.raises(DocumentError, match="mot de passe requis"):
        pdf.read(tmp_path / "chiffre.pdf")


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data = write_pdf(tmp_path / "source.pdf", [["Texte."]]).read_bytes()
    path = tmp_path / "memoire.pdf"
    path.write_bytes(data[:200])
    with pytest.raises(DocumentError, match="PDF corrompu ou tronqué"):
        pdf.read(path)

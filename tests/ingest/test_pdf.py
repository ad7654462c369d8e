"""Reading PDF files in a child process: text by page, ruled tables by row, limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from evaluation import settings
from evaluation.errors import DocumentError
from evaluation.ingest import pdf
from evaluation.ingest.base import TableRowBlock
from evaluation.model.document import Block
from evaluation.settings import data_dir

from .factories import write_pdf
from .hostile import pdf_huge_stream

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


def _blocks(*items: tuple[int, str, str]) -> list[Block]:
    return [Block(texte=text, page=page, paragraphe=rank, type=kind)  # type: ignore[arg-type]
            for rank, (page, kind, text) in enumerate(items, start=1)]


def test_paragraph_cut_by_a_page_break_is_joined_on_its_first_page() -> None:
    blocks = _blocks((1, "paragraphe", "Premier paragraphe."),
                     (1, "paragraphe", "Quand une pompe lache, nous posons d'abord"),
                     (2, "paragraphe", "une piece reconditionnee par notre atelier."),
                     (2, "paragraphe", "Paragraphe suivant."))
    pdf._join_across_page_break(blocks, 2)
    assert [(b.page, b.paragraphe, b.texte) for b in blocks] == [
        (1, 1, "Premier paragraphe."),
        (1, 2, "Quand une pompe lache, nous posons d'abord une piece reconditionnee par notre atelier."),
        (2, 3, "Paragraphe suivant."),
    ]


@pytest.mark.parametrize(("last", "head"), [
    (("paragraphe", "Une phrase finie."), ("paragraphe", "suite en minuscule")),
    (("paragraphe", "Une phrase sans point"), ("paragraphe", "Une majuscule en haut de page")),
    (("titre", "Partage des gains"), ("paragraphe", "nous reverserons")),
    (("paragraphe", "Un tableau suit"), ("tableau", "ligne d'un tableau")),
])
def test_page_break_after_a_finished_block_starts_a_new_one(last: tuple[str, str], head: tuple[str, str]) -> None:
    blocks = _blocks((1, *last), (2, *head))
    pdf._join_across_page_break(blocks, 1)
    assert [b.texte for b in blocks] == [last[1], head[1]]


def test_sample_pdf_paragraph_across_pages_is_read_whole() -> None:
    root = data_dir("samples") / "energie-2026"
    output = pdf.read(root / "offres" / "beta" / "memoire.pdf")
    whole = [b for b in output.blocks if "nous posons d'abord une pièce reconditionnée" in b.texte]
    assert len(whole) == 1 and whole[0].texte.endswith("dès la deuxième année.")


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


def write_table_pdf(path: Path) -> Path:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=11)
    document.multi_cell(0, 6, "Calendrier des actions.", new_x="LMARGIN", new_y="NEXT")
    with document.table() as table:
        for values in [("Action", "Echeance"), ("Tri des dechets", "T0+6 mois"), ("Reemploi", "T0+12 mois")]:
            row = table.row()
            for value in values:
                row.cell(value)
    document.multi_cell(0, 6, "Suite du memoire.", new_x="LMARGIN", new_y="NEXT")
    document.output(str(path))
    return path


def test_ruled_table_rows_are_blocks_with_their_table_row_and_cells(tmp_path: Path) -> None:
    blocks = pdf.read(write_table_pdf(tmp_path / "planning.pdf")).blocks
    assert [(b.texte, b.type) for b in blocks] == [
        ("Calendrier des actions.", "paragraphe"),
        ("Action : Tri des dechets | Echeance : T0+6 mois", "tableau"),
        ("Action : Reemploi | Echeance : T0+12 mois", "tableau"),
        ("Suite du memoire.", "paragraphe"),
    ]
    rows = [b for b in blocks if isinstance(b, TableRowBlock)]
    assert [(b.page, b.tableau, b.ligne, b.cellules) for b in rows] == [
        (1, 1, 2, ("Tri des dechets", "T0+6 mois")),
        (1, 1, 3, ("Reemploi", "T0+12 mois")),
    ]


def test_pages_past_the_limit_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_PAGES", 2)
    output = pdf.read(write_pdf(tmp_path / "memoire.pdf", [["Un."], ["Deux."], ["Trois."]]))
    assert ([b.texte for b in output.blocks], output.pages, output.problems) == (
        ["Un.", "Deux."], 3, ["document tronqué à 2 pages (3 au total)"]
    )


def test_characters_past_the_limit_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_DOCUMENT_CHARACTERS", 40)
    output = pdf.read(write_pdf(tmp_path / "memoire.pdf", [[LONG], ["Page deux."]]))
    assert output.problems == ["document tronqué à 40 caractères"]
    assert sum(len(b.texte) for b in output.blocks) <= 40 and output.blocks[0].page == 1


def test_owner_password_only_is_read_and_noted(tmp_path: Path) -> None:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica")
    document.cell(0, 10, "Restreint")
    document.set_encryption(owner_password="proprietaire")
    document.output(str(tmp_path / "restreint.pdf"))
    output = pdf.read(tmp_path / "restreint.pdf")
    assert ([b.texte for b in output.blocks], output.problems) == (["Restreint"], [])
    assert output.notes == [
        "PDF protégé par un mot de passe propriétaire (restrictions de copie ou d'impression) : texte lu sans "
        "mot de passe"
    ]


def test_reader_past_its_timeout_is_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "PDF_TIMEOUT_SECONDS", 0.001)
    with pytest.raises(DocumentError, match="analyse du PDF interrompue : délai dépassé"):
        pdf.read(write_pdf(tmp_path / "memoire.pdf", [["Texte."]]))


def test_reader_out_of_memory_is_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "PDF_MEMORY_BYTES", 200 * 1024 * 1024)
    with pytest.raises(DocumentError, match=r"analyse du PDF interrompue : mémoire insuffisante \(limite 200 Mo\)"):
        pdf.read(pdf_huge_stream(tmp_path))

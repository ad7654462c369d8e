"""Reading .docx files: body order, headings, lists, table rows, and refusal of unsafe packages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from evaluation.errors import DocumentError
from evaluation.ingest import docx as reader
from evaluation.ingest.base import TableRowBlock

from .factories import rewrite_zip


def write_memoire(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Plan de progrès", 1)
    document.add_paragraph("Premier paragraphe.")
    document.add_heading("Actions", 2)
    document.add_paragraph("Tri des déchets", style="List Bullet")
    document.add_paragraph("Réemploi des cartons", style="List Number")
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Action", "Échéance"), ("Tri des déchets", "T0+6 mois"), ("Réemploi", "")]):
        for column, value in enumerate(cells):
            table.cell(row, column).text = value
    document.add_paragraph("Après le tableau.")
    document.add_heading("Moyens", 1)
    document.add_paragraph("Une flotte électrique.")
    document.save(str(path))
    return path


def test_paragraphs_and_tables_keep_body_order_with_heading_path(tmp_path: Path) -> None:
    blocks = reader.read(write_memoire(tmp_path / "memoire.docx")).blocks
    assert [(b.paragraphe, b.type, b.texte, b.titres) for b in blocks] == [
        (1, "titre", "Plan de progrès", ()),
        (2, "paragraphe", "Premier paragraphe.", ("Plan de progrès",)),
        (3, "titre", "Actions", ("Plan de progrès",)),
        (4, "liste", "Tri des déchets", ("Plan de progrès", "Actions")),
        (5, "liste", "Réemploi des cartons", ("Plan de progrès", "Actions")),
        (6, "tableau", "Action : Tri des déchets | Échéance : T0+6 mois", ("Plan de progrès", "Actions")),
        (7, "tableau", "Action : Réemploi", ("Plan de progrès", "Actions")),
        (8, "paragraphe", "Après le tableau.", ("Plan de progrès", "Actions")),
        (9, "titre", "Moyens", ()),
        (10, "paragraphe", "Une flotte électrique.", ("Moyens",)),
    ]


def test_docx_blocks_have_no_page(tmp_path: Path) -> None:
    blocks = reader.read(write_memoire(tmp_path / "memoire.docx")).blocks
    assert {b.page for b in blocks} == {None}


def test_merged_cells_are_read_once_and_vertical_merges_repeat(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Axe déchets"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Tri"
    for row, values in ((1, ("T0+6", "Sites")), (2, ("T0+12", "Siège"))):
        table.cell(row, 1).text, table.cell(row, 2).text = values
    document.save(str(tmp_path / "fusion.docx"))
    blocks = reader.read(tmp_path / "fusion.docx").blocks
    assert [b.texte for b in blocks] == ["Axe déchets", "Tri | T0+6 | Sites", "Tri | T0+12 | Siège"]


def test_text_of_runs_hyperlinks_and_tabs_is_joined(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Réduction ")
    paragraph.add_run("de 30 %").bold = True
    paragraph.add_run("\tdès T0")
    document.save(str(tmp_path / "runs.docx"))
    assert [b.texte for b in reader.read(tmp_path / "runs.docx").blocks] == ["Réduction de 30 % dès T0"]


@pytest.mark.parametrize(
    ("declaration", "reason"),
    [
        (b'<!DOCTYPE w:document [<!ENTITY x "boom">]>', r"DTD interdite : la partie XML « word/document\.xml »"),
        # An entity declared outside any DTD is not even XML.
        (b"<!ENTITY x SYSTEM 'file:///etc/passwd'>", r"XML invalide dans la partie « word/document\.xml »"),
    ],
    ids=["doctype", "entity"],
)
def test_part_with_a_dtd_is_refused(tmp_path: Path, declaration: bytes, reason: str) -> None:
    source = write_memoire(tmp_path / "source.docx")
    with zipfile.ZipFile(source) as archive:
        body = archive.read("word/document.xml")
    tampered = body.replace(b"?>", b"?>" + declaration, 1)
    path = rewrite_zip(source, tmp_path / "memoire.docx", replace={"word/document.xml": tampered})
    with pytest.raises(DocumentError, match=reason):
        reader.read(path)


def test_dtd_in_a_utf16_part_is_refused(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.docx")
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode("utf-16")
    path = rewrite_zip(source, tmp_path / "memoire.docx", replace={"customXml/item9.xml": part})
    with pytest.raises(DocumentError, match=r"customXml/item9\.xml"):
        reader.read(path)


def test_macros_are_flagged_and_never_read(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.docx")
    macro = b"\xd0\xcf\x11\xe0 Sub AutoOpen() Shell MACRO-PAYLOAD"
    path = rewrite_zip(source, tmp_path / "memoire.docx", replace={"word/vbaProject.bin": macro})
    output = reader.read(path)
    assert output.problems == [
        "macros présentes (« word/vbaProject.bin ») : ignorées, jamais exécutées ni recopiées"
    ]
    assert output.blocks[0].texte == "Plan de progrès"
    assert not any("MACRO-PAYLOAD" in b.texte for b in output.blocks)


def test_macro_enabled_content_type_is_flagged(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.docx")
    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml")
    docm = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    path = rewrite_zip(source, tmp_path / "memoire.docx", replace={"[Content_Types].xml": docm})
    assert reader.read(path).problems == ["document Word à macros (.docm) renommé en .docx"]


def test_table_rows_carry_their_table_row_and_cells(tmp_path: Path) -> None:
    blocks = reader.read(write_memoire(tmp_path / "memoire.docx")).blocks
    rows = [b for b in blocks if isinstance(b, TableRowBlock)]
    assert [(b.tableau, b.ligne, b.cellules) for b in rows] == [
        (1, 2, ("Tri des déchets", "T0+6 mois")),
        (1, 3, ("Réemploi", "")),
    ]


def test_truncated_package_is_refused(tmp_path: Path) -> None:
    data = write_memoire(tmp_path / "source.docx").read_bytes()
    path = tmp_path / "memoire.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError, match="archive corrompue"):
        reader.read(path)


def test_package_without_word_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "memoire.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "rien")
    with pytest.raises(DocumentError, match="document Word illisible"):
        reader.read(path)


def test_svg_image_with_a_doctype_does_not_block_reading(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.docx")
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "svg11.dtd"><svg/>'
    path = rewrite_zip(source, tmp_path / "memoire.docx", replace={"word/media/image1.svg": svg})
    assert reader.read(path).blocks[0].texte == "Plan de progrès"


def test_tracked_deletions_are_left_out_and_insertions_kept(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Réduction de ")
    w = nsdecls("w")
    deleted = parse_xml(f'<w:del {w} w:id="1" w:author="A"><w:r><w:delText>20 %</w:delText></w:r></w:del>')
    inserted = parse_xml(f'<w:ins {w} w:id="2" w:author="A"><w:r><w:t>30 %</w:t></w:r></w:ins>')
    paragraph._p.append(deleted)
    paragraph._p.append(inserted)
    document.save(str(tmp_path / "revisions.docx"))
    assert [b.texte for b in reader.read(tmp_path / "revisions.docx").blocks] == ["Réduction de 30 %"]

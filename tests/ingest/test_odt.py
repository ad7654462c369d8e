"""Reading .odt files (written here with odfpy, read with lxml)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import H, List, ListItem, Note, NoteBody, NoteCitation, P, S

from evaluation.errors import DocumentError
from evaluation.ingest import odt

from .factories import rewrite_zip


def _row(*values: str) -> TableRow:
    row = TableRow()
    for value in values:
        cell = TableCell()
        cell.addElement(P(text=value))
        row.addElement(cell)
    return row


def write_memoire(path: Path, *, header_rows: bool = True) -> Path:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Plan de progrès"))
    paragraph = P(text="Réduction")
    paragraph.addElement(S(c=3))
    paragraph.addText("de 30 %.")
    document.text.addElement(paragraph)
    document.text.addElement(H(outlinelevel=2, text="Actions"))
    items = List()
    for value in ("Tri des déchets", "Réemploi"):
        item = ListItem()
        item.addElement(P(text=value))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Actions")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    header = _row("Action", "Échéance")
    if header_rows:
        group = TableHeaderRows()
        group.addElement(header)
        table.addElement(group)
    else:
        table.addElement(header)
    table.addElement(_row("Tri des déchets", "T0+6 mois"))
    table.addElement(_row("Réemploi", "T0+12 mois"))
    document.text.addElement(table)
    document.text.addElement(H(outlinelevel=1, text="Moyens"))
    document.text.addElement(P(text="Une flotte électrique."))
    document.save(str(path))
    return path


def test_headings_paragraphs_lists_and_table_rows_in_order(tmp_path: Path) -> None:
    blocks = odt.read(write_memoire(tmp_path / "memoire.odt")).blocks
    assert [(b.paragraphe, b.type, b.texte, b.titres) for b in blocks] == [
        (1, "titre", "Plan de progrès", ()),
        (2, "paragraphe", "Réduction de 30 %.", ("Plan de progrès",)),
        (3, "titre", "Actions", ("Plan de progrès",)),
        (4, "liste", "Tri des déchets", ("Plan de progrès", "Actions")),
        (5, "liste", "Réemploi", ("Plan de progrès", "Actions")),
        (6, "tableau", "Action : Tri des déchets | Échéance : T0+6 mois", ("Plan de progrès", "Actions")),
        (7, "tableau", "Action : Réemploi | Échéance : T0+12 mois", ("Plan de progrès", "Actions")),
        (8, "titre", "Moyens", ()),
        (9, "paragraphe", "Une flotte électrique.", ("Moyens",)),
    ]


def test_first_row_without_header_markup_is_guessed_as_header(tmp_path: Path) -> None:
    blocks = odt.read(write_memoire(tmp_path / "memoire.odt", header_rows=False)).blocks
    assert [b.texte for b in blocks if b.type == "tableau"] == [
        "Action : Tri des déchets | Échéance : T0+6 mois",
        "Action : Réemploi | Échéance : T0+12 mois",
    ]


def test_footnotes_are_left_out_of_the_paragraph(tmp_path: Path) -> None:
    document = OpenDocumentText()
    paragraph = P(text="Objectif chiffré")
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Source : bilan carbone."))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(" en 2027.")
    document.text.addElement(paragraph)
    document.save(str(tmp_path / "note.odt"))
    assert [b.texte for b in odt.read(tmp_path / "note.odt").blocks] == ["Objectif chiffré en 2027."]


def test_part_with_a_dtd_is_refused(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.odt")
    part = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    path = rewrite_zip(source, tmp_path / "memoire.odt", replace={"meta.xml": part})
    with pytest.raises(DocumentError, match=r"DTD interdite : la partie XML « meta\.xml »"):
        odt.read(path)


def test_basic_macro_module_is_flagged_and_never_read(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.odt")
    module = b'<?xml version="1.0"?><script:module xmlns:script="urn:x" script:name="Module1"/>'
    path = rewrite_zip(source, tmp_path / "memoire.odt", replace={"Basic/Standard/Module1.xml": module})
    output = odt.read(path)
    assert output.problems == [
        "macros présentes (« Basic/Standard/Module1.xml ») : ignorées, jamais exécutées ni recopiées"
    ]
    assert output.blocks[0].texte == "Plan de progrès"


def test_invalid_content_xml_is_refused(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.odt")
    path = rewrite_zip(source, tmp_path / "memoire.odt", replace={"content.xml": b"<office:document-content"})
    with pytest.raises(DocumentError, match="XML invalide"):
        odt.read(path)


def test_macro_library_index_alone_does_not_block_reading(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.odt")
    index = b'<?xml version="1.0"?><library:libraries xmlns:library="urn:x"/>'
    members = {"Basic/script-lc.xml": index, "Basic/Standard/script-lb.xml": index}
    path = rewrite_zip(source, tmp_path / "memoire.odt", replace=members)
    assert odt.read(path).blocks[0].texte == "Plan de progrès"


def test_package_without_content_is_refused(tmp_path: Path) -> None:
    source = write_memoire(tmp_path / "source.odt")
    path = tmp_path / "memoire.odt"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            if item.filename != "content.xml":
                new.writestr(item, old.read(item))
    with pytest.raises(DocumentError, match="pas de corps de texte"):
        odt.read(path)

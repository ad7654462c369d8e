"""The bad-input corpus: hostile or damaged bidders' files, generated on the fly, with the expected outcome.

Each case writes one file into a folder and says what `read_document` must make of it: the status and a
French reason that `motif` contains. Nothing here is stored in the repository.
"""

from __future__ import annotations

import codecs
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from fpdf import FPDF
from odf.opendocument import OpenDocumentText
from odf.text import P
from openpyxl import Workbook

from .craft import FONT, Member, pdf_bytes, repeated_deflate, stream, text_content, write_zip
from .factories import rewrite_zip, write_pdf

TEXT = "Plan de progres : nous reduirons de 30 % les emissions de CO2 de nos livraisons d'ici fin 2027."
_GIB = 1024 * 1024 * 1024
_XXE = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LAUGHS = b"<!DOCTYPE lolz [" + b"".join(
    [b'<!ENTITY lol0 "lol">'] + [b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)]
) + b"]>"


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Plan de progrès", 1)
    document.add_paragraph(TEXT)
    document.save(str(path))
    return path


def _members(source: Path) -> list[Member]:
    with zipfile.ZipFile(source) as archive:
        return [Member(item.filename, archive.read(item)) for item in archive.infolist()]


def _part(source: Path, name: str) -> bytes:
    with zipfile.ZipFile(source) as archive:
        return archive.read(name)


def _with_prolog(xml: bytes, declaration: bytes) -> bytes:
    """Insert `declaration` after the XML declaration, or at the start when there is none."""
    if xml.startswith(b"<?xml"):
        return xml.replace(b"?>", b"?>" + declaration, 1)
    return declaration + xml


def docx_xxe_utf8(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    body = _with_prolog(_part(source, "word/document.xml"), _XXE).replace(b"Plan de progr", b"&xxe;Plan de progr")
    return rewrite_zip(source, folder / "memoire.docx", replace={"word/document.xml": body})


def docx_xxe_utf16(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    return rewrite_zip(source, folder / "memoire.docx", replace={"customXml/item1.xml": part.encode("utf-16")})


def docx_billion_laughs(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    body = _with_prolog(_part(source, "word/document.xml"), _LAUGHS).replace(b"Plan de progr", b"&lol9;Plan de progr")
    return rewrite_zip(source, folder / "memoire.docx", replace={"word/document.xml": body})


def xlsx_entities(folder: Path) -> Path:
    workbook = Workbook()
    workbook.active["A1"] = "Calendrier"
    workbook.save(str(folder / "source.xlsx"))
    part = _with_prolog(_part(folder / "source.xlsx", "xl/workbook.xml"), b'<!DOCTYPE x [<!ENTITY a "b">]>')
    return rewrite_zip(folder / "source.xlsx", folder / "memoire.docx", replace={"xl/workbook.xml": part})


def odt_entities(folder: Path) -> Path:
    document = OpenDocumentText()
    document.text.addElement(P(text=TEXT))
    document.save(str(folder / "source.odt"))
    content = _with_prolog(_part(folder / "source.odt", "content.xml"), _LAUGHS)
    return rewrite_zip(folder / "source.odt", folder / "memoire.odt", replace={"content.xml": content})


def docx_huge_image(folder: Path) -> Path:
    """3 MB on disk, 3 GiB once unpacked: a picture made of zeros."""
    source = _docx(folder / "source.docx")
    image = Member("word/media/image1.png", packed=repeated_deflate(3 * _GIB), size=3 * _GIB, crc=0)
    return write_zip(folder / "memoire.docx", [*_members(source), image])


def docx_empty_paragraphs(folder: Path) -> Path:
    """Five million empty paragraphs: 30 MB of XML compressed a thousand times."""
    source = _docx(folder / "source.docx")
    body = _part(source, "word/document.xml").replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 5_000_000, 1)
    return rewrite_zip(source, folder / "memoire.docx", replace={"word/document.xml": body})


def docx_lying_sizes(folder: Path) -> Path:
    """The headers say 100 bytes; the data unpacks to 10 MB."""
    source = _docx(folder / "source.docx")
    members = [m for m in _members(source) if m.name != "word/document.xml"]
    body = _part(source, "word/document.xml").replace(b"<w:body>", b"<w:body>" + b" " * 10_000_000, 1)
    return write_zip(folder / "memoire.docx", [*members, Member("word/document.xml", body, size=100)])


def docx_duplicate_part(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    members = _members(source)
    decoy = Member("word/document.xml", b'<w:document xmlns:w="urn:x"/>')
    return write_zip(folder / "memoire.docx", [*members, decoy])


def docx_case_variant(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    return write_zip(folder / "memoire.docx", [*_members(source), Member("word/Document.xml", b"<x/>")])


def docx_parent_path(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    return write_zip(folder / "memoire.docx", [*_members(source), Member("../../evil.xml", b"<x/>")])


def docx_encrypted_member(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    members = _members(source)
    for member in members:
        if member.name == "word/document.xml":
            member.flags = 0x1
    return write_zip(folder / "memoire.docx", members)


def empty_file(folder: Path) -> Path:
    path = folder / "memoire.docx"
    path.write_bytes(b"")
    return path


def random_bytes(folder: Path) -> Path:
    path = folder / "memoire.docx"
    path.write_bytes(random.Random(7).randbytes(64 * 1024))
    return path


def pdf_renamed_docx(folder: Path) -> Path:
    return write_pdf(folder / "memoire.pdf", [[TEXT]]).rename(folder / "memoire.docx")


def docm_renamed_docx(folder: Path) -> Path:
    source = _docx(folder / "source.docx")
    types = _part(source, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    macro = b"\xd0\xcf\x11\xe0 Attribute VB_Name Sub AutoOpen() Shell MACRO-PAYLOAD"
    return rewrite_zip(source, folder / "memoire.docx",
                       replace={"[Content_Types].xml": types, "word/vbaProject.bin": macro})


def _page(parent: int, content: int) -> bytes:
    return b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R " % (parent, content) + (
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def pdf_huge_stream(folder: Path) -> Path:
    """A 2 MB PDF whose only content stream inflates to 2 GiB of spaces."""
    size = 2 * _GIB
    adler = ((size + 32 * size * (size + 1) // 2) % 65521) << 16 | (1 + 32 * size) % 65521
    data = b"\x78\xda" + repeated_deflate(size, b" ") + adler.to_bytes(4, "big")
    objects = [_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _page(2, 4),
               stream(data, b"/Filter /FlateDecode"), FONT]
    path = folder / "memoire.pdf"
    path.write_bytes(pdf_bytes(objects))
    return path


def pdf_cyclic_page_tree(folder: Path) -> Path:
    """The page tree lists itself among its kids."""
    objects = [_CATALOG, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", _page(2, 4),
               stream(text_content(TEXT)), FONT]
    path = folder / "memoire.pdf"
    path.write_bytes(pdf_bytes(objects))
    return path


def pdf_circular_xref(folder: Path) -> Path:
    """The trailer's /Prev points back to the same cross-reference table."""
    objects = [_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _page(2, 4),
               stream(text_content(TEXT)), FONT]
    start = int(pdf_bytes(objects).rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    path = folder / "memoire.pdf"
    path.write_bytes(pdf_bytes(objects, trailer=b"/Prev %d" % start))
    return path


def _encrypted_pdf(path: Path, user_password: str | None) -> Path:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica")
    document.multi_cell(0, 6, TEXT)
    document.set_encryption(owner_password="proprietaire", user_password=user_password)
    document.output(str(path))
    return path


def pdf_user_password(folder: Path) -> Path:
    return _encrypted_pdf(folder / "memoire.pdf", "lecture")


def pdf_owner_password(folder: Path) -> Path:
    return _encrypted_pdf(folder / "memoire.pdf", None)


def pdf_image_only(folder: Path) -> Path:
    return write_pdf(folder / "memoire.pdf", [[], []], image_pages=[1, 2])


def pdf_truncated(folder: Path) -> Path:
    data = write_pdf(folder / "source.pdf", [[TEXT]]).read_bytes()
    path = folder / "memoire.pdf"
    path.write_bytes(data[:300])
    return path


def pdf_blank_pages(folder: Path) -> Path:
    """20,000 blank pages."""
    count = 20_000
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    blank = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
    objects = [_CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count, FONT, *[blank] * count]
    path = folder / "memoire.pdf"
    path.write_bytes(pdf_bytes(objects))
    return path


def _text_file(folder: Path, data: bytes) -> Path:
    path = folder / "memoire.txt"
    path.write_bytes(data)
    return path


FRENCH = "Échéancier : réduction de 30 % des émissions – « œuvre » sociale dès 2027."


def txt_cp1252(folder: Path) -> Path:
    return _text_file(folder, FRENCH.encode("cp1252"))


def txt_utf16_bom(folder: Path) -> Path:
    return _text_file(folder, FRENCH.encode("utf-16"))


def txt_utf8_bom(folder: Path) -> Path:
    return _text_file(folder, codecs.BOM_UTF8 + FRENCH.encode("utf-8"))


def txt_control_characters(folder: Path) -> Path:
    text = f"Tri\x00 des\x07 déchets\x1b et \ud800réemploi\udfff. {FRENCH}"
    return _text_file(folder, text.encode("utf-8", "surrogatepass"))


def txt_single_long_line(folder: Path) -> Path:
    """One 50 MB line, no line break."""
    return _text_file(folder, b"emission " * (50 * 1024 * 1024 // 9))


@dataclass(frozen=True)
class Case:
    """A hostile file and what reading it must give."""

    name: str
    build: Callable[[Path], Path]
    statut: str
    motif: str
    encodage: str | None = None


CASES = [
    Case("docx-entite-externe-utf8", docx_xxe_utf8, "rejete", "DTD interdite : la partie XML « word/document.xml »"),
    Case("docx-entite-externe-utf16", docx_xxe_utf16, "rejete",
         "DTD interdite : la partie XML « customXml/item1.xml »"),
    Case("docx-billion-laughs", docx_billion_laughs, "rejete", "DTD interdite"),
    Case("xlsx-entites-renomme-docx", xlsx_entities, "rejete", "DTD interdite : la partie XML « xl/workbook.xml »"),
    Case("odt-entites", odt_entities, "rejete", "DTD interdite : la partie XML « content.xml »"),
    Case("docx-image-geante", docx_huge_image, "rejete", "la partie « word/media/image1.png » ferait 3072 Mo"),
    Case("docx-millions-de-paragraphes", docx_empty_paragraphs, "rejete", "bombe de décompression"),
    Case("docx-tailles-mensongeres", docx_lying_sizes, "rejete", "tailles incohérentes"),
    Case("docx-partie-en-double", docx_duplicate_part, "rejete", "« word/document.xml » présente deux fois"),
    Case("docx-casse-differente", docx_case_variant, "rejete", "de même nom à la casse près"),
    Case("docx-chemin-parent", docx_parent_path, "rejete", "nom de partie dangereux"),
    Case("docx-partie-chiffree", docx_encrypted_member, "rejete", "mot de passe requis"),
    Case("fichier-vide", empty_file, "rejete", "fichier vide"),
    Case("octets-aleatoires", random_bytes, "rejete", "le contenu n'est pas un document Word"),
    Case("pdf-renomme-docx", pdf_renamed_docx, "rejete", "fichier PDF renommé"),
    Case("docm-renomme-docx", docm_renamed_docx, "partiel", "document Word à macros (.docm) renommé en .docx"),
    Case("pdf-flux-geant", pdf_huge_stream, "rejete", "analyse du PDF interrompue : mémoire insuffisante"),
    Case("pdf-arbre-cyclique", pdf_cyclic_page_tree, "partiel", "pages illisibles : 2"),
    Case("pdf-xref-circulaire", pdf_circular_xref, "ok", ""),
    Case("pdf-mot-de-passe", pdf_user_password, "rejete", "mot de passe requis"),
    Case("pdf-mot-de-passe-proprietaire", pdf_owner_password, "ok", "mot de passe propriétaire"),
    Case("pdf-image-seule", pdf_image_only, "sans_texte", "aucune couche texte (document scanné ?)"),
    Case("pdf-tronque", pdf_truncated, "rejete", "PDF corrompu ou tronqué"),
    Case("pdf-20000-pages-blanches", pdf_blank_pages, "sans_texte", "document tronqué à 1 000 pages (20 000 au total)"),
    Case("txt-cp1252", txt_cp1252, "ok", "", "cp1252"),
    Case("txt-utf16-bom", txt_utf16_bom, "ok", "", "utf-16"),
    Case("txt-utf8-bom", txt_utf8_bom, "ok", "", "utf-8-sig"),
    Case("txt-caracteres-de-controle", txt_control_characters, "partiel",
         "5 caractère(s) de contrôle ou invalide(s) supprimé(s)", "utf-8"),
    Case("txt-ligne-de-50-mo", txt_single_long_line, "partiel", "document tronqué à 2 000 000 caractères", "utf-8"),
]

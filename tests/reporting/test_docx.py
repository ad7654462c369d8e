"""The Word documents: analysis report (DAJ OUV8 structure), rejection letters, requests for justification.

Each is reopened with python-docx and checked on its headings, tables and paragraphs.
"""

from __future__ import annotations

import dataclasses
import io
import time
import zipfile
from typing import Any

import docx
import pytest

from evaluation.officefile import ZIP_DATE
from evaluation.reporting import ReportContext
from evaluation.reporting.word import DRAFT_MARK
from evaluation.reporting.word_reports import render_docx

OUV8 = [
    "A. Identification de l'acheteur",
    "B. Objet de la consultation",
    "C. Déroulement de la procédure",
    "D. Élimination des offres",
    "E. Analyse des offres",
    "F. Classement des offres",
    "G. Proposition d'attribution",
    "H. Signature du responsable du service",
    "Annexe : documents examinés et versions",
]


def open_docx(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def headings(document: Any, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def body_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts).replace("\u202f", " ")


def header_text(document: Any) -> str:
    return "\n".join(p.text for s in document.sections for p in s.header.paragraphs)


def table_rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def files(ctx: ReportContext) -> dict[str, bytes]:
    return render_docx(ctx)


@pytest.fixture
def final_files(final_ctx: ReportContext) -> dict[str, bytes]:
    return render_docx(final_ctx)


def test_one_report_one_letter_per_rejected_bidder_one_request_per_low_price(files: dict[str, bytes]) -> None:
    assert list(files) == [
        "rapport-analyse-offres.docx",
        "lettres/beta.docx",
        "lettres/gamma.docx",
        "demandes-precisions/beta.docx",
    ]


def test_report_follows_the_ouv8_structure(files: dict[str, bytes]) -> None:
    report = open_docx(files["rapport-analyse-offres.docx"])
    assert headings(report, 1) == OUV8
    title = [p.text for p in report.paragraphs if p.style.name == "Title"]
    assert title == ["Rapport d'analyse des offres"]


def test_report_is_editable_word_not_text_boxes(files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(files["rapport-analyse-offres.docx"])) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "txbxContent" not in xml and "<v:textbox" not in xml and "<w:drawing" not in xml
    assert "w:hyperlink" not in xml and "w:fldChar" not in xml  # no field a bidder's text could become
    assert 'w:val="fr-FR"' in zipfile.ZipFile(io.BytesIO(files["rapport-analyse-offres.docx"])).read(
        "word/styles.xml").decode("utf-8")


def test_report_eliminates_nothing_but_lists_what_to_examine(files: dict[str, bytes]) -> None:
    report = open_docx(files["rapport-analyse-offres.docx"])
    text = body_text(report)
    assert "L'outil n'élimine aucune offre." in text
    assert ("Beta & Fils (beta) : offres/beta/memoire.txt : lu partiellement (page 7 illisible); "
            "offres/beta/annexe.pdf : sans texte exploitable (document scanné sans texte).") in text
    assert "Beta & Fils (beta), 118 000,00 € HT : prix inférieur à 80 % de la moyenne réduite." in text
    assert "rapports/demandes-precisions/beta.docx" in text


def test_report_analyses_each_criterion_with_levels_and_evaluators(files: dict[str, bytes]) -> None:
    report = open_docx(files["rapport-analyse-offres.docx"])
    assert "Objectifs chiffrés — 30,00 points" in headings(report, 4)
    table = next(t for t in report.tables if t.rows[0].cells[0].text == "Offre"
                 and t.rows[0].cells[-1].text == "Évaluateurs")
    rows = table_rows(table)
    beta = next(r for r in rows if r[0] == "Beta & Fils (beta)")
    assert beta[1] == "3 — Satisfaisant (évaluateurs)"
    assert beta[2] == "15,00 / 30,00"
    assert "A. Martin : 4 — Très satisfaisant" in beta[4]
    assert "Consensus : 3 — Satisfaisant, arrêté par La présidente" in beta[4]
    assert "Désaccord entre évaluateurs" in beta[4]


def test_report_ranking_table(files: dict[str, bytes]) -> None:
    report = open_docx(files["rapport-analyse-offres.docx"])
    table = next(t for t in report.tables if t.rows[0].cells[0].text == "Rang" and "Total" in t.rows[0].cells[-1].text)
    rows = table_rows(table)
    assert rows[0] == ["Rang", "Offre", "Plan de progrès (/60)", "Prix (/40)", "Total (/100)"]
    assert rows[1] == ["1", "Alpha Textiles SAS (alpha)", "41,25", "37,76", "79,01"]
    assert rows[3][3] == "—"  # gamma has no price: never a zero


def test_provisional_report_makes_no_award_proposal(files: dict[str, bytes]) -> None:
    report = open_docx(files["rapport-analyse-offres.docx"])
    text = body_text(report)
    assert "aucune proposition d'attribution n'est formulée" in text
    assert "propose à la commission de retenir" not in text
    assert DRAFT_MARK in header_text(report)


def test_final_report_proposes_never_decides(final_files: dict[str, bytes]) -> None:
    report = open_docx(final_files["rapport-analyse-offres.docx"])
    text = body_text(report)
    assert ("propose à la commission de retenir l'offre de Alpha Textiles SAS (alpha), classée première avec "
            "79,01 points sur 100. La décision d'attribution appartient à la commission") in text
    assert DRAFT_MARK not in header_text(report)
    assert "Fait à ……………………, le 15 mars 2026" in text


def test_letter_gives_reasons_scores_rank_winner_and_standstill(final_files: dict[str, bytes]) -> None:
    letter = open_docx(final_files["lettres/beta.docx"])
    text = body_text(letter)
    assert "Beta & Fils" in text
    assert "Elle est classée au rang 2 sur 2 offres classées, avec 70,00 points sur 100." in text
    reasons = table_rows(letter.tables[0])
    assert reasons[0] == ["Critère", "Votre offre", "Offre retenue", "Appréciation de votre offre"]
    assert reasons[1][:3] == ["Plan de progrès (60 points)", "30,00", "41,25"]
    assert "Objectifs chiffrés : 3 — Satisfaisant — Justification : objectifs chiffrés." in reasons[1][3]
    assert reasons[2][:3] == ["Prix (40 points)", "40,00", "37,76"]
    assert reasons[3] == ["Total (100 points)", "70,00", "79,01", "Rang de votre offre : 2"]
    assert "L'offre retenue est celle de Alpha Textiles SAS, qui a obtenu 79,01 points sur 100." in text
    assert "Planning précis : les actions portent des dates ou des échéances vérifiables" in text
    assert "délai de 11 jours" in text and "R. 2182-1" in text
    assert "soit pas avant le 26 mars 2026 pour un envoi le 15 mars 2026" in text
    assert "À vérifier par l'acheteur" in text
    assert "Nom, qualité et signature : [à compléter]" in text


def test_standstill_period_is_a_parameter(final_ctx: ReportContext) -> None:
    letter = open_docx(render_docx(final_ctx, delai_suspension=16)["lettres/beta.docx"])
    assert "délai de 16 jours" in body_text(letter)


def test_unranked_offer_letter_says_so(final_files: dict[str, bytes]) -> None:
    text = body_text(open_docx(final_files["lettres/gamma.docx"]))
    assert "Elle n'a pas pu être classée." in text
    assert "[motif pour lequel l'offre n'a pas été classée, à préciser]" in text


def test_provisional_letters_are_marked_as_drafts_on_every_page(files: dict[str, bytes]) -> None:
    letter = open_docx(files["lettres/beta.docx"])
    assert header_text(letter) == DRAFT_MARK
    assert body_text(letter).startswith("PROJET — classement provisoire.")


def test_no_letter_while_the_first_place_is_tied(ctx: ReportContext) -> None:
    offers = dict(ctx.ranking.offres)
    offers["beta"] = offers["beta"].model_copy(update={"rang": 1})
    tied = dataclasses.replace(ctx, ranking=ctx.ranking.model_copy(update={"offres": offers}))
    files = render_docx(tied)
    assert not [name for name in files if name.startswith("lettres/")]
    text = body_text(open_docx(files["rapport-analyse-offres.docx"]))
    assert "Plusieurs offres sont classées premières ex æquo" in text


def test_request_for_justification(final_files: dict[str, bytes]) -> None:
    request = open_docx(final_files["demandes-precisions/beta.docx"])
    text = body_text(request)
    assert "Objet : consultation 2026-VET-01 — demande de précisions sur le prix de votre offre" in text
    assert "Le montant de l'offre remise par Beta & Fils paraît anormalement bas (article R2152-3)." in text
    assert "[date limite de réponse, à compléter]" in text


def test_document_properties_follow_the_report_date(final_files: dict[str, bytes]) -> None:
    props = open_docx(final_files["rapport-analyse-offres.docx"]).core_properties
    assert props.created.date().isoformat() == "2026-03-15"
    assert props.modified == props.created
    assert props.author == "evaluation-plan-de-progres"
    assert props.title == "Rapport d'analyse des offres — 2026-VET-01"


def test_two_renders_are_byte_identical(ctx: ReportContext, monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_docx(ctx)
    later = time.time() + 3 * 86400  # zip entries and document properties would otherwise carry the clock
    monkeypatch.setattr(time, "time", lambda: later)
    assert render_docx(ctx) == first


def test_zip_entries_have_fixed_dates_and_order(files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(files["lettres/beta.docx"])) as archive:
        infos = archive.infolist()
    assert {i.date_time for i in infos} == {ZIP_DATE}
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml"
    assert names[1:] == sorted(names[1:])


def test_negative_standstill_is_refused(ctx: ReportContext) -> None:
    with pytest.raises(ValueError, match="délai de suspension"):
        render_docx(ctx, delai_suspension=-1)

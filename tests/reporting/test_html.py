"""The HTML report, checked on its parsed content."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace
from typing import Any

import lxml.html
import pytest

from evaluation.errors import InputError
from evaluation.model import Ranking
from evaluation.reporting import ReportContext, render_html

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
NOTICE = (
    "Les niveaux suggérés par l'outil ne sont qu'une aide : "
    "la commission d'appel d'offres reste seule juge de la notation."
)


def parse(text: str) -> Any:
    return lxml.html.document_fromstring(text)


def text_of(node: Any) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture
def page(ctx: ReportContext) -> str:
    return render_html(ctx)


@pytest.fixture
def doc(page: str) -> Any:
    return parse(page)


def test_document_is_french_and_locked_down(doc: Any) -> None:
    assert doc.get("lang") == "fr"
    metas = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    assert [m.get("content") for m in metas] == [CSP]


def test_no_script_and_no_external_resource(page: str, doc: Any) -> None:
    assert "<script" not in page.lower()
    assert not doc.xpath("//script | //link | //img | //iframe | //object | //embed")
    for element in doc.iter():
        for name in ("src", "href", "action", "srcset", "xlink:href"):
            value = element.get(name)
            if value is not None:
                assert value.startswith("#"), f"{element.tag} {name}={value!r}"
    style = "".join(s.text_content() for s in doc.xpath("//style"))
    assert "url(" not in style and "@import" not in style


def test_hostile_text_is_shown_escaped(page: str, doc: Any, payloads: SimpleNamespace) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    quotes = [text_of(q) for q in doc.xpath("//q")]
    assert payloads.script in quotes
    assert payloads.js_url in quotes
    headings = [text_of(h) for h in doc.xpath("//article/h3")]
    assert f"{payloads.hostile_name} (gamma)" in headings
    assert not any("javascript:" in (e.get("href") or "") for e in doc.iter())


def test_header_gives_the_consultation_and_the_notice(doc: Any) -> None:
    header = text_of(doc.xpath("//header")[0])
    for expected in (
        "Fourniture de vêtements professionnels écoresponsables",
        "2026-VET-01",
        "Centrale d'achat de l'Ouest",
        "plan-test.v2",
        NOTICE,
    ):
        assert expected in header
    assert "Date" not in [text_of(dt) for dt in doc.xpath("//header//dt")]


def test_date_is_printed_only_when_given(make_ctx: Any) -> None:
    doc = parse(render_html(make_ctx(date="2026-03-15")))
    terms = [text_of(dt) for dt in doc.xpath("//header//dt")]
    values = [text_of(dd) for dd in doc.xpath("//header//dd")]
    assert values[terms.index("Date")] == "15 mars 2026"


def test_ranking_table_sorted_by_rank_unranked_last(doc: Any) -> None:
    rows = doc.xpath('//section[@id="synthese"]//table/tbody/tr')
    ids = [text_of(r.xpath("./th/span[@class='code']")[0]) for r in rows]
    ranks = [text_of(r.xpath("./td")[0]) for r in rows]
    assert ids == ["alpha", "beta", "gamma"]
    assert ranks == ["1", "2", "Non classée"]


def test_ranking_table_shows_points_total_and_source(doc: Any) -> None:
    headers = [text_of(th) for th in doc.xpath('//section[@id="synthese"]//thead/tr/th')]
    assert headers == [
        "Rang", "Offre", "Plan de progrès / 60", "Prix / 40", "Total / 100", "Source des notes",
    ]
    cells = [text_of(td) for td in doc.xpath('//section[@id="synthese"]//tbody/tr[2]/td')]
    assert cells == ["2", "30,00", "40,00", "70,00", "Mixte (évaluateurs, suggestion de l'outil)"]
    gamma = [text_of(td) for td in doc.xpath('//section[@id="synthese"]//tbody/tr[3]/td')]
    assert gamma[2] == "—"  # no price: shown as missing, never as zero


def test_ties_are_marked(make_ctx: Any) -> None:
    ctx = make_ctx()
    offers = dict(ctx.ranking.offres)
    offers["beta"] = offers["beta"].model_copy(update={"rang": 1})
    tied = dataclasses.replace(ctx, ranking=ctx.ranking.model_copy(update={"offres": offers}))
    doc = parse(render_html(tied))
    ranks = [text_of(td) for td in doc.xpath('//section[@id="synthese"]//tbody/tr/td[1]')]
    assert ranks[:2] == ["1 ex æquo", "1 ex æquo"]


def test_bar_chart_is_inline_stacked_and_proportional(doc: Any) -> None:
    bars = doc.xpath('//section[@id="synthese"]//svg//rect[@class="barre"]')
    assert [b.get("width") for b in bars] == ["331.8", "294.0", "94.5"]  # 79,01 · 70 · 22,5 on 420 px
    labels = [text_of(t) for t in doc.xpath("//svg//text[@class='valeur']")]
    assert labels == ["79,01", "70,00", "22,50"]
    alpha = bars[0].getparent()
    segments = alpha.xpath("./rect[contains(@class, 'segment')]")
    assert [text_of(s.xpath("./title")[0]) for s in segments] == ["Plan de progrès : 41,25 / 60", "Prix : 37,76 / 40"]
    assert sum(float(s.get("width")) for s in segments) == pytest.approx(331.8, abs=0.2)
    legend = text_of(doc.xpath('//section[@id="synthese"]//figcaption')[0])
    assert "Plan de progrès" in legend and "Prix" in legend


def test_method_lists_weights_scale_and_price_rules(doc: Any) -> None:
    method = text_of(doc.xpath('//section[@id="methode"]')[0])
    for expected in (
        "Plan de progrès — 60 points",
        "Objectifs chiffrés",
        "50 %",
        "30,00",
        "4 — Très satisfaisant : Objectifs chiffrés, datés et mesurables.",
        "Présence et précision de l'élément « Objectifs » du plan",
        "Méthode proportionnelle",
        "80 % de la moyenne réduite",
        "Partiellement satisfaisant",
        "Descripteur du niveau 2.",
    ):
        assert expected.replace(" ", "") in method.replace(" ", "").replace("\u202f", ""), expected


def test_every_element_and_axis_label_is_in_the_matrices(doc: Any, payloads: SimpleNamespace) -> None:
    rows = {text_of(th) for th in doc.xpath('//section[@id="couverture"]//tbody/tr/th')}
    assert set(payloads.element_labels.values()) <= rows
    heatmap = doc.xpath('//h3[@id="couverture-axes"]/following-sibling::table[1]')[0]
    columns = [text_of(th) for th in heatmap.xpath("./thead/tr/th")]
    assert columns == ["Offre", "Décarbonation", "Emballages et déchets", "Circuits courts"]


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("Calendrier", 1, "● Présent 93 %"),
        ("Partage des gains", 1, "○ Absent"),  # no « 20 % » beside an absence: it reads as nonsense
    ],
)
def test_element_cells_carry_text_not_only_colour(doc: Any, row: str, column: int, expected: str) -> None:
    table = doc.xpath('//h3[@id="couverture-elements"]/following-sibling::table[1]')[0]
    tr = next(t for t in table.xpath("./tbody/tr") if text_of(t.xpath("./th")[0]) == row)
    cell = tr.xpath("./td")[column - 1]
    assert text_of(cell).replace("\u202f", " ") == expected


@pytest.mark.parametrize(
    ("offer", "axis", "expected", "state"),
    [
        ("Alpha Textiles SAS", 1, "● Couvert 88 %", "ok"),
        ("Beta & Fils", 2, "◐ Mentionné sans action", "partial"),
        ("Beta & Fils", 3, "○ Absent", "ko"),
    ],
)
def test_heatmap_is_offers_by_axes_with_text_and_colour(
    doc: Any, offer: str, axis: int, expected: str, state: str
) -> None:
    heatmap = doc.xpath('//h3[@id="couverture-axes"]/following-sibling::table[1]')[0]
    tr = next(t for t in heatmap.xpath("./tbody/tr") if text_of(t.xpath("./th")[0]) == offer)
    cell = tr.xpath("./td")[axis - 1]
    assert text_of(cell).replace("\u202f", " ") == expected
    assert cell.get("class") == f"etat {state}"


def test_matrix_cells_link_to_their_evidence(doc: Any) -> None:
    links = doc.xpath('//section[@id="couverture"]//td/a')
    assert len(links) == 3 * (7 + 3 + 4)
    ids = {e.get("id"): e for e in doc.xpath("//*[@id]")}
    for link in links:
        target = ids[link.get("href")[1:]]
        assert target.get("class") == "bloc"
    calendrier = doc.xpath('//section[@id="couverture"]//a[@href="#offre-alpha-element-calendrier"]')
    assert calendrier
    block = ids["offre-alpha-element-calendrier"]
    assert "memoire.pdf, page 4, § 17" in text_of(block)


def test_every_internal_link_has_a_target_and_ids_are_unique(doc: Any) -> None:
    ids = [e.get("id") for e in doc.xpath("//*[@id]")]
    assert len(ids) == len(set(ids))
    for href in {a.get("href") for a in doc.xpath("//a[@href]")}:
        assert href[1:] in ids, href


def test_evidence_is_cited_with_file_page_and_paragraph(doc: Any) -> None:
    cites = {text_of(c) for c in doc.xpath("//cite")}
    assert "offres/alpha/memoire.pdf, page 4, § 17" in cites
    assert "offres/beta/memoire.txt, § 3" in cites  # no page for a text file: left out


def test_offer_to_check_gets_a_visible_warning(doc: Any) -> None:
    warned = {
        a.get("id") for a in doc.xpath("//article") if "Document(s) à vérifier" in text_of(a)
    }
    assert warned == {"offre-beta"}
    alert = doc.xpath('//article[@id="offre-beta"]/p[@class="alerte"]')[0]
    assert alert.get("role") == "alert"


def test_documents_show_status_reason_and_short_hash(doc: Any, payloads: SimpleNamespace) -> None:
    rows = doc.xpath('//article[@id="offre-beta"]//table[@class="documents"]/tbody/tr')
    first = [text_of(td) for td in rows[0].xpath("./td")]
    assert first[:3] == ["offres/beta/memoire.txt", "Lu partiellement", "page 7 illisible"]
    alpha_hash = doc.xpath('//article[@id="offre-alpha"]//table[@class="documents"]//span[@title]')[0]
    assert alpha_hash.get("title") == payloads.sha_alpha
    assert text_of(alpha_hash) == payloads.sha_alpha[:12] + "…"


def test_flags_are_reported_with_their_evidence(doc: Any) -> None:
    article = doc.xpath('//article[@id="offre-alpha"]')[0]
    blocks = {b.get("id"): text_of(b) for b in article.xpath(".//div[@class='bloc']")}
    assert blocks["offre-alpha-signal-planning_precis"].startswith("● Oui Planning précis")
    assert "Aucun passage relevé" in blocks["offre-alpha-signal-depassement_reglementaire"]
    assert blocks["offre-alpha-signal-engagement"].startswith("● Ferme Nature des engagements")


def test_suggested_levels_are_shown_with_explanation_and_marked(doc: Any) -> None:
    rows = doc.xpath('//article[@id="offre-alpha"]//table[@class="notation"]/tbody/tr[not(@class)]')
    first = [text_of(c) for c in rows[0].xpath("./th | ./td")]
    assert first[0] == "Objectifs chiffrés"
    assert first[1] == "3 — Satisfaisant suggestion"
    assert first[4].startswith("3 — Satisfaisant Objectifs chiffrés pour deux axes sur trois.")
    link = rows[0].xpath(".//a")[0]
    assert link.get("href") == "#offre-alpha-niveau-objectifs"
    beta = doc.xpath('//article[@id="offre-beta"]//table[@class="notation"]/tbody/tr[not(@class)]')[0]
    assert "évaluateurs" in text_of(beta)


def test_warnings_and_versions(doc: Any, payloads: SimpleNamespace) -> None:
    warnings = [text_of(li) for li in doc.xpath('//section[@id="avertissements"]/ul/li')]
    assert warnings[0].startswith("Prix absent dans consultation.yaml")
    assert warnings[1] == f"Avertissement hostile : {payloads.script}"
    rows = doc.xpath('//section[@id="annexe"]//tbody/tr')
    versions = [[text_of(c) for c in tr.xpath("./*")] for tr in rows]
    assert versions == [
        ["Grille de notation", "plan-test.v2", "plan-test.v2"],
        ["Modèle d'analyse", "fr-plan-progres 1.0", "—"],
        ["Outil (evaluation-plan-de-progres)", "0.1.0", "0.1.0"],
    ]


def test_inconsistent_inputs_are_reported(make_ctx: Any) -> None:
    ctx = make_ctx()
    other = dataclasses.replace(ctx, ranking=ctx.ranking.model_copy(update={"grille": "autre-grille.v1"}))
    section = text_of(parse(render_html(other)).xpath('//section[@id="avertissements"]')[0])
    expected = "classement.json a été produit avec la grille « autre-grille.v1 » et non « plan-test.v2 »"
    assert expected in section


def test_same_context_gives_the_same_page(make_ctx: Any) -> None:
    assert render_html(make_ctx()) == render_html(make_ctx())


def test_dict_order_does_not_change_the_page(make_ctx: Any) -> None:
    ctx = make_ctx()
    reversed_offers = dict(reversed(list(ctx.analysis.offres.items())))
    shuffled = dataclasses.replace(
        ctx,
        analysis=ctx.analysis.model_copy(update={"offres": reversed_offers}),
        ranking=Ranking.model_validate(
            {**ctx.ranking.model_dump(), "offres": dict(sorted(ctx.ranking.model_dump()["offres"].items()))}
        ),
        axis_labels=dict(reversed(list(ctx.axis_labels.items()))),
    )
    assert render_html(shuffled) == render_html(ctx)


def test_control_characters_never_reach_the_page(page: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", page)
    assert "Texte avec un caractère de contrôle" in page


def test_non_numeric_points_are_an_input_error(make_ctx: Any) -> None:
    ctx = make_ctx()
    offers = dict(ctx.ranking.offres)
    offers["alpha"] = offers["alpha"].model_copy(update={"total": "douze"})
    broken = dataclasses.replace(ctx, ranking=ctx.ranking.model_copy(update={"offres": offers}))
    with pytest.raises(InputError, match=r"classement\.json") as excinfo:
        render_html(broken)
    assert "offres -> alpha -> total" in str(excinfo.value)


def test_offer_without_analysis_is_still_listed(make_ctx: Any) -> None:
    ctx = make_ctx()
    offers = {k: v for k, v in ctx.analysis.offres.items() if k != "beta"}
    partial = dataclasses.replace(ctx, analysis=ctx.analysis.model_copy(update={"offres": offers}))
    doc = parse(render_html(partial))
    article = text_of(doc.xpath('//article[@id="offre-beta"]')[0])
    assert "Aucune analyse automatique n'est disponible pour cette offre." in article
    warnings = text_of(doc.xpath('//section[@id="avertissements"]')[0])
    assert "Offre(s) notée(s) sans analyse automatique : beta." in warnings


@pytest.mark.parametrize("provisoire", [True, False])
def test_provisional_ranking_is_announced_in_the_synthesis(ctx: ReportContext, provisoire: bool) -> None:
    ranking = ctx.ranking.model_copy(update={"provisoire": provisoire})
    doc = parse(render_html(dataclasses.replace(ctx, ranking=ranking)))
    synthesis = text_of(doc.xpath('//section[@id="synthese"]')[0])
    assert ("Classement provisoire." in synthesis) is provisoire

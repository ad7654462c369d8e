"""The sections of the HTML report added for the commission: each checked on its parsed content."""

from __future__ import annotations

import dataclasses
from typing import Any

import lxml.html
import pytest

from evaluation.model import OfferAnalysis
from evaluation.reporting import ReportContext, render_html

SECTIONS = [
    "synthese", "methode", "analyse-criteres", "couverture", "calendrier", "reglementation", "forces", "prix",
    "offres", "avertissements", "annexe-documents", "annexe-demandes", "annexe",
]


def text_of(node: Any) -> str:
    return " ".join(node.text_content().split()).replace("\u202f", " ")


@pytest.fixture
def doc(ctx: ReportContext) -> Any:
    return lxml.html.document_fromstring(render_html(ctx))


def section(doc: Any, ident: str) -> Any:
    return doc.xpath(f'//section[@id="{ident}"]')[0]


def test_sections_in_reading_order(doc: Any) -> None:
    assert [s.get("id") for s in doc.xpath("//main/section")] == SECTIONS
    toc = [a.get("href") for a in doc.xpath('//nav[@class="sommaire"]/ol/li/a')]
    assert toc == ["#" + s for s in SECTIONS[:-3]] + ["#annexe-documents"]


def test_provisional_ranking_gives_no_award_proposal(doc: Any) -> None:
    proposal = text_of(section(doc, "synthese").xpath('./p[@class="proposition"]')[0])
    assert proposal.startswith("À ce stade, l'offre la mieux classée est celle de Alpha Textiles SAS")
    assert "aucune proposition d'attribution n'est formulée" in proposal


def test_final_ranking_proposes_to_the_commission(final_ctx: ReportContext) -> None:
    doc = lxml.html.document_fromstring(render_html(final_ctx))
    proposal = text_of(section(doc, "synthese").xpath('./p[@class="proposition"]')[0])
    assert "Il est proposé à la commission de la retenir ; la décision lui appartient." in proposal
    assert not doc.xpath('//p[@class="marque-provisoire"]')


def test_provisional_mark_in_the_header(doc: Any) -> None:
    assert text_of(doc.xpath('//header/p[@class="marque-provisoire"]')[0]) == "Projet — classement provisoire"


def test_criterion_analysis_shows_each_offer_level_and_justification(doc: Any) -> None:
    table = section(doc, "analyse-criteres").xpath(".//table[@class='critere']")[0]
    assert text_of(table.xpath("./caption")[0]) == "Objectifs chiffrés — 30,00 points"
    rows = [[text_of(c) for c in tr.xpath("./th | ./td")] for tr in table.xpath("./tbody/tr")]
    assert rows[0][:4] == ["Alpha Textiles SAS alpha", "3 — Satisfaisant suggestion", "30,00 / 30,00",
                           "Justification : objectifs chiffrés. Voir les preuves"]


def test_evaluators_disagreement_and_consensus_are_shown(doc: Any) -> None:
    table = section(doc, "analyse-criteres").xpath(".//table[@class='critere']")[0]
    beta = next(tr for tr in table.xpath("./tbody/tr") if "Beta & Fils" in text_of(tr))
    notes = [text_of(li) for li in beta.xpath(".//ul[@class='notes-evaluateurs']/li")]
    assert notes == [
        'A. Martin : 4 — Très satisfaisant — Objectifs datés et mesurables =HYPERLINK("http://x","clic")',
        "B. Durand : 1 — Insuffisant — Objectifs peu chiffrés (p. 2).",
        "Consensus : 3 — Satisfaisant, arrêté par La présidente : Objectifs chiffrés mais non datés.",
    ]
    assert "désaccord arbitré" in text_of(beta)


def test_unsettled_disagreement_is_flagged(ctx: ReportContext) -> None:
    beta = ctx.ranking.offres["beta"]
    plan = beta.notes["plan"]
    sub = plan.sous_criteres["objectifs"].model_copy(update={"consensus": None})
    plan = plan.model_copy(update={"sous_criteres": {**plan.sous_criteres, "objectifs": sub}})
    offers = {**ctx.ranking.offres, "beta": beta.model_copy(update={"notes": {"plan": plan}})}
    doc = lxml.html.document_fromstring(render_html(dataclasses.replace(
        ctx, ranking=ctx.ranking.model_copy(update={"offres": offers}))))
    table = section(doc, "analyse-criteres").xpath(".//table[@class='critere']")[0]
    assert "1 désaccord(s) non arbitré(s)" in text_of(table.xpath("./caption")[0])
    assert table.xpath("./tbody/tr[@class='desaccord']")


def test_sub_criterion_nobody_scored_is_not_a_column_of_zeros(doc: Any) -> None:
    empty = [text_of(p) for p in section(doc, "analyse-criteres").xpath(".//p[@class='critere-vide']")]
    assert empty == ["Couverture des axes — 15,00 points : pas encore noté par la commission, pour aucune offre "
                     "(l'outil ne suggère pas de niveau pour ce sous-critère)."]


def test_timeline_lists_dated_actions_with_their_expression(doc: Any) -> None:
    part = section(doc, "calendrier")
    alpha = part.xpath('.//h3[@id="offre-alpha-calendrier"]/following-sibling::table[1]/tbody/tr')
    assert [text_of(td) for td in alpha[0].xpath("./td")] == [
        "1", "2027", "d'ici 2027", "Réduire de 30 % les émissions de transport d'ici 2027.",
        "offres/alpha/memoire.pdf, page 4, § 17 Voir",
    ]
    assert alpha[0].xpath(".//a")[0].get("href") == "#offre-alpha-signal-planning_precis"
    beta = part.xpath('.//h3[@id="offre-beta-calendrier"]/following-sibling::table[1]/tbody/tr')
    assert [text_of(td) for td in beta[0].xpath("./td")][1:3] == ["Notification", "dès la notification"]
    gamma = part.xpath('.//h3[contains(@id, "offre-gamma-calendrier")]/following-sibling::p[1]')[0]
    assert text_of(gamma) == "Aucune action datée ou séquencée relevée dans cette offre."


def test_timeline_charts_are_inline_svg_one_dot_per_action(doc: Any) -> None:
    charts = section(doc, "calendrier").xpath(".//figure/svg")
    titles = [text_of(svg.xpath("./title")[0]) for svg in charts]
    assert titles == ["Échéances comptées à partir de la notification du marché", "Échéances datées"]
    assert [len(svg.xpath(".//circle")) for svg in charts] == [1, 1]
    lanes = [text_of(t) for t in charts[1].xpath(".//text[@class='etiquette']")]
    assert lanes == ["Alpha Textiles SAS"]


def test_regulatory_section_quotes_the_evidence(doc: Any) -> None:
    part = section(doc, "reglementation")
    rows = [[text_of(c) for c in tr.xpath("./th | ./td")] for tr in part.xpath(".//table/tbody/tr")]
    assert rows[0] == ["Alpha Textiles SAS alpha", "○ Non — 0 passage(s)", "○ Oui — 1 passage(s)", "—"]
    links = part.xpath(".//table/tbody/tr[1]/td/a")
    assert [a.get("href") for a in links] == ["#offre-alpha-signal-depassement_reglementaire",
                                              "#offre-alpha-signal-conformite_seule"]
    quotes = [text_of(li) for li in part.xpath(".//ul[@class='preuves']/li")]
    assert "Réduire de 30 % les émissions de transport d'ici 2027. offres/alpha/memoire.pdf, page 4, § 17" in quotes


REGULATION = {
    "id": "agec-recycle",
    "libelle": "Loi AGEC, article 58",
    "source": "Décret n° 2021-254, article 1er",
    "depassement": True,
    "preuves": [{"texte": "nous nous engageons à porter cette part de 20 % à 35 %",
                 "fichier": "offres/alpha/memoire.pdf", "page": 5, "paragraphe": 21}],
}


def with_alpha(ctx: ReportContext, alpha: OfferAnalysis) -> ReportContext:
    analysis = ctx.analysis.model_copy(update={"offres": {**ctx.analysis.offres, "alpha": alpha}})
    return dataclasses.replace(ctx, analysis=analysis)


@pytest.mark.skipif("reglementation" not in OfferAnalysis.model_fields,
                    reason="analyse.json n'a pas encore de clé « reglementation » dans ce modèle")
def test_legal_minimums_are_shown_with_the_regulatory_claims(ctx: ReportContext) -> None:
    alpha = OfferAnalysis.model_validate({**ctx.analysis.offres["alpha"].model_dump(), "reglementation": [REGULATION]})
    doc = lxml.html.document_fromstring(render_html(with_alpha(ctx, alpha)))
    part = section(doc, "reglementation")
    heading = part.xpath(".//h4[text()=\"Minimums légaux cités par l'offre\"]")
    assert len(heading) == 1
    block = heading[0].getnext()
    assert text_of(block.xpath(".//p[@class='bloc-titre']")[0]) == "Loi AGEC, article 58"
    fields = dict(zip([text_of(d) for d in block.xpath(".//dt")], [text_of(d) for d in block.xpath(".//dd")],
                      strict=True))
    assert fields == {"Texte qui fixe le minimum": "Décret n° 2021-254, article 1er",
                      "Position de l'offre": "au-delà du minimum légal"}
    row = part.xpath(".//table/tbody/tr[1]/td")[-1]
    assert text_of(row) == "1" and row.xpath("./a")[0].get("href") == "#offre-alpha-constat-reglementation"
    assert text_of(block.xpath(".//cite")[0]) == "offres/alpha/memoire.pdf, page 5, § 21"


class _OfferWithNewDetection(OfferAnalysis):
    """analyse.json with a key this version of the report does not know yet."""

    nouvelle_detection: list[dict[str, Any]]


def test_unknown_additive_key_is_shown_field_by_field(ctx: ReportContext) -> None:
    base = ctx.analysis.offres["alpha"].model_dump()
    alpha = _OfferWithNewDetection(**base, nouvelle_detection=[{
        "libelle": "Engagement chiffré", "valeur": 35.5, "confiance": 0.9, "ferme": True,
        "preuve": {"texte": "35,5 % de matière recyclée", "fichier": "offres/alpha/memoire.pdf", "page": 5,
                   "paragraphe": 22},
    }])
    doc = lxml.html.document_fromstring(render_html(with_alpha(ctx, alpha)))
    article = doc.xpath('//article[@id="offre-alpha"]')[0]
    heading = article.xpath('.//h4[@id="offre-alpha-constat-nouvelle_detection"]')[0]
    assert text_of(heading) == "Nouvelle detection"
    block = heading.getnext()
    assert text_of(block.xpath(".//p[@class='bloc-titre']")[0]) == "Engagement chiffré"
    fields = [(text_of(dt), text_of(dd)) for dt, dd in zip(block.xpath(".//dt"), block.xpath(".//dd"), strict=True)]
    assert fields == [("Valeur", "35,5"), ("Confiance", "90 %"), ("Ferme", "Oui")]
    assert text_of(block.xpath(".//cite")[0]) == "offres/alpha/memoire.pdf, page 5, § 22"
    vigilance = text_of(doc.xpath('//section[@id="forces"]//div[@class="vigilance"]')[0])
    assert "Nouvelle detection : 1 constat(s) de l'analyse à examiner" in vigilance


def test_absent_optional_key_adds_nothing(doc: Any) -> None:
    assert not section(doc, "reglementation").xpath(".//dl")


def test_strengths_and_weaknesses_are_derived_and_linked(doc: Any) -> None:
    part = section(doc, "forces")
    assert "Dérivées automatiquement." in text_of(part.xpath("./p[@class='avis']")[0])
    cards = part.xpath("./div[@class='appreciation']")
    assert [text_of(c.xpath("./h3")[0]) for c in cards][1] == "Beta & Fils (beta) — rang 2, 70,00 points"
    beta = cards[1]
    forces = [text_of(li) for li in beta.xpath(".//div[@class='forces']//li")]
    assert "Prix le plus bas des offres (118 000,00 € HT) Voir" not in forces  # flagged abnormally low
    vigilance = [text_of(li) for li in beta.xpath(".//div[@class='vigilance']//li")]
    assert vigilance[0].startswith("Document(s) à vérifier à la main")
    assert vigilance[1].startswith("Prix potentiellement anormalement bas")
    link = beta.xpath(".//div[@class='vigilance']//li[2]/a")[0]
    assert link.get("href") == "#demande-beta"
    alpha_weak = [text_of(li) for li in cards[0].xpath(".//div[@class='faiblesses']//li")]
    assert "Élément(s) du plan absent(s) : Actions de l'acheteur et Partage des gains Voir" in alpha_weak


def test_price_section_gives_amounts_gap_points_and_the_rule(doc: Any) -> None:
    part = section(doc, "prix")
    rows = [[text_of(c) for c in tr.xpath("./th | ./td")] for tr in part.xpath(".//table/tbody/tr")]
    assert rows[0] == ["1", "Alpha Textiles SAS alpha", "125 000,00 €", "+5,9 %", "37,76 / 40,00", "Non"]
    assert rows[1][:5] == ["2", "Beta & Fils beta", "118 000,00 €", "—", "40,00 / 40,00"]
    assert rows[1][5].startswith("Oui : prix inférieur à 80 % de la moyenne réduite")
    assert rows[2][2] == "Non communiqué"
    facts = text_of(part.xpath(".//dl")[0])
    assert "Moins de trois offres chiffrées : la règle statistique ne s'applique pas." in facts
    assert "Montant HT" in text_of(part.xpath(".//thead")[0])


def test_abnormally_low_flag_links_to_the_draft_request(doc: Any) -> None:
    links = {a.get("href") for a in doc.xpath("//a[contains(., 'demande de précisions')]")}
    assert links == {"#demande-beta"}
    request = doc.xpath('//*[@id="demande-beta"]')[0]
    assert "Le montant de l'offre remise par Beta & Fils paraît anormalement bas" in text_of(request)
    assert "resultats/demande-precisions-beta.txt" in text_of(request)


def test_sensitivity_is_written_in_french_sentences(doc: Any) -> None:
    rows = [[text_of(c) for c in tr.xpath("./*")] for tr in doc.xpath('//table[@class="sensibilite"]/tbody/tr')]
    assert rows[0] == ["Écart entre les deux premières offres",
                       "9,01 point(s) séparent l'offre classée première de l'offre classée deuxième."]
    assert rows[1][0] == "Poids du critère « Prix »"
    assert "l'offre « Beta & Fils » (beta) rejoindrait l'offre « Alpha Textiles SAS » (alpha)" in rows[1][1]
    assert "ecart_premier_second" not in text_of(doc.xpath("//body")[0])


def test_annex_lists_every_document_with_its_full_hash(doc: Any, payloads: Any) -> None:
    rows = section(doc, "annexe-documents").xpath(".//tbody/tr")
    assert len(rows) == 4
    first = [text_of(c) for c in rows[0].xpath("./th | ./td")]
    assert first == ["Alpha Textiles SAS alpha", "offres/alpha/memoire.pdf", "Lu", "12", payloads.sha_alpha]
    statuses = [text_of(r.xpath("./td")[1]) for r in rows]
    assert "Sans texte exploitable : document scanné sans texte" in statuses


def test_partial_totals_are_announced(ctx: ReportContext) -> None:
    offers = {}
    for key, offer in ctx.ranking.offres.items():
        plan = offer.notes["plan"]
        subs = {k: v.model_copy(update={"niveau": None, "niveau_agrege": None})
                for k, v in plan.sous_criteres.items()}
        offers[key] = offer.model_copy(update={"notes": {"plan": plan.model_copy(update={"sous_criteres": subs})}})
    doc = lxml.html.document_fromstring(render_html(dataclasses.replace(
        ctx, ranking=ctx.ranking.model_copy(update={"offres": offers}))))
    alerts = [text_of(p) for p in section(doc, "synthese").xpath("./p[@class='alerte']")]
    assert any(a.startswith("⚠ Totaux partiels.") or a.startswith("Totaux partiels.") for a in alerts)
    assert any("Plan de progrès" in a for a in alerts)

"""A small synthetic consultation: three offers, one of them written by a hostile bidder."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from evaluation.model import AnalysisResult, Consultation, Grid, Ranking
from evaluation.reporting import ReportContext

SCRIPT = "<script>alert(1)</script>"
JS_URL = "javascript:alert(document.cookie)"
FORMULA = '=HYPERLINK("http://x","clic")'
AT_FORMULA = "@SUM(A1)"
HOSTILE_NAME = f"{SCRIPT} Gamma {JS_URL}"
TAB_FORMULA = "\t=1+2"
PLUS_FORMULA = "+33 6 12 34 56 78"
MINUS_FORMULA = "-2+3+cmd|' /C calc'!A0"
SPACE_FORMULA = "  =SUM(1;2)"
RLO = "\u202e"
BIDI_TEXT = f"Prix garanti {RLO}cba\u202c et \u2067isolé\u2069 fin"
BIDI_CLEAN = "Prix garanti cba et isolé fin"
CONTROL_TEXT = "Texte\x0bavec un caractère de contrôle"
HOSTILE_JUSTIFICATION = f"{TAB_FORMULA} {BIDI_TEXT} {SCRIPT}\x07"
SHA_ALPHA = "a1" * 32
SHA_BETA = "b2" * 32
SHA_GAMMA = "c3" * 32

AXIS_LABELS = {
    "decarbonation": "Décarbonation",
    "emballages_dechets": "Emballages et déchets",
}
ELEMENT_LABELS = {
    "objectifs": "Objectifs",
    "indicateurs": "Indicateurs",
    "actions_titulaire": "Actions du titulaire",
    "actions_acheteur": "Actions de l'acheteur",
    "moyens": "Moyens",
    "calendrier": "Calendrier",
    "partage_gains": "Partage des gains",
}


def grid() -> Grid:
    level_labels = [
        "Absent", "Insuffisant", "Partiellement satisfaisant", "Satisfaisant", "Très satisfaisant",
    ]
    return Grid.model_validate({
        "id": "plan-test",
        "version": 2,
        "libelle": "Grille d'essai du plan de progrès",
        "echelle": [
            {"niveau": i, "libelle": label, "descripteur": f"Descripteur du niveau {i}."}
            for i, label in enumerate(level_labels)
        ],
        "criteres": [
            {
                "id": "plan",
                "libelle": "Plan de progrès",
                "poids": "60",
                "sous_criteres": [
                    {"id": "objectifs", "libelle": "Objectifs chiffrés", "poids": "50",
                     "signal": {"type": "element", "element": "objectifs"},
                     "descripteurs": {4: "Objectifs chiffrés, datés et mesurables."}},
                    {"id": "calendrier", "libelle": "Calendrier des actions", "poids": "25",
                     "signal": {"type": "planning_precis"}},
                    {"id": "axes", "libelle": "Couverture des axes", "poids": "25",
                     "signal": {"type": "axes"}},
                ],
            },
            {
                "id": "prix",
                "libelle": "Prix",
                "poids": "40",
                "prix": {"methode": "proportionnelle",
                         "offre_anormalement_basse": {"regle": "moyenne_reduite", "seuil": "0.8"}},
            },
        ],
    })


def consultation() -> Consultation:
    return Consultation.model_validate({
        "reference": "2026-VET-01",
        "objet": "Fourniture de vêtements professionnels écoresponsables",
        "acheteur": "Centrale d'achat de l'Ouest",
        "grille": "plan-test.v2",
        "axes": [
            "decarbonation",
            "emballages_dechets",
            {"id": "circuits_courts", "libelle": "Circuits courts", "description": "Approvisionnement local.",
             "termes": ["circuit court"]},
        ],
        "offres": {
            "alpha": {"soumissionnaire": "Alpha Textiles SAS", "prix": "125000.00"},
            "beta": {"soumissionnaire": "Beta & Fils", "prix": "118000.00"},
            "gamma": {"soumissionnaire": "Gamma"},
        },
    })


def evidence(texte: str, fichier: str, page: int | None, paragraphe: int) -> dict[str, Any]:
    return {"texte": texte, "fichier": fichier, "page": page, "paragraphe": paragraphe}


def offer_analysis(
    name: str,
    *,
    documents: list[dict[str, Any]],
    present: set[str],
    axes: dict[str, str],
    quote: dict[str, Any],
    a_verifier: bool = False,
) -> dict[str, Any]:
    return {
        "soumissionnaire": name,
        "a_verifier": a_verifier,
        "documents": documents,
        "elements": {
            e: {"present": e in present, "confiance": 0.93 if e in present else 0.2,
                "preuves": [quote] if e in present else []}
            for e in ELEMENT_LABELS
        },
        "axes": {
            a: {"couvert": state == "couvert", "mentionne": state != "absent", "confiance": 0.88,
                "preuves": [] if state == "absent" else [quote]}
            for a, state in axes.items()
        },
        "planning_precis": {
            "valeur": "calendrier" in present, "preuves": [quote] if "calendrier" in present else [],
        },
        "depassement_reglementaire": {"valeur": False, "preuves": []},
        "conformite_seule": {"valeur": True, "preuves": [quote]},
        "engagement": {"valeur": "ferme", "preuves": [quote]},
        "niveaux_suggeres": {
            "objectifs": {"niveau": 3, "explication": "Objectifs chiffrés pour deux axes sur trois.",
                          "preuves": [quote]},
            "calendrier": {"niveau": 2, "explication": "Quelques échéances seulement."},
        },
    }


def analysis() -> AnalysisResult:
    alpha_quote = evidence(
        "Réduire de 30 % les émissions de transport d'ici 2027.", "offres/alpha/memoire.pdf", 4, 17
    )
    beta_quote = evidence(
        "Nous livrerons en vélo-cargo dès la notification.", "offres/beta/memoire.txt", None, 3
    )
    gamma_quotes = [
        evidence(SCRIPT, "offres/gamma/memoire.docx", 2, 5),
        evidence(JS_URL, "offres/gamma/memoire.docx", 2, 6),
        evidence(FORMULA, "offres/gamma/memoire.docx", 3, 7),
        evidence(AT_FORMULA, "offres/gamma/memoire.docx", 3, 8),
        evidence(CONTROL_TEXT, "offres/gamma/memoire.docx", 3, 9),
        evidence(TAB_FORMULA, "offres/gamma/memoire.docx", 3, 10),
        evidence(PLUS_FORMULA, "offres/gamma/memoire.docx", 3, 11),
        evidence(MINUS_FORMULA, "offres/gamma/memoire.docx", 3, 12),
        evidence(SPACE_FORMULA, "offres/gamma/memoire.docx", 3, 13),
        evidence(BIDI_TEXT, "offres/gamma/memoire.docx", 3, 14),
    ]
    gamma = offer_analysis(
        HOSTILE_NAME,
        documents=[{"fichier": "offres/gamma/memoire.docx", "sha256": SHA_GAMMA, "statut": "ok",
                    "motif": None, "pages": 3, "mots": 800}],
        present={"objectifs"},
        axes={"decarbonation": "mentionne", "emballages_dechets": "absent", "circuits_courts": "absent"},
        quote=gamma_quotes[0],
    )
    gamma["engagement"]["preuves"] = gamma_quotes
    return AnalysisResult.model_validate({
        "reference": "2026-VET-01",
        "grille": "plan-test.v2",
        "versions": {"outil": "0.1.0", "grille": "plan-test.v2", "modele": "fr-plan-progres 1.0"},
        "axes_demandes": ["decarbonation", "emballages_dechets", "circuits_courts"],
        "offres": {
            "alpha": offer_analysis(
                "Alpha Textiles SAS",
                documents=[{"fichier": "offres/alpha/memoire.pdf", "sha256": SHA_ALPHA, "statut": "ok",
                            "motif": None, "pages": 12, "mots": 5400}],
                present={"objectifs", "indicateurs", "actions_titulaire", "moyens", "calendrier"},
                axes={
                    "decarbonation": "couvert",
                    "emballages_dechets": "couvert",
                    "circuits_courts": "mentionne",
                },
                quote=alpha_quote,
            ),
            "beta": offer_analysis(
                "Beta & Fils",
                documents=[
                    {"fichier": "offres/beta/memoire.txt", "sha256": SHA_BETA, "statut": "partiel",
                     "motif": "page 7 illisible", "pages": None, "mots": 2100},
                    {"fichier": "offres/beta/annexe.pdf", "sha256": "d4" * 32, "statut": "sans_texte",
                     "motif": "document scanné sans texte", "pages": 4, "mots": 0},
                ],
                present={"objectifs", "calendrier"},
                axes={
                    "decarbonation": "couvert",
                    "emballages_dechets": "mentionne",
                    "circuits_courts": "absent",
                },
                quote=beta_quote,
                a_verifier=True,
            ),
            "gamma": gamma,
        },
    })


def sub_score(libelle: str, niveau: int | None, points: str, points_max: str, source: str) -> dict[str, Any]:
    score: dict[str, Any] = {
        "libelle": libelle, "niveau": niveau, "points": points, "points_max": points_max,
        "source": source, "justification": f"Justification : {libelle.lower()}.",
    }
    if source == "evaluateurs":  # two members who disagree, then the chair's consensus
        score["evaluateurs"] = {
            "B. Durand": {"niveau": 1, "justification": "Objectifs peu chiffrés (p. 2)."},
            "A. Martin": {"niveau": 4, "justification": f"Objectifs datés et mesurables {FORMULA}"},
        }
        score["desaccord"] = True
        score["consensus"] = {"niveau": niveau, "justification": "Objectifs chiffrés mais non datés.",
                              "auteur": "La présidente"}
    return score


def offer_ranking(
    name: str, plan: tuple[str, str, str], sources: tuple[str, str, str], price: tuple[str, str, bool] | None,
    total: str, rang: int | None, a_verifier: bool = False, justification: str | None = None,
) -> dict[str, Any]:
    plan_points = sum((Decimal(p) for p in plan), Decimal(0))
    result = _offer_ranking(name, plan, sources, price, total, rang, a_verifier, plan_points)
    if justification is not None:  # a bidder's words quoted back by the commission
        result["notes"]["plan"]["sous_criteres"]["objectifs"]["justification"] = justification
    return result


def _offer_ranking(
    name: str, plan: tuple[str, str, str], sources: tuple[str, str, str], price: tuple[str, str, bool] | None,
    total: str, rang: int | None, a_verifier: bool, plan_points: Decimal,
) -> dict[str, Any]:
    return {
        "soumissionnaire": name,
        "a_verifier": a_verifier,
        "notes": {
            "plan": {
                "libelle": "Plan de progrès",
                "points": f"{plan_points:.2f}",
                "points_max": "60.00",
                "sous_criteres": {
                    "objectifs": sub_score("Objectifs chiffrés", 3, plan[0], "30.00", sources[0]),
                    "calendrier": sub_score("Calendrier des actions", 2, plan[1], "15.00", sources[1]),
                    "axes": sub_score("Couverture des axes", None, plan[2], "15.00", sources[2]),
                },
            },
        },
        "prix": None if price is None else {
            "montant": price[0], "points": price[1], "points_max": "40.00", "methode": "proportionnelle",
            "anormalement_bas": price[2],
            "regle": "prix inférieur à 80 % de la moyenne réduite" if price[2] else None,
            "demande_precisions": REQUEST_TEXT.format(name=name) if price[2] else None,
        },
        "total": total,
        "rang": rang,
    }


REQUEST_TEXT = (
    "Objet : consultation 2026-VET-01 — demande de précisions sur le prix de votre offre\n\n"
    "Madame, Monsieur,\n\n"
    "Le montant de l'offre remise par {name} paraît anormalement bas (article R2152-3).\n\n"
    "Votre offre ne sera écartée, le cas échéant, qu'après examen de vos justifications.\n"
)


def ranking() -> Ranking:
    return Ranking.model_validate({
        "reference": "2026-VET-01",
        "grille": "plan-test.v2",
        "versions": {"outil": "0.1.0", "grille": "plan-test.v2"},
        "source_des_notes": "suggestion",
        "provisoire": True,
        "offres": {
            # Inserted out of rank order on purpose: the report must sort.
            "gamma": offer_ranking(HOSTILE_NAME, ("22.50", "0.00", "0.00"), ("suggestion",) * 3, None,
                                   "22.50", None, justification=HOSTILE_JUSTIFICATION),
            "beta": offer_ranking("Beta & Fils", ("15.00", "7.50", "7.50"),
                                  ("evaluateurs", "suggestion", "suggestion"),
                                  ("118000.00", "40.00", True), "70.00", 2, a_verifier=True),
            "alpha": offer_ranking("Alpha Textiles SAS", ("30.00", "11.25", "0.00"), ("suggestion",) * 3,
                                   ("125000.00", "37.76", False), "79.01", 1),
        },
        "avertissements": [
            "Prix absent dans consultation.yaml pour : gamma ; ces offres ne sont pas classées.",
            f"Avertissement hostile : {SCRIPT}",
        ],
        "sensibilite": {
            "ecart_premier_second": "9.01",
            "poids_prix": "Si le poids du critère « Prix » passait de 40 à 70 points (+30), l'offre « beta » "
                          "rejoindrait l'offre « alpha » en tête.",
        },
    })


def make_context(date: str | None = None, provisoire: bool = True) -> ReportContext:
    labels = dict(AXIS_LABELS)
    return ReportContext(
        consultation=consultation(),
        grid=grid(),
        analysis=analysis(),
        ranking=ranking().model_copy(update={"provisoire": provisoire}),
        axis_labels=labels,
        element_labels=dict(ELEMENT_LABELS),
        date=date,
    )


@pytest.fixture
def ctx() -> ReportContext:
    return make_context()


@pytest.fixture
def final_ctx() -> ReportContext:
    """The same consultation once the commission has set every score: the ranking is final."""
    return make_context(date="2026-03-15", provisoire=False)


@pytest.fixture
def make_ctx() -> Callable[..., ReportContext]:
    """Factory for variants: `make_ctx(date=..., provisoire=...)`."""
    return make_context


@pytest.fixture
def payloads() -> SimpleNamespace:
    """The hostile strings planted in the synthetic context, and the labels a report must show."""
    return SimpleNamespace(
        script=SCRIPT, js_url=JS_URL, formula=FORMULA, at_formula=AT_FORMULA, hostile_name=HOSTILE_NAME,
        tab_formula=TAB_FORMULA, plus_formula=PLUS_FORMULA, minus_formula=MINUS_FORMULA,
        space_formula=SPACE_FORMULA, bidi_text=BIDI_TEXT, bidi_clean=BIDI_CLEAN, control_text=CONTROL_TEXT,
        sha_alpha=SHA_ALPHA, axis_labels={**AXIS_LABELS, "circuits_courts": "Circuits courts"},
        element_labels=ELEMENT_LABELS,
    )


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdfium2 extracts it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    """The synthetic consultation printed as PDF once per run (a few seconds); skipped without Pango."""
    from evaluation.reporting.pdf import PdfUnavailable, render_pdf

    try:
        return render_pdf(make_context(date="2026-03-15"))
    except PdfUnavailable as exc:
        pytest.skip(f"PDF impossible sur cette machine : {exc}")


@pytest.fixture(scope="session")
def report_pdf_pages(report_pdf: bytes) -> list[str]:
    """Text of each page of `report_pdf`, whitespace collapsed."""
    return [" ".join(page.split()) for page in pdf_pages(report_pdf)]

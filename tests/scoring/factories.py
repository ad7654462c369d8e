"""A small consultation on the bundled award grid, with a synthetic analysis (no language model needed)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from evaluation.model import AnalysisResult
from evaluation.model.folder import ConsultationFolder, open_folder

FORMULA = '=HYPERLINK("http://exemple.invalid","clic")'
PLAN = ("objectifs_indicateurs", "actions_moyens", "calendrier_actions", "depassement_reglementaire",
        "axes_couverts", "partage_gains")
TECHNICAL = ("methodologie", "moyens_humains")
SUBS = TECHNICAL + PLAN  # the order of the rows in an offer sheet
FIRST_ROW = 6
ROW = {sub: FIRST_ROW + i for i, sub in enumerate(SUBS)}

CONSULTATION = """reference: 2026-TEST-05
objet: Nettoyage écoresponsable des locaux
acheteur: Ville d'Essai
grille: attribution-complete.v1
axes: [emballages_dechets, transport_logistique]
prix_exprimes: HT
offres:
  alpha: {soumissionnaire: Alpha Propreté SAS, prix: 100000.00}
  beta: {soumissionnaire: Beta Services SARL, prix: 110000.00}
  gamma: {soumissionnaire: Gamma Nettoyage SA, prix: 150000.00}
evaluateurs: [A. Martin, B. Durand]
"""


def fixed_clock() -> Callable[[], str]:
    """One second per call, so journal entries are predictable."""
    seconds = itertools.count()

    def now() -> str:
        n = next(seconds)
        return f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}+00:00"

    return now


def evidence(texte: str, paragraphe: int) -> dict[str, Any]:
    return {"texte": texte, "fichier": "offres/x/memoire.txt", "page": None, "paragraphe": paragraphe}


def offer_analysis(name: str, levels: dict[str, int], *, readable: bool = True) -> dict[str, Any]:
    flag = {"valeur": False, "preuves": []}
    quote = evidence(FORMULA if name.startswith("Gamma") else "Nous réduirons de 30 % nos émissions d'ici 2027.", 4)
    return {
        "soumissionnaire": name,
        "a_verifier": not readable,
        "documents": [{"fichier": "offres/x/memoire.txt", "sha256": "a" * 64,
                       "statut": "ok" if readable else "rejete", "motif": None if readable else "illisible",
                       "pages": None, "mots": 100 if readable else 0}],
        "elements": {},
        "axes": {},
        "planning_precis": flag,
        "depassement_reglementaire": flag,
        "conformite_seule": flag,
        "engagement": {"valeur": "ferme", "preuves": []},
        "niveaux_suggeres": {
            sub: {"niveau": level, "explication": f"Suggestion pour {sub}.", "preuves": [quote]}
            for sub, level in levels.items()
        },
    }


def analysis_for(reference: str = "2026-TEST-05", *, beta_readable: bool = True) -> AnalysisResult:
    return AnalysisResult.model_validate({
        "reference": reference,
        "grille": "attribution-complete.v1",
        "versions": {"outil": "0.1.0", "grille": "attribution-complete.v1", "modele": "aucun"},
        "axes_demandes": ["emballages_dechets", "transport_logistique"],
        "offres": {
            "alpha": offer_analysis("Alpha Propreté SAS", dict.fromkeys(PLAN, 3)),
            "beta": offer_analysis("Beta Services SARL", dict.fromkeys(PLAN, 2), readable=beta_readable),
            "gamma": offer_analysis("Gamma Nettoyage SA", dict.fromkeys(PLAN, 4)),
        },
    })


def make_folder(root: Path, consultation: str = CONSULTATION, *, beta_readable: bool = True) -> ConsultationFolder:
    root.mkdir(parents=True, exist_ok=True)
    (root / "consultation.yaml").write_text(consultation, encoding="utf-8")
    for offer in ("alpha", "beta", "gamma"):
        (root / "offres" / offer).mkdir(parents=True, exist_ok=True)
    folder = open_folder(root)
    analysis = analysis_for(folder.consultation.reference, beta_readable=beta_readable)
    (root / "resultats").mkdir(exist_ok=True)
    (root / "resultats" / "analyse.json").write_text(
        json.dumps(analysis.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    return folder


Scores = dict[tuple[str, str], tuple[object, object]]


def fill(path: Path, scores: Scores) -> None:
    """Fill score cells as an evaluator would: `{(sheet, sub): (level, justification)}`."""
    wb = load_workbook(path)
    for (sheet, sub), (level, text) in scores.items():
        ws = wb[sheet]
        ws.cell(row=ROW[sub], column=8).value = level
        ws.cell(row=ROW[sub], column=9).value = text
    wb.save(path)


def all_scores(level: int, text: str = "Réponse précise et vérifiable dans le mémoire.") -> Scores:
    return {(offer, sub): (level, text) for offer in ("alpha", "beta", "gamma") for sub in SUBS}

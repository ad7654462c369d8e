"""Totals and ranking from consensus, evaluators' aggregate or suggestions, in exact arithmetic."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from evaluation.model import AnalysisResult
from evaluation.model.folder import ConsultationFolder
from evaluation.scoring import compute_ranking, fmt, load_commission_scores, rank_from_suggestions
from evaluation.store import ConsensusRow, NoteRow, Store

from .factories import CONSULTATION, SUBS, analysis_for, make_folder

TEXT = "Réponse précise et vérifiable dans le mémoire."
EVALUATORS = ("A. Martin", "B. Durand")


def score(store: Store, offer: str, sub: str, levels: dict[str, int]) -> None:
    store.sync_offers({"alpha": "Alpha", "beta": "Beta", "gamma": "Gamma"}, auteur="t")
    for name, level in levels.items():
        store.ensure_evaluator(name, auteur="t")
        store.set_note(NoteRow(offer, sub, name, level, TEXT), auteur="t")


def score_all(store: Store, levels: dict[str, int]) -> None:
    for offer, level in levels.items():
        for sub in SUBS:
            score(store, offer, sub, dict.fromkeys(EVALUATORS, level))


def rank(folder: ConsultationFolder, analysis: AnalysisResult, store: Store):  # type: ignore[no-untyped-def]
    return compute_ranking(folder, analysis, load_commission_scores(store))


def test_suggestions_only_give_a_provisional_ranking(folder: ConsultationFolder, analysis: AnalysisResult) -> None:
    ranking = rank_from_suggestions(folder, analysis)
    assert ranking.provisoire and ranking.source_des_notes == "suggestion"
    methodologie = ranking.offres["alpha"].notes["valeur_technique"].sous_criteres["methodologie"]
    assert methodologie.niveau is None and methodologie.points == "0.00"
    assert any("Notes issues des niveaux suggérés" in w for w in ranking.avertissements)


def test_commission_scores_give_exact_totals_and_ranks(folder: ConsultationFolder, analysis: AnalysisResult,
                                                       store: Store) -> None:
    score_all(store, {"alpha": 2, "beta": 3, "gamma": 4})
    ranking = rank(folder, analysis, store)
    # Technical: 60 x level / 4. Price (proportional, 40): 40, 40 x 100/110, 40 x 100/150.
    totals = {"alpha": Fraction(30 + 40), "beta": 45 + Fraction(400, 11), "gamma": 60 + Fraction(80, 3)}
    assert {k: o.total for k, o in ranking.offres.items()} == {k: fmt(v) for k, v in totals.items()}
    assert {k: o.total for k, o in ranking.offres.items()} == {"alpha": "70.00", "beta": "81.36", "gamma": "86.67"}
    assert {k: o.rang for k, o in ranking.offres.items()} == {"gamma": 1, "beta": 2, "alpha": 3}
    assert not ranking.provisoire and ranking.source_des_notes == "evaluateurs"
    assert ranking.sensibilite["ecart_premier_second"] == fmt(totals["gamma"] - totals["beta"]) == "5.30"
    assert {"poids_prix", "poids_valeur_technique", "poids_plan_progres", "retrait_d_une_offre"} <= set(
        ranking.sensibilite)


def test_aggregate_keeps_individual_levels_and_exact_points(folder: ConsultationFolder, analysis: AnalysisResult,
                                                            store: Store) -> None:
    score(store, "alpha", "methodologie", {"A. Martin": 2, "B. Durand": 3})
    sub = rank(folder, analysis, store).offres["alpha"].notes["valeur_technique"].sous_criteres["methodologie"]
    # 21 points x (5/2) / 4 = 13.125, rounded half-up only for display
    assert (sub.source, sub.niveau, sub.niveau_agrege, sub.points) == ("evaluateurs", None, "2.50", "13.13")
    assert {k: v.niveau for k, v in sub.evaluateurs.items()} == {"A. Martin": 2, "B. Durand": 3}
    assert not sub.desaccord


def test_median_aggregation(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "c", CONSULTATION.replace("evaluateurs: [A. Martin, B. Durand]",
                                                              "evaluateurs: [A, B, C]"))
    with Store.open(folder.db_path) as store:
        score(store, "alpha", "methodologie", {"A": 0, "B": 1, "C": 4})
        grid = folder.grid.model_copy(update={"agregation": "mediane"})
        median = compute_ranking(ConsultationFolder(**{**vars(folder), "grid": grid}), analysis_for(),
                                 load_commission_scores(store))
    sub = median.offres["alpha"].notes["valeur_technique"].sous_criteres["methodologie"]
    assert (sub.niveau, sub.points, sub.desaccord) == (1, "5.25", True)


def test_consensus_wins_and_resolves_a_disagreement(folder: ConsultationFolder, analysis: AnalysisResult,
                                                   store: Store) -> None:
    score(store, "alpha", "methodologie", {"A. Martin": 1, "B. Durand": 4})
    split = rank(folder, analysis, store)
    assert any("Désaccord entre évaluateurs" in w and "alpha / Méthodologie" in w for w in split.avertissements)
    store.set_consensus(ConsensusRow("alpha", "methodologie", 3, "Méthode claire, planning page 4.", "Présidente"),
                        auteur="t")
    ranking = rank(folder, analysis, store)
    sub = ranking.offres["alpha"].notes["valeur_technique"].sous_criteres["methodologie"]
    assert (sub.source, sub.niveau, sub.points, sub.desaccord) == ("consensus", 3, "15.75", True)
    assert sub.consensus is not None and sub.consensus.auteur == "Présidente"
    assert set(sub.evaluateurs) == set(EVALUATORS)  # individual scores stay visible
    assert not any("Désaccord entre évaluateurs" in w for w in ranking.avertissements)


def test_missing_evaluator_keeps_the_ranking_provisional(folder: ConsultationFolder, analysis: AnalysisResult,
                                                         store: Store) -> None:
    score_all(store, {"alpha": 2, "beta": 3, "gamma": 4})
    store.conn.execute("DELETE FROM notes WHERE offre = 'beta' AND sous_critere = 'partage_gains' "
                       "AND evaluateur = 'B. Durand'")
    ranking = rank(folder, analysis, store)
    assert ranking.provisoire
    assert "Notes manquantes de B. Durand : beta / Partage des gains." in ranking.avertissements


def test_equal_totals_share_a_rank(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "c", CONSULTATION.replace("prix: 110000.00", "prix: 100000.00"))
    with Store.open(folder.db_path) as store:
        score_all(store, {"alpha": 3, "beta": 3, "gamma": 2})
        ranking = compute_ranking(folder, analysis_for(), load_commission_scores(store))
    assert {k: o.rang for k, o in ranking.offres.items()} == {"alpha": 1, "beta": 1, "gamma": 3}
    assert "premier_ex_aequo" in ranking.sensibilite


@pytest.mark.parametrize("scored", [True, False])
def test_unreadable_offer_is_ranked_only_on_commission_scores(tmp_path: Path, scored: bool) -> None:
    folder = make_folder(tmp_path / "c", beta_readable=False)
    with Store.open(folder.db_path) as store:
        score_all(store, {"alpha": 2, "beta": 3, "gamma": 4} if scored else {"alpha": 2, "gamma": 4})
        ranking = compute_ranking(folder, analysis_for(beta_readable=False), load_commission_scores(store))
    assert (ranking.offres["beta"].rang is not None) is scored
    expected = "classée sur les seules notes de la commission" if scored else "ni notée à zéro ni classée"
    assert any(expected in w for w in ranking.avertissements)


GRID = """id: essai-moyenne
version: 1
libelle: Essai de la méthode par rapport à la moyenne
echelle:
  - {niveau: 0, libelle: Absent, descripteur: Rien.}
  - {niveau: 1, libelle: Faible, descripteur: Peu.}
  - {niveau: 2, libelle: Bon, descripteur: Bien.}
criteres:
  - id: prix
    libelle: Prix
    poids: 60
    prix:
      methode: moyenne
      offre_anormalement_basse: {regle: estimation, seuil: 0.8, estimation: 150000}
  - id: technique
    libelle: Technique
    poids: 40
    sous_criteres:
      - {id: methodologie, libelle: Méthodologie, poids: 100, signal: {type: aucun}}
"""


def test_average_price_method_with_estimate_rule(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "grille.yaml").write_text(GRID, encoding="utf-8")
    folder = make_folder(root, CONSULTATION.replace("attribution-complete.v1", "grille.yaml"))
    analysis = analysis_for().model_copy(update={"grille": "essai-moyenne.v1"})
    with Store.open(folder.db_path) as store:
        for offer in ("alpha", "beta", "gamma"):
            score(store, offer, "methodologie", dict.fromkeys(EVALUATORS, 2))
        ranking = compute_ranking(folder, analysis, load_commission_scores(store))
    # Pmoy = 120000; N = 60 x (240000 - P) / 240000
    assert {k: o.prix.points for k, o in ranking.offres.items() if o.prix} == {
        "alpha": "35.00", "beta": "32.50", "gamma": "22.50"}
    alpha = ranking.offres["alpha"].prix
    assert alpha is not None and alpha.anormalement_bas and alpha.methode == "moyenne"
    assert alpha.demande_precisions is not None and "R2152-3" in alpha.demande_precisions
    assert ranking.offres["gamma"].prix is not None and ranking.offres["gamma"].prix.demande_precisions is None
    warnings = " ".join(ranking.avertissements)
    assert "n'obtient que 35 points sur 60" in warnings and "écrase les écarts de prix" in warnings
    assert "R2152-3" in warnings

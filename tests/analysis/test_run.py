"""A whole consultation: analyse.json's additive keys, rules-only fallback, and the process pool."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from evaluation.analysis import analyse
from evaluation.analysis.modelfile import LoadedClassifier
from evaluation.analysis.nlp import load_pipeline
from evaluation.analysis.run import RULES_ONLY, dump_analysis
from evaluation.model.folder import open_folder

CLAUSE = """Les parties détaillent dans le plan de progrès les objectifs, les indicateurs de mesure, les actions à la
charge du titulaire, les actions à la charge de l'acheteur, les moyens et ressources mobilisés par chacune des
parties, le calendrier prévisionnel de chacune des actions et les modalités de partage des éventuels gains.
"""
SHARED = ("Notre démarche de progrès s'appuie sur le cycle d'amélioration continue (planifier, déployer, contrôler, "
          "ajuster) et associe l'ensemble des parties prenantes ; les indicateurs de suivi et leurs valeurs cibles "
          "seront arrêtés conjointement avec {} lors de la phase de lancement.")
OFFERS = {
    "alpha": f"""{SHARED.format("l'acheteur")}

Nous nous engageons à remplacer les cartons à usage unique par des bacs réutilisables consignés pour 80 % des
livraisons à M+12, au-delà de ce qu'impose la loi AGEC.

Les économies réalisées sur les emballages seront partagées à parts égales avec l'acheteur, à chaque bilan semestriel.
""",
    "beta": f"""{SHARED.format("la collectivité")}

Nous respecterons la loi AGEC et ses 20 % de matière recyclée.

{CLAUSE.replace("Les parties détaillent", "Nous détaillerons")}
""",
}
CONSULTATION = """reference: 2026-TEST-04
objet: Essai
acheteur: Ville d'Essai
grille: plan-de-progres-dae.v1
axes: [emballages_dechets, insertion_sociale]
"""


@pytest.fixture(scope="module")
def consultation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consultation")
    (root / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    (root / "clause.md").write_text(CLAUSE, encoding="utf-8")
    for offer, text in OFFERS.items():
        (root / "offres" / offer).mkdir(parents=True)
        (root / "offres" / offer / "memoire.txt").write_text(text, encoding="utf-8")
    return root


def test_pipeline_runs_only_the_components_it_needs() -> None:
    names = load_pipeline().pipe_names
    assert "parser" not in names and "ner" not in names
    assert {"morphologizer", "lemmatizer"} <= set(names)


def test_analysis_with_additive_keys(consultation: Path, nlp: Language, classifier: LoadedClassifier) -> None:
    result = analyse(open_folder(consultation), nlp=nlp, classifier=classifier).result
    assert result.versions["modele"] == classifier.version
    alpha, beta = result.offres["alpha"], result.offres["beta"]
    assert alpha.depassement_reglementaire.valeur is True
    assert beta.conformite_seule.valeur is True and beta.depassement_reglementaire.valeur is False
    assert beta.copies_clause and "Nous détaillerons" in beta.copies_clause[0].texte
    assert [s.offre for s in alpha.passages_communs] == ["beta"]
    assert alpha.passages_communs[0].autre.fichier == "offres/beta/memoire.txt"
    assert {f.id for f in beta.reglementation} == {"agec-achats-reemploi-recycle"}
    assert not beta.reglementation[0].depassement
    assert all(level.nature == "suggestion" for level in alpha.niveaux_suggeres.values())
    for key in ("planning_precis", "depassement_reglementaire", "conformite_seule"):
        flag = getattr(alpha, key)
        assert not flag.valeur or flag.preuves, key


def test_without_a_model_file_the_rules_alone_run(consultation: Path, nlp: Language, tmp_path: Path) -> None:
    result = analyse(open_folder(consultation), nlp=nlp, model=tmp_path / "absent.skops").result
    assert result.versions["modele"] == RULES_ONLY
    assert result.offres["alpha"].elements["partage_gains"].present is True


def test_process_pool_gives_the_same_analysis(consultation: Path, nlp: Language,
                                              classifier: LoadedClassifier) -> None:
    folder = open_folder(consultation)
    one = analyse(folder, nlp=nlp, classifier=classifier).result
    two = analyse(folder, nlp=nlp, classifier=classifier, jobs=2).result
    assert dump_analysis(one) == dump_analysis(two)

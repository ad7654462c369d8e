"""Measuring the analysis against a reference: counts per label, unmatched excerpts, score correlation."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from evaluation.training import LabelScore, measure_quality

MEMOIRE = """Nous nous engageons à remplacer les cartons par des bacs réutilisables consignés
pour 80 % des livraisons à M+12.

Les économies réalisées sur les emballages seront partagées à parts égales avec l'acheteur.

Nous ne proposons pas de partage des gains sur le transport à ce stade.
"""

CONSULTATION = """reference: 2026-TEST-03
objet: Essai
acheteur: Ville d'Essai
grille: plan-de-progres-dae.v1
axes: [emballages_dechets]
"""

LEVELS = "\n".join(
    f"      {sub}: {{niveau: {level}, justification: Justification de référence.}}"
    for sub, level in [("objectifs", 2), ("indicateurs", 1), ("actions_titulaire", 3), ("actions_acheteur", 0),
                       ("moyens", 0), ("calendrier_actions", 2), ("partage_gains", 3), ("planning_precis", 1),
                       ("depassement_reglementaire", 0), ("fermete_engagements", 3), ("axes_couverts", 4)]
)

REFERENCE = f"""grille: plan-de-progres-dae.v1
classement_attendu: [alpha, beta]
offres:
  alpha:
    niveaux:
{LEVELS}
    drapeaux: {{planning_precis: false, depassement_reglementaire: false, conformite_seule: false, engagement: ferme}}
  beta:
    niveaux:
{LEVELS.replace("niveau: 3", "niveau: 1")}
    drapeaux: {{planning_precis: false, depassement_reglementaire: false, conformite_seule: false, engagement: vague}}
annotations:
  - offre: alpha
    extrait: remplacer les cartons par des bacs réutilisables consignés
    elements: [actions_titulaire, calendrier, objectifs]
    axes: [emballages_dechets]
  - offre: alpha
    extrait: Les économies réalisées sur les emballages seront partagées
    elements: [partage_gains]
  - offre: alpha
    extrait: Nous ne proposons pas de partage des gains sur le transport
    piege: negation
  - offre: alpha
    extrait: Cette phrase ne figure dans aucun document de l'offre.
    elements: [moyens]
"""


@pytest.fixture
def consultation(tmp_path: Path) -> Path:
    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    (tmp_path / "reference.yaml").write_text(REFERENCE, encoding="utf-8")
    for offer, text in (("alpha", MEMOIRE), ("beta", "Nous envisageons de réfléchir à nos emballages.\n")):
        (tmp_path / "offres" / offer).mkdir(parents=True)
        (tmp_path / "offres" / offer / "memoire.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_counts_per_label(consultation: Path, nlp: Language) -> None:
    report = measure_quality([consultation], nlp=nlp)
    assert report.elements["partage_gains"] == LabelScore("partage_gains", tp=1, fp=0, fn=0)
    assert report.axes["emballages_dechets"].tp == 1
    assert report.elements["actions_titulaire"].tp == 1
    # the negated sentence is annotated with no label: predicting nothing there is right
    assert report.elements["partage_gains"].fp == 0


def test_unmatched_excerpt_is_reported(consultation: Path, nlp: Language) -> None:
    report = measure_quality([consultation], nlp=nlp)
    assert len(report.unmatched) == 1 and "aucun document" in report.unmatched[0]


def test_nothing_is_written_in_the_consultation(consultation: Path, nlp: Language) -> None:
    before = sorted(p.relative_to(consultation) for p in consultation.rglob("*"))
    measure_quality([consultation], nlp=nlp)
    assert sorted(p.relative_to(consultation) for p in consultation.rglob("*")) == before


def test_scores_compared_per_offer(consultation: Path, nlp: Language) -> None:
    report = measure_quality([consultation], nlp=nlp)
    assert [(c, o) for c, o, _, _ in report.scores] == [(consultation.name, "alpha"), (consultation.name, "beta")]
    suggested = {o: s for _, o, s, _ in report.scores}
    reference = {o: r for _, o, _, r in report.scores}
    assert suggested["alpha"] > suggested["beta"]
    assert reference["alpha"] > reference["beta"]
    assert report.spearman is None  # fewer than three offers


def test_f1_of_a_perfect_and_an_empty_label() -> None:
    assert LabelScore("x", tp=3).f1 == 1.0
    assert LabelScore("x", fp=2).precision == 0.0
    assert LabelScore("x", fn=2).recall == 0.0


def test_offer_level_counts(consultation: Path, nlp: Language) -> None:
    report = measure_quality([consultation], nlp=nlp)
    # alpha: annotated gain-sharing and packaging, both found in analyse.json
    assert report.offer_elements["partage_gains"].tp == 1
    assert report.offer_axes["emballages_dechets"].tp == 1
    # beta: nothing annotated; a vague wish must not be reported as a covered axis
    assert report.offer_axes["emballages_dechets"].fp == 0
    assert report.offer_elements_micro.support == 4  # alpha: actions, calendrier, objectifs, partage_gains


def test_rules_only_measure_without_a_model(consultation: Path, nlp: Language, tmp_path: Path) -> None:
    report = measure_quality([consultation], nlp=nlp, model=tmp_path / "absent.skops")
    assert report.modele == "regles-seules"
    assert report.elements["partage_gains"].tp == 1


def test_labels_of_a_trap_passage_are_not_expected(consultation: Path, nlp: Language) -> None:
    """A conditional passage keeps the labels it would have if firm (annotation convention), but the
    reference does not count it as a commitment: the analysis is right not to count it either."""
    beta = consultation / "offres" / "beta" / "memoire.txt"
    beta.write_text("Nous pourrions étudier le remplacement des cartons par des bacs consignés si le budget le "
                    "permet.\n", encoding="utf-8")
    reference = consultation / "reference.yaml"
    reference.write_text(reference.read_text(encoding="utf-8") + """  - offre: beta
    extrait: Nous pourrions étudier le remplacement des cartons
    elements: [actions_titulaire]
    axes: [emballages_dechets]
    piege: conditionnel
""", encoding="utf-8")
    report = measure_quality([consultation], nlp=nlp)
    assert report.offer_axes["emballages_dechets"] == LabelScore("emballages_dechets", tp=1, fp=0, fn=0)
    assert report.offer_elements["actions_titulaire"] == LabelScore("actions_titulaire", tp=1, fp=0, fn=0)
    assert report.axes["emballages_dechets"].fn == 0


def test_evaluer_command_gives_the_aggregate_and_each_consultation(
        consultation: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from evaluation.cli import app

    other = tmp_path_factory.mktemp("parent") / "autre-consultation"
    shutil.copytree(consultation, other)
    reference = other / "reference.yaml"
    # in the second consultation, the reference also expects a part the analysis cannot find there
    reference.write_text(reference.read_text(encoding="utf-8").replace(
        "elements: [partage_gains]", "elements: [partage_gains, moyens]"), encoding="utf-8")
    result = CliRunner().invoke(app, ["modele", "evaluer", str(consultation), str(other), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    per = data["consultations"]
    assert set(per) == {consultation.name, other.name}
    assert per[consultation.name]["f1_offre"]["elements"] > per[other.name]["f1_offre"]["elements"]
    assert data["offres"]["elements"]["éléments"]["effectif"] == 4 + 5
    text = CliRunner().invoke(app, ["modele", "evaluer", str(consultation), str(other)])
    assert text.exit_code == 0 and "Par consultation" in text.stdout and other.name in text.stdout

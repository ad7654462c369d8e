"""Scoring exercises: the trainee's workbook, its correction against the reference, and the feedback report."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from openpyxl import load_workbook
from spacy.language import Language

from evaluation.errors import InputError
from evaluation.model.folder import open_folder
from evaluation.scoring.importing import WorkbookError
from evaluation.scoring.workbook import export_workbooks
from evaluation.store import Store
from evaluation.training.exercise import EXERCISE_MARKER, list_samples, prepare_exercise, resolve_sample
from evaluation.training.feedback import Feedback, cites, correct_exercise, significant_words
from evaluation.training.report import render_feedback, write_feedback

GRID = """id: essai-formation
version: 1
libelle: Grille d'essai de la formation
echelle:
  - {niveau: 0, libelle: Absent, descripteur: Rien.}
  - {niveau: 1, libelle: Insuffisant, descripteur: Peu.}
  - {niveau: 2, libelle: Partiel, descripteur: En partie.}
  - {niveau: 3, libelle: Satisfaisant, descripteur: L'essentiel.}
  - {niveau: 4, libelle: Très satisfaisant, descripteur: Tout.}
criteres:
  - id: plan
    libelle: Plan de progrès
    poids: 100
    sous_criteres:
      - {id: calendrier, libelle: Calendrier des actions, poids: 50, signal: {type: element, element: calendrier}}
      - {id: axes, libelle: Couverture des axes, poids: 50, signal: {type: axes}}
"""

CONSULTATION = """# Consultation d'entraînement de test
reference: 2026-FORM-01
objet: Exercice de formation
acheteur: Ville d'Essai
grille: grille-essai.yaml
axes: [emballages_dechets]
offres:
  alpha: {soumissionnaire: Alpha SAS}
  beta: {soumissionnaire: Beta SARL}
  gamma: {soumissionnaire: Gamma SA}
evaluateurs: [La Formatrice]
"""

ALPHA_BINS = "Nous remplacerons les cartons par des bacs réutilisables consignés dès le troisième mois."
ALPHA_ROUND = "La tournée du mardi sera regroupée avec celle du jeudi à partir de mars 2027."
BETA_FILMS = "Les films plastiques seront supprimés au cours de la deuxième année du marché."
GAMMA_LIST = "Nous citons la décarbonation, les emballages, la biodiversité et l'insertion."

MEMOIRES = {
    "alpha": f"Présentation de la société Alpha.\n\n{ALPHA_BINS}\n\n{ALPHA_ROUND}\n",
    "beta": f"Présentation de la société Beta.\n\n{BETA_FILMS}\n",
    "gamma": f"Présentation de la société Gamma.\n\n{GAMMA_LIST}\n",
}

REFERENCE = f"""grille: essai-formation.v1
classement_attendu: [alpha, beta, gamma]
offres:
  alpha:
    niveaux:
      calendrier: {{niveau: 4, justification: "Échéances précises : troisième mois, mars 2027."}}
      axes: {{niveau: 3, justification: "Emballages traités par des bacs consignés."}}
    drapeaux: {{planning_precis: true, depassement_reglementaire: false, conformite_seule: false, engagement: ferme}}
  beta:
    niveaux:
      calendrier: {{niveau: 2, justification: "Une seule échéance, la deuxième année."}}
      axes: {{niveau: 2, justification: "Suppression des films plastiques."}}
    drapeaux: {{planning_precis: false, depassement_reglementaire: false, conformite_seule: false, engagement: ferme}}
  gamma:
    niveaux:
      calendrier: {{niveau: 0, justification: "Aucune date."}}
      axes: {{niveau: 1, justification: "Des axes énumérés sans action."}}
    drapeaux: {{planning_precis: false, depassement_reglementaire: false, conformite_seule: false, engagement: vague}}
annotations:
  - offre: alpha
    extrait: "{ALPHA_BINS[:-1]}"
    elements: [actions_titulaire, calendrier]
    axes: [emballages_dechets]
  - offre: alpha
    extrait: "{ALPHA_ROUND[:-1]}"
    elements: [calendrier]
    axes: [transport_logistique]
  - offre: beta
    extrait: "{BETA_FILMS[:-1]}"
    elements: [actions_titulaire, calendrier]
    axes: [emballages_dechets]
  - offre: gamma
    extrait: "{GAMMA_LIST[:-1]}"
    piege: enumeration
"""

ROW = {"calendrier": 6, "axes": 7}
QUOTING = "Calendrier net : les bacs réutilisables consignés arrivent dès le troisième mois."
PLAIN = "Réponse précise et vérifiable dans le mémoire."
#: offer → sub-criterion → (level, justification); reference levels: alpha 4/3, beta 2/2, gamma 0/1
FILLED = {
    "alpha": {"calendrier": (4, QUOTING), "axes": (1, "Un seul axe traité, sans précision utile.")},
    "beta": {"calendrier": (4, PLAIN), "axes": (2, PLAIN)},
    "gamma": {"calendrier": (0, PLAIN), "axes": (1, PLAIN)},
}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "exemple"
    (root / "offres").mkdir(parents=True)
    (root / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    (root / "grille-essai.yaml").write_text(GRID, encoding="utf-8")
    (root / "reference.yaml").write_text(REFERENCE, encoding="utf-8")
    (root / "LISEZMOI.md").write_text("Les réponses : alpha devant beta.\n", encoding="utf-8")
    (root / "clause.md").write_text("Article 12 : plan de progrès.\n", encoding="utf-8")
    for offer, text in MEMOIRES.items():
        (root / "offres" / offer).mkdir()
        (root / "offres" / offer / "memoire.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def exercise(sample: Path, tmp_path: Path) -> Path:
    """The trainee's workbook of an exercise without help."""
    done = prepare_exercise(sample, "Marie Dupont", tmp_path / "exercice", aide=False)
    return done.classeur


def fill(path: Path, values: dict[str, dict[str, tuple[int, str]]]) -> None:
    wb = load_workbook(path)
    for offer, subs in values.items():
        for sub, (level, text) in subs.items():
            wb[offer].cell(row=ROW[sub], column=8).value = level
            wb[offer].cell(row=ROW[sub], column=9).value = text
    wb.save(path)


def texts(path: Path) -> list[tuple[str, str, str]]:
    wb = load_workbook(path)
    return [(ws.title, cell.coordinate, str(cell.value)) for ws in wb.worksheets for row in ws.iter_rows()
            for cell in row if cell.value is not None]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def feedback(exercise: Path) -> Feedback:
    fill(exercise, FILLED)
    return correct_exercise(exercise)


def sub(feedback: Feedback, offer: str, name: str) -> Any:
    [found] = [s for o in feedback.offres if o.offre == offer for s in o.sous_criteres if s.sous_critere == name]
    return found


# ---------------------------------------------------------------- samples and export


def test_bundled_samples_are_listed_with_their_offers() -> None:
    samples = {s.slug: s for s in list_samples()}
    assert {"vetements-2026", "restauration-2026", "energie-2026"} <= set(samples)
    assert samples["vetements-2026"].offres == 5
    assert samples["vetements-2026"].objet == "Fourniture de vêtements professionnels écoresponsables"


def test_unknown_sample_names_the_bundled_ones() -> None:
    with pytest.raises(InputError, match="vetements-2026"):
        resolve_sample("inconnu-2099")


def test_exercise_copies_the_consultation_without_the_answers(sample: Path, exercise: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exercice"
    assert exercise == folder / "notation" / "marie-dupont.xlsx"
    files = set(snapshot(folder))
    assert {"consultation.yaml", "clause.md", "grille-essai.yaml", "offres/alpha/memoire.txt",
            "notation/marie-dupont.xlsx", EXERCISE_MARKER} <= files
    assert not {"reference.yaml", "LISEZMOI.md"} & files
    assert not (folder / "resultats").exists()  # no analysis without help
    copied = open_folder(folder)
    assert copied.consultation.evaluateurs == ["Marie Dupont"]
    assert copied.consultation.reference == "2026-FORM-01" and copied.grid.full_id == "essai-formation.v1"


def test_the_sample_is_never_written(sample: Path, tmp_path: Path) -> None:
    before = snapshot(sample)
    prepare_exercise(sample, "Marie Dupont", tmp_path / "exercice", aide=False)
    assert snapshot(sample) == before
    with pytest.raises(InputError, match="ne peut pas être celui de l'exemple"):
        prepare_exercise(sample, "Marie Dupont", sample / "dedans", aide=False)


def test_a_read_only_sample_gives_a_writable_exercise(sample: Path, tmp_path: Path) -> None:
    paths = sorted(sample.rglob("*"), reverse=True)  # files before their folders
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        done = prepare_exercise(sample, "Marie Dupont", tmp_path / "exercice", aide=False)
    finally:
        for path in [sample, *sample.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    for path in (done.dossier / "consultation.yaml", done.dossier / "offres" / "alpha" / "memoire.txt"):
        assert path.stat().st_mode & 0o200, path
    assert (done.dossier / "offres" / "alpha").stat().st_mode & 0o200


def test_workbook_without_help_has_no_tool_advice(exercise: Path) -> None:
    found = texts(exercise)
    assert found and not [t for t in found if "suggest" in t[2].casefold()]
    wb = load_workbook(exercise)
    assert wb.sheetnames == ["Mode d'emploi", "alpha", "beta", "gamma", "_meta", "_exercice"]
    assert wb["_exercice"].sheet_state == "veryHidden" and wb["_exercice"].protection.sheet
    assert wb["alpha"].column_dimensions["F"].hidden and wb["alpha"].column_dimensions["G"].hidden
    assert wb["Mode d'emploi"]["A1"].value == "Classeur d'exercice"
    meta = {row[0].value: row[1].value for row in wb["_exercice"].iter_rows()}
    assert meta["exemple"] == "exemple" and meta["stagiaire"] == "Marie Dupont" and meta["aide"] == "sans"
    assert "evaluation formation corriger" in " ".join(t[2] for t in found if t[0] == "Mode d'emploi")


def test_with_help_the_workbook_shows_the_tool_suggestions(sample: Path, tmp_path: Path, nlp: Language) -> None:
    done = prepare_exercise(sample, "Jean Aidé", tmp_path / "aide", aide=True, nlp=nlp)
    assert (tmp_path / "aide" / "resultats" / "analyse.json").is_file()
    ws = load_workbook(done.classeur)["alpha"]
    assert "SUGGESTION" in ws["F5"].value
    assert ws.cell(row=ROW["calendrier"], column=6).value.startswith("Suggestion : ")
    assert not ws.column_dimensions["F"].hidden
    meta = {row[0].value: row[1].value for row in load_workbook(done.classeur)["_exercice"].iter_rows()}
    assert meta["aide"] == "avec"


def test_an_existing_exercise_is_kept_unless_replaced(sample: Path, exercise: Path, tmp_path: Path) -> None:
    fill(exercise, FILLED)
    answers = exercise.read_bytes()
    with pytest.raises(InputError, match="--remplacer"):
        prepare_exercise(sample, "Marie Dupont", tmp_path / "exercice", aide=False)
    assert exercise.read_bytes() == answers
    with pytest.raises(InputError, match="autre stagiaire"):
        prepare_exercise(sample, "Paul Martin", tmp_path / "exercice", aide=False, replace=True)
    again = prepare_exercise(sample, "Marie Dupont", tmp_path / "exercice", aide=False, replace=True)
    assert again.classeur == exercise and exercise.read_bytes() != answers


def test_a_foreign_folder_is_refused(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "autre"
    other.mkdir()
    (other / "notes.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(InputError, match="n'a pas été créé par evaluation formation exercice"):
        prepare_exercise(sample, "Marie Dupont", other, aide=False)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("name", ["", "   ", "---", "x" * 101])
def test_invalid_trainee_name(sample: Path, tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="nom de stagiaire invalide"):
        prepare_exercise(sample, name, tmp_path / "exercice", aide=False)


# ---------------------------------------------------------------- correction


def test_gaps_are_trainee_minus_reference(feedback: Feedback) -> None:
    gaps = {(o.offre, s.sous_critere): (s.niveau, s.niveau_reference, s.ecart)
            for o in feedback.offres for s in o.sous_criteres}
    assert gaps == {
        ("alpha", "calendrier"): (4, 4, 0), ("alpha", "axes"): (1, 3, -2),
        ("beta", "calendrier"): (4, 2, 2), ("beta", "axes"): (2, 2, 0),
        ("gamma", "calendrier"): (0, 0, 0), ("gamma", "axes"): (1, 1, 0),
    }
    found = sub(feedback, "alpha", "axes")
    assert found.justification == "Un seul axe traité, sans précision utile."
    assert found.justification_reference == "Emballages traités par des bacs consignés."


def test_calibration_against_hand_computed_values(feedback: Feedback) -> None:
    cal = feedback.calibration
    # gaps 0, -2, +2, 0, 0, 0
    assert (cal.comparees, cal.attendues) == (6, 6)
    assert cal.ecart_moyen == Fraction(2, 3) and cal.biais == 0
    assert cal.exacts == Fraction(2, 3) and cal.a_un_niveau == Fraction(2, 3)
    # points = 100 x 50/100 x level/4: alpha 62.5, beta 75, gamma 12.5 -> beta > alpha > gamma
    points = {o.offre: o.points for o in feedback.offres}
    assert points == {"alpha": Fraction(125, 2), "beta": Fraction(75), "gamma": Fraction(25, 2)}
    assert cal.classement == (("beta",), ("alpha",), ("gamma",))
    assert cal.classement_attendu == ("alpha", "beta", "gamma")
    # ranks (2, 1, 3) against (1, 2, 3): rho = 1 - 6 x 2 / (3 x 8) = 0.5
    assert cal.spearman == pytest.approx(0.5)
    assert cal.verdict.startswith("Notation à recalibrer")
    assert "2 sur 6 de deux niveaux ou plus" in cal.verdict


def test_missed_evidence_is_what_the_justification_does_not_cite(feedback: Feedback) -> None:
    calendar = sub(feedback, "alpha", "calendrier")
    assert calendar.pertinents == 2  # both dated passages; the quoted one is not missed
    assert [m.extrait for m in calendar.manquees] == [ALPHA_ROUND[:-1]]
    [missed] = calendar.manquees
    assert (missed.fichier, missed.page, missed.paragraphe) == ("offres/alpha/memoire.txt", None, 3)
    assert missed.etiquettes == ("Calendrier prévisionnel", "Transport et logistique")
    axes = sub(feedback, "alpha", "axes")  # transport is not an axis of this consultation
    assert [m.extrait for m in axes.manquees] == [ALPHA_BINS[:-1]]
    [trap] = sub(feedback, "gamma", "axes").manquees
    assert trap.piege == "énumération sans action" and trap.etiquettes == ()


def test_citation_heuristic() -> None:
    assert significant_words("Les 35 % de bacs réutilisables, dès l'année") == {"35", "bac", "reutilisable"}
    assert cites("les bacs réutilisables", ALPHA_BINS)
    assert not cites("des bacs", ALPHA_BINS)  # one shared word out of many
    assert not cites(None, ALPHA_BINS)
    assert cites("", "Nous aussi, pour les objectifs du plan")  # nothing significant to look for


def test_empty_cells_are_not_scored(exercise: Path) -> None:
    fill(exercise, {"alpha": FILLED["alpha"]})
    result = correct_exercise(exercise)
    assert (result.calibration.comparees, result.calibration.attendues) == (2, 6)
    assert result.calibration.spearman is None
    assert result.calibration.non_classees == ("beta", "gamma")
    assert sub(result, "beta", "axes").niveau is None and sub(result, "beta", "axes").ecart is None
    assert "4 sous-critère(s) non noté(s)" in result.calibration.verdict


def test_same_points_for_every_offer_give_no_correlation(exercise: Path) -> None:
    fill(exercise, {offer: {"calendrier": (2, PLAIN), "axes": (2, PLAIN)} for offer in FILLED})
    cal = correct_exercise(exercise).calibration
    assert cal.spearman is None and cal.classement == (("alpha", "beta", "gamma"),)
    # gaps -2, -1, 0, 0, +2, +1
    assert cal.ecart_moyen == 1 and cal.biais == 0 and cal.a_un_niveau == Fraction(2, 3)


# ---------------------------------------------------------------- refusals


def test_a_changed_locked_cell_is_refused_with_its_cell(exercise: Path) -> None:
    fill(exercise, FILLED)
    wb = load_workbook(exercise)
    wb["beta"]["B7"] = "Sous-critère renommé"
    wb.save(exercise)
    with pytest.raises(WorkbookError) as caught:
        correct_exercise(exercise)
    assert "feuille « beta », cellule B7" in str(caught.value)


def test_changed_exercise_metadata_is_refused(exercise: Path) -> None:
    wb = load_workbook(exercise)
    wb["_exercice"]["B5"] = "avec"
    wb.save(exercise)
    with pytest.raises(WorkbookError) as caught:
        correct_exercise(exercise)
    assert "feuille « _exercice », cellule B5" in str(caught.value)


def test_a_commission_workbook_is_not_an_exercise(sample: Path) -> None:
    folder = open_folder(sample)
    with Store.open(folder.db_path) as store:
        [written] = export_workbooks(folder, None, store)
    with pytest.raises(WorkbookError) as caught:
        correct_exercise(written.path)
    message = str(caught.value)
    assert "pas un classeur d'exercice" in message and "_exercice" in message


def test_an_invalid_level_is_refused_as_at_import(exercise: Path) -> None:
    fill(exercise, {"alpha": {"calendrier": (4, "RAS")}})
    with pytest.raises(WorkbookError, match="cellule I6"):
        correct_exercise(exercise)


def test_a_moved_workbook_needs_its_folder(exercise: Path, tmp_path: Path) -> None:
    fill(exercise, FILLED)
    moved = tmp_path / "rendu.xlsx"
    moved.write_bytes(exercise.read_bytes())
    with pytest.raises(InputError, match="--dossier"):
        correct_exercise(moved)
    assert correct_exercise(moved, folder=tmp_path / "exercice").calibration.comparees == 6


# ---------------------------------------------------------------- feedback report


def test_report_is_self_contained_escaped_and_deterministic(exercise: Path, tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)> & « justification »'
    fill(exercise, FILLED | {"gamma": {"calendrier": (0, hostile), "axes": (1, PLAIN)}})
    result = correct_exercise(exercise)
    page = render_feedback(result)
    assert page == render_feedback(result)
    doc = lxml.html.document_fromstring(page)
    assert doc.get("lang") == "fr"
    assert [m.get("content") for m in doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')] == [
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
    assert not doc.xpath("//script | //img | //link | //iframe")
    assert "&lt;script&gt;" in page
    justifications = [" ".join(p.text_content().split()) for p in doc.xpath('//p[@class="justification"]')]
    assert " ".join(hostile.split()) in justifications
    assert "Date" not in [dt.text_content() for dt in doc.xpath("//header//dt")]
    path = write_feedback(result, tmp_path / "correction.html", date="2026-12-01")
    dated = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
    assert "2026-12-01" in [dd.text_content() for dd in dated.xpath("//header//dd")]


def test_report_shows_gaps_missed_evidence_and_calibration(feedback: Feedback) -> None:
    doc = lxml.html.document_fromstring(render_feedback(feedback))
    block = " ".join(doc.xpath('//*[@id="alpha-axes"]')[0].text_content().split())
    assert "Écart −2" in block and "Votre niveau : 1 — Insuffisant" in block
    assert "Niveau de référence : 3 — Satisfaisant" in block
    assert ALPHA_BINS[:-1] in block and "offres/alpha/memoire.txt, § 2" in block
    figures = {r.xpath("th")[0].text_content(): r.xpath("td")[0].text_content()
               for r in doc.xpath('//table[@class="chiffres"]/tbody/tr')}
    assert figures["Écart moyen absolu"] == "0,67 niveau"
    assert figures["Niveaux exacts"] == "66,7\u202f%" and figures["Corrélation de Spearman"] == "0,50"
    assert "beta > alpha > gamma" in doc.xpath('//section[@id="classement"]')[0].text_content()

"""Grid validation: every error names the file, the line and the field path, in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.errors import GridError
from evaluation.model import Grid
from evaluation.model.registry import bundled_grid_ids, check_grid_file, load_grid

VALID = """\
id: essai
version: 2
libelle: Grille d'essai
echelle:
  - {niveau: 0, libelle: Absent, descripteur: Rien.}
  - {niveau: 1, libelle: Partiel, descripteur: Un peu.}
  - {niveau: 2, libelle: Complet, descripteur: Tout.}
criteres:
  - id: plan
    libelle: Plan de progrès
    poids: 60
    sous_criteres:
      - id: objectifs
        libelle: Objectifs
        poids: 50
        signal: {type: element, element: objectifs}
      - id: calendrier
        libelle: Calendrier
        poids: 50
        signal: {type: planning_precis}
  - id: prix
    libelle: Prix
    poids: 40
    prix:
      methode: proportionnelle
      offre_anormalement_basse: {regle: ecart_type}
"""


def write(tmp_path: Path, text: str, name: str = "grille.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> GridError:
    with pytest.raises(GridError) as info:
        check_grid_file(write(tmp_path, text))
    return info.value


def test_valid_grid_loads_with_versioned_id(tmp_path: Path) -> None:
    grid = check_grid_file(write(tmp_path, VALID))
    assert grid.full_id == "essai.v2"
    assert [s.id for _, s in grid.sub_criteria()] == ["objectifs", "calendrier"]


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("    poids: 60\n", "    poids: 70\n", 8, "criteres", "totalisent 110 au lieu de 100"),
        ("        poids: 50\n        signal: {type: planning_precis}",
         "        poids: 40\n        signal: {type: planning_precis}", 12, "criteres -> 0 -> sous_criteres",
         "totalisent 90 au lieu de 100"),
        ("        signal: {type: element, element: objectifs}", "        signal: {type: element, element: buts}",
         16, "criteres -> 0 -> sous_criteres -> 0 -> signal -> element", "valeur non reconnue"),
        ("        libelle: Calendrier\n", "        libele: Calendrier\n", 18,
         "criteres -> 0 -> sous_criteres -> 1 -> libele", "champ inconnu"),
        ("    libelle: Plan de progrès\n", "", 9, "criteres -> 0 -> libelle", "champ obligatoire absent"),
        ("      methode: proportionnelle", "      methode: au_hasard", 25,
         "criteres -> 1 -> prix -> methode", "valeur non reconnue"),
        ("  - {niveau: 2, libelle: Complet", "  - {niveau: 3, libelle: Complet", 4, "echelle",
         "doivent se suivre à partir de 0"),
        ("    poids: 60\n", "    poids: soixante\n", 11, "criteres -> 0 -> poids", "doit être un nombre"),
    ],
)
def test_grid_error_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, words: str
) -> None:
    assert old in VALID
    error = error_for(tmp_path, VALID.replace(old, new, 1))
    problem = next(p for p in error.problems if p.champ == field)
    assert problem.fichier is not None and problem.fichier.endswith("grille.yaml")
    assert problem.champ == field
    assert words in problem.raison
    assert problem.ligne == line
    assert f"grille.yaml:{line} : [{field}]" in str(error)


def test_weights_are_never_normalised(tmp_path: Path) -> None:
    text = VALID.replace("    poids: 60\n", "    poids: 30\n").replace("    poids: 40\n", "    poids: 20\n")
    error = error_for(tmp_path, text)
    assert "totalisent 50 au lieu de 100" in str(error)
    assert "jamais renormalisés" in str(error)


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace("  - id: prix\n", "  - id: prix\n   mauvais: [\n"))
    assert error.problems[0].ligne is not None
    assert "syntaxe YAML invalide" in str(error)


def test_duplicate_key_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace("version: 2\n", "version: 2\nversion: 3\n"))
    assert "syntaxe YAML invalide" in str(error)
    assert error.problems[0].ligne == 3


def test_alias_bomb_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
              for i in range(1, 9)]
    error = error_for(tmp_path, "\n".join(lines) + "\n")
    assert "structure YAML trop grande" in str(error)


def test_duplicate_sub_criterion_id_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace("      - id: calendrier", "      - id: objectifs"))
    assert "objectifs" in str(error) and "deux fois" in str(error)


def test_signal_element_required(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace("{type: element, element: objectifs}", "{type: element}"))
    assert "doit nommer" in str(error)
    assert error.problems[0].ligne == 16


def test_unknown_axis_in_signal(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace("{type: planning_precis}", "{type: axe, axe: licornes}"))
    assert "axe « licornes » inconnu du catalogue" in str(error)
    assert error.problems[0].ligne == 20


def test_file_name_must_match_versioned_id(tmp_path: Path) -> None:
    with pytest.raises(GridError, match=r"renommez le fichier en essai\.v2\.yaml"):
        check_grid_file(write(tmp_path, VALID, name="essai.v1.yaml"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GridError, match="introuvable"):
        check_grid_file(tmp_path / "absente.yaml")


def test_unknown_reference_lists_bundled_grids() -> None:
    with pytest.raises(GridError) as info:
        load_grid("inexistante.v9")
    assert "plan-de-progres-dae.v1" in str(info.value)


@pytest.mark.parametrize("grid_id", ["plan-de-progres-dae.v1", "lyon-4-axes.v1", "attribution-complete.v1"])
def test_bundled_grids_are_valid(grid_id: str) -> None:
    assert grid_id in bundled_grid_ids()
    grid = load_grid(grid_id)
    assert isinstance(grid, Grid)
    assert grid.full_id == grid_id


def test_dae_grid_scores_the_seven_parts() -> None:
    grid = load_grid("plan-de-progres-dae.v1")
    elements = {s.signal.element for _, s in grid.sub_criteria() if s.signal.type == "element"}
    assert elements == {"objectifs", "indicateurs", "actions_titulaire", "actions_acheteur", "moyens",
                        "calendrier", "partage_gains"}
    signals = {s.signal.type for _, s in grid.sub_criteria()}
    assert {"planning_precis", "depassement_reglementaire", "axes"} <= signals


def test_lyon_grid_scores_the_four_axes_and_insertion() -> None:
    grid = load_grid("lyon-4-axes.v1")
    axes = {s.signal.axe for _, s in grid.sub_criteria() if s.signal.type == "axe"}
    assert axes == {"decarbonation", "adaptation_climat", "preservation_ressources", "vivant_biodiversite_sante",
                    "insertion_sociale"}


def test_full_award_grid_has_price_technical_value_and_plan() -> None:
    grid = load_grid("attribution-complete.v1")
    assert [c.id for c in grid.criteres] == ["prix", "valeur_technique", "plan_progres"]
    price = grid.price_criterion()
    assert price is not None and price.prix is not None
    assert price.prix.methode == "proportionnelle"


def test_messages_say_how_to_fix_and_stay_french(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace("{type: planning_precis}", "{type: magie}"))
    text = str(error)
    assert "choisissez l'une des valeurs attendues" in text
    assert "'element', " in text and " ou 'aucun'" in text and " or " not in text
    typo = error_for(tmp_path, VALID.replace("        libelle: Calendrier\n", "        libele: Calendrier\n"))
    assert "supprimez ce champ ou corrigez son nom" in str(typo)
    assert [p.ligne for p in typo.problems] == sorted(p.ligne or 0 for p in typo.problems)

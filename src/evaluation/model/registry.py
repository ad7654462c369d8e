"""Bundled grids and catalogues: lookup by versioned id, or by path for a buyer's own grid."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from evaluation.errors import GridError, Problem
from evaluation.model.catalogue import AXIS_IDS, AxisCatalogue, ElementCatalogue
from evaluation.model.grid import Grid
from evaluation.model.loading import line_of, load_model, load_model_with_tree
from evaluation.settings import data_dir

__all__ = [
    "bundled_grid_ids",
    "check_grid_file",
    "load_axis_catalogue",
    "load_element_catalogue",
    "load_grid",
]

_VERSIONED_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\.v[0-9]+$")


def _grid_dir() -> Path:
    return data_dir("grids")


def bundled_grid_ids() -> list[str]:
    """Versioned ids of the grids shipped with the toolkit, sorted."""
    return sorted(p.name.removesuffix(".yaml") for p in _grid_dir().glob("*.v*.yaml"))


@cache
def load_axis_catalogue() -> AxisCatalogue:
    return load_model(AxisCatalogue, _grid_dir() / "axes.yaml", GridError)


@cache
def load_element_catalogue() -> ElementCatalogue:
    return load_model(ElementCatalogue, _grid_dir() / "elements.yaml", GridError)


def check_grid_file(path: Path, *, known_axes: frozenset[str] | None = None) -> Grid:
    """Validate a grid file completely: schema, weights, file name and the axes its signals name."""
    grid, tree = load_model_with_tree(Grid, path, GridError)
    problems = []
    if _VERSIONED_ID.match(path.name.removesuffix(".yaml")) and path.name != f"{grid.full_id}.yaml":
        problems.append(Problem(
            f"le nom du fichier ne correspond pas à l'identifiant de la grille ({grid.full_id})",
            fichier=path, ligne=line_of(tree, "id"), champ="id",
            conseil=f"renommez le fichier en {grid.full_id}.yaml ou corrigez id/version",
        ))
    axes = known_axes if known_axes is not None else frozenset(AXIS_IDS)
    for ci, criterion in enumerate(grid.criteres):
        for si, sub in enumerate(criterion.sous_criteres):
            if sub.signal.axe is not None and sub.signal.axe not in axes:
                problems.append(Problem(
                    f"axe « {sub.signal.axe} » inconnu du catalogue",
                    fichier=path, ligne=line_of(tree, "criteres", ci, "sous_criteres", si, "signal"),
                    champ=f"criteres -> {ci} -> sous_criteres -> {si} -> signal -> axe",
                    conseil="utilisez un identifiant du catalogue (evaluation grille axes) "
                            "ou déclarez un axe propre dans consultation.yaml",
                ))
    if problems:
        raise GridError(problems)
    return grid


def load_grid(ref: str, *, base: Path | None = None, known_axes: frozenset[str] | None = None) -> Grid:
    """Load a grid from a bundled versioned id (`plan-de-progres-dae.v1`) or a YAML path.

    A relative path is resolved against `base` (the consultation folder).
    """
    if _VERSIONED_ID.match(ref):
        bundled = _grid_dir() / f"{ref}.yaml"
        if bundled.is_file():
            return check_grid_file(bundled, known_axes=known_axes)
    candidate = Path(ref)
    if base is not None and not candidate.is_absolute():
        candidate = base / candidate
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return check_grid_file(candidate, known_axes=known_axes)
    raise GridError(Problem(
        f"grille inconnue « {ref} »",
        conseil="grilles fournies : " + ", ".join(bundled_grid_ids())
                + " ; ou indiquez le chemin d'un fichier .yaml",
    ))

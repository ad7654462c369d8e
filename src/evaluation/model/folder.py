"""A consultation folder: consultation.yaml, its grid and axes, and the offers found under offres/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from evaluation.errors import ConsultationError, GridError, Problem
from evaluation.model.catalogue import Axis
from evaluation.model.consultation import Consultation
from evaluation.model.grid import Grid
from evaluation.model.loading import line_of, load_model_with_tree
from evaluation.model.registry import load_axis_catalogue, load_grid

__all__ = ["CONSULTATION_FILE", "ConsultationFolder", "OfferFolder", "open_folder"]

CONSULTATION_FILE = "consultation.yaml"
_OFFER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: Files a bidder never meant to submit: editor lock files, OS metadata.
_IGNORED = re.compile(r"^(\.|~\$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)


@dataclass(frozen=True)
class OfferFolder:
    id: str
    soumissionnaire: str
    prix: Decimal | None
    files: tuple[Path, ...]


@dataclass(frozen=True)
class ConsultationFolder:
    root: Path
    consultation: Consultation
    grid: Grid
    axes: tuple[Axis, ...]
    offers: tuple[OfferFolder, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def db_path(self) -> Path:
        return self.root / "consultation.db"

    @property
    def results_dir(self) -> Path:
        return self.root / "resultats"

    @property
    def reports_dir(self) -> Path:
        return self.root / "rapports"


def _resolve_axes(consultation: Consultation, path: Path, tree: object) -> tuple[Axis, ...]:
    catalogue = load_axis_catalogue()
    axes: list[Axis] = []
    problems = []
    for index, entry in enumerate(consultation.axes):
        if isinstance(entry, Axis):
            if catalogue.get(entry.id) is not None:
                problems.append(Problem(
                    f"l'axe propre « {entry.id} » porte l'identifiant d'un axe du catalogue",
                    fichier=path, ligne=line_of(tree, "axes", index), champ=f"axes -> {index} -> id",
                    conseil="choisissez un autre identifiant, ou citez l'axe du catalogue par son seul identifiant",
                ))
            axes.append(entry)
            continue
        found = catalogue.get(entry)
        if found is None:
            problems.append(Problem(
                f"axe « {entry} » inconnu du catalogue", fichier=path, ligne=line_of(tree, "axes", index),
                champ=f"axes -> {index}",
                conseil="axes du catalogue : " + ", ".join(a.id for a in catalogue.axes)
                        + " ; ou déclarez un axe propre {id, libelle, description, termes}",
            ))
        else:
            axes.append(found)
    if problems:
        raise ConsultationError(problems)
    return tuple(axes)


def _offer_files(directory: Path) -> tuple[Path, ...]:
    if not directory.is_dir():
        return ()
    files = []
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if any(_IGNORED.match(part) for part in relative.parts) or path.is_symlink():
            continue  # symlinks could point outside the consultation: never followed
        if path.is_file():
            files.append(path)
    return tuple(files)


def open_folder(root: Path) -> ConsultationFolder:
    """Read and check a consultation folder. Raises ConsultationError or GridError with the file named."""
    if not root.is_dir():
        raise ConsultationError(Problem("dossier de consultation introuvable", fichier=root,
                                        conseil="indiquez le dossier qui contient consultation.yaml"))
    path = root / CONSULTATION_FILE
    if not path.is_file():
        raise ConsultationError(Problem(f"{CONSULTATION_FILE} absent", fichier=root,
                                        conseil="créez-le (voir le README) ou lancez `evaluation demo` "
                                                "pour un exemple complet"))
    consultation, tree = load_model_with_tree(Consultation, path, ConsultationError)
    axes = _resolve_axes(consultation, path, tree)
    known = frozenset(a.id for a in load_axis_catalogue().axes) | {a.id for a in axes}
    try:
        grid = load_grid(consultation.grille, base=root, known_axes=known)
    except GridError as exc:
        first = exc.problems[0]
        if first.fichier is None:  # unknown grid reference: point at consultation.yaml
            first.fichier, first.ligne, first.champ = str(path), line_of(tree, "grille"), "grille"
        raise
    warnings: list[str] = []
    offers_dir = root / "offres"
    found = sorted(p.name for p in offers_dir.iterdir() if p.is_dir()) if offers_dir.is_dir() else []
    ids: list[str] = []
    for name in found:
        if _OFFER_ID.match(name):
            ids.append(name)
        else:
            warnings.append(f"offres/{name} ignoré : nom de dossier invalide (minuscules, chiffres, « _ » ou « - »)")
    for declared in consultation.offres:
        if declared not in ids:
            warnings.append(f"offre « {declared} » déclarée dans {CONSULTATION_FILE} sans dossier offres/{declared}/")
            ids.append(declared)
    offers = []
    for offer_id in sorted(ids):
        declaration = consultation.offres.get(offer_id)
        offers.append(OfferFolder(
            id=offer_id,
            soumissionnaire=declaration.soumissionnaire if declaration else offer_id,
            prix=declaration.prix if declaration else None,
            files=_offer_files(offers_dir / offer_id),
        ))
    if not offers:
        warnings.append("aucune offre trouvée : déposez les mémoires dans offres/<identifiant>/")
    return ConsultationFolder(root=root, consultation=consultation, grid=grid, axes=axes,
                              offers=tuple(offers), warnings=tuple(warnings))

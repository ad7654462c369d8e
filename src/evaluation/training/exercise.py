"""Scoring exercises on the training samples: a trainee is an evaluator of a training consultation.

`prepare_exercise` copies a sample into an exercise folder (never writing into the sample, which may be
read-only inside an installed wheel), declares the trainee as its only evaluator and exports the
evaluator workbook with the commission's own code. The folder gets what a real evaluator would get
(consultation.yaml, clause.md, offres/) and never the answers: reference.yaml, LISEZMOI.md and the Markdown
sources stay behind. With help, the folder is analysed first and the workbook shows the tool's suggestions;
without help, no analysis is run and the workbook mentions no suggestion.

The workbook carries a very hidden `_exercice` sheet (sample, trainee, with or without help): its cells are
locked and fingerprinted like the others, so `evaluation formation corriger` knows which reference to use
and refuses a workbook whose metadata was edited.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from spacy.language import Language

from evaluation.errors import ConsultationError, InputError, Problem
from evaluation.model.folder import CONSULTATION_FILE, open_folder
from evaluation.model.loading import load_yaml
from evaluation.model.registry import bundled_grid_ids
from evaluation.scoring.importing import WorkbookError, open_workbook
from evaluation.scoring.workbook import NOTATION_DIR, WorkbookOptions, export_workbooks, workbook_file_name
from evaluation.settings import data_dir
from evaluation.store import Store
from evaluation.training.quality import REFERENCE_FILE

__all__ = [
    "EXERCISE_FORMAT",
    "EXERCISE_KEYS",
    "EXERCISE_MARKER",
    "EXERCISE_SHEET",
    "Exercise",
    "ExerciseInfo",
    "Sample",
    "bundled_samples",
    "default_output",
    "exercise_options",
    "list_samples",
    "prepare_exercise",
    "read_exercise_info",
    "resolve_sample",
    "slug",
]

EXERCISE_SHEET = "_exercice"
EXERCISE_FORMAT = "evaluation-exercice/1"
EXERCISE_KEYS = ("format", "exemple", "source", "stagiaire", "aide")
#: Marks a folder made by `prepare_exercise`: only such a folder is ever written into again.
EXERCISE_MARKER = ".formation-evaluation"
CLAUSE_FILE = "clause.md"
MAX_TRAINEE_CHARS = 100
EXERCISE_RETURN = (
    "Enregistrez au format .xlsx sans changer le nom du fichier et remettez-le au formateur, qui le corrige "
    "(evaluation formation corriger) : la correction compare, sous-critère par sous-critère, vos niveaux et vos "
    "justifications à une correction de référence.")


@dataclass(frozen=True)
class Sample:
    """A training consultation: a bundled sample (by its slug) or a folder given by path."""

    slug: str
    root: Path
    fourni: bool
    reference: str
    objet: str
    grille: str
    offres: int


@dataclass(frozen=True)
class Exercise:
    """What `prepare_exercise` wrote."""

    dossier: Path
    classeur: Path
    exemple: str
    stagiaire: str
    aide: bool


@dataclass(frozen=True)
class ExerciseInfo:
    """The exercise metadata read back from a workbook's `_exercice` sheet."""

    exemple: str
    source: str  # empty for a bundled sample, else the sample folder's absolute path
    stagiaire: str
    aide: bool


def slug(text: str) -> str:
    """A portable name (« Marie Dupont-Léa » → marie-dupont-lea), as for the evaluators' workbooks."""
    return workbook_file_name(text, set()).removesuffix(".xlsx")


def _sample(root: Path, name: str, fourni: bool) -> Sample:
    folder = open_folder(root)
    return Sample(slug=name, root=root, fourni=fourni, reference=folder.consultation.reference,
                  objet=folder.consultation.objet, grille=folder.grid.full_id, offres=len(folder.offers))


def bundled_samples() -> dict[str, Path]:
    """Slug → folder of each bundled sample that has a reference correction."""
    base = data_dir("samples")
    return {p.parent.name: p.parent for p in sorted(base.glob(f"*/{REFERENCE_FILE}"))}


def list_samples() -> list[Sample]:
    """The bundled training consultations (those with a reference correction), by slug."""
    return [_sample(root, name, True) for name, root in bundled_samples().items()]


def resolve_sample(name: str | Path) -> Sample:
    """A bundled sample by its slug, or the folder of a consultation that has a reference.yaml.

    Raises:
        ConsultationError: neither a bundled sample nor a consultation folder with a reference correction.
    """
    bundled = bundled_samples()
    if str(name) in bundled:
        return _sample(bundled[str(name)], str(name), True)
    path = Path(name)
    if path.is_dir():
        missing = [f for f in (CONSULTATION_FILE, REFERENCE_FILE) if not (path / f).is_file()]
        if missing:
            raise ConsultationError(Problem(
                f"{' et '.join(missing)} absent(s) : ce dossier n'est pas une consultation d'entraînement",
                fichier=path, conseil="un exercice se prépare sur une consultation qui a une correction de "
                                      f"référence ({REFERENCE_FILE}) ; exemples fournis : " + ", ".join(bundled)))
        root = path.resolve()
        return _sample(root, slug(root.name), False)
    raise ConsultationError(Problem(
        f"exemple « {name} » inconnu", conseil="exemples fournis : " + ", ".join(bundled)
        + f" (evaluation formation liste) ; ou indiquez le dossier d'une consultation avec {REFERENCE_FILE}"))


def default_output(sample: Sample, trainee: str) -> Path:
    """formation-<exemple>-<stagiaire>, relative to the current folder."""
    return Path(f"formation-{sample.slug}-{slug(trainee)}")


def _check_trainee(trainee: str) -> str:
    name = " ".join(trainee.split())
    if not name or len(name) > MAX_TRAINEE_CHARS or not any(c.isalnum() for c in name):
        raise InputError(Problem(
            f"nom de stagiaire invalide « {trainee[:MAX_TRAINEE_CHARS]} »",
            conseil=f"indiquez un nom lisible de {MAX_TRAINEE_CHARS} caractères au plus, par exemple "
                    "--stagiaire \"Marie Dupont\""))
    return name


def _check_output(sample: Sample, trainee: str, output: Path, workbook: Path, aide: bool, replace: bool) -> None:
    """Every reason to refuse, before anything is written."""
    target = output.resolve()
    if target == sample.root or target.is_relative_to(sample.root) or sample.root.is_relative_to(target):
        raise InputError(Problem("le dossier de l'exercice ne peut pas être celui de l'exemple, ni le contenir, "
                                 "ni s'y trouver", fichier=output,
                                 conseil="choisissez un autre dossier avec --sortie"))
    if output.exists() and not output.is_dir():
        raise InputError(Problem("le chemin de sortie existe et n'est pas un dossier", fichier=output,
                                 conseil="choisissez un autre dossier avec --sortie"))
    if not output.is_dir() or not any(output.iterdir()):
        return
    marker = output / EXERCISE_MARKER
    if not marker.is_file():
        raise InputError(Problem("le dossier de sortie existe et n'a pas été créé par evaluation formation exercice",
                                 fichier=output, conseil="choisissez un autre dossier avec --sortie"))
    try:
        previous = json.loads(marker.read_text(encoding="utf-8"))
        same = (previous["exemple"] == sample.slug and previous["stagiaire"].casefold() == trainee.casefold())
    except (ValueError, KeyError, TypeError, AttributeError):
        same = False
    if not same:
        raise InputError(Problem("ce dossier contient l'exercice d'un autre exemple ou d'un autre stagiaire",
                                 fichier=output, conseil="choisissez un autre dossier avec --sortie"))
    if workbook.exists() and not replace:
        raise InputError(Problem(
            "un classeur d'exercice existe déjà : il contient peut-être les réponses du stagiaire", fichier=workbook,
            conseil="corrigez-le (evaluation formation corriger), ou relancez avec --remplacer pour repartir d'un "
                    "classeur vierge (ses réponses seraient perdues)"))
    if not aide and (output / "resultats").is_dir() and any((output / "resultats").iterdir()):
        raise InputError(Problem(
            "ce dossier contient déjà l'analyse de l'outil : un exercice sans aide y laisserait voir ses suggestions",
            fichier=output / "resultats", conseil="préparez l'exercice sans aide dans un autre dossier (--sortie)"))


def _copy_tree(source: Path, target: Path) -> None:
    """Copy regular files only, without their permissions: a bundled sample may be read-only."""
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def _consultation_text(sample: Sample, trainee: str, output: Path) -> str:
    """The sample's consultation.yaml with the trainee as its only evaluator (comments kept)."""
    tree = load_yaml(sample.root / CONSULTATION_FILE, ConsultationError)
    evaluators = CommentedSeq([trainee])
    evaluators.fa.set_flow_style()
    tree["evaluateurs"] = evaluators
    grid = str(tree.get("grille", ""))
    grid_file = (sample.root / grid).resolve()
    if grid not in bundled_grid_ids() and grid_file.is_file():
        if grid_file.is_relative_to(sample.root):
            _copy_file(grid_file, output / grid_file.relative_to(sample.root))
        else:
            tree["grille"] = str(grid_file)
    yaml = YAML(typ="rt")
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    return (f"# Exercice de formation : copie de l'exemple « {sample.slug} » pour {trainee}, seul évaluateur.\n"
            + buffer.getvalue())


def _copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def exercise_options(sample: Sample, trainee: str, aide: bool) -> WorkbookOptions:
    """The evaluator workbook as a trainee gets it."""
    source = "" if sample.fourni else str(sample.root)
    rows = (("format", EXERCISE_FORMAT), ("exemple", sample.slug), ("source", source), ("stagiaire", trainee),
            ("aide", "avec" if aide else "sans"))
    return WorkbookOptions(suggestions=aide, titre="Classeur d'exercice", retour=EXERCISE_RETURN,
                           feuille=(EXERCISE_SHEET, rows))


def prepare_exercise(
    sample: str | Path | Sample,
    trainee: str,
    output: Path,
    *,
    aide: bool = True,
    replace: bool = False,
    nlp: Language | None = None,
    auteur: str = "evaluation",
    progress: Callable[[str, int, int], None] | None = None,
) -> Exercise:
    """Copy a training sample into `output` and export the trainee's workbook there.

    Args:
        sample: a bundled sample slug, a consultation folder with a reference.yaml, or a resolved Sample.
        trainee: the trainee's name, declared as the exercise's only evaluator.
        output: the exercise folder; created, or a previous exercise of the same sample and trainee.
        aide: analyse the folder and show the tool's suggestions in the workbook.
        replace: replace an existing exercise workbook (the trainee's answers in it are lost).

    Raises:
        InputError: unknown sample, invalid trainee name, an output folder that is not this exercise's, an
            existing workbook without `replace`, or an analysis left in a folder prepared without help.
    """
    found = sample if isinstance(sample, Sample) else resolve_sample(sample)
    name = _check_trainee(trainee)
    workbook = output / NOTATION_DIR / workbook_file_name(name, set())
    _check_output(found, name, output, workbook, aide, replace)
    consultation = _consultation_text(found, name, output)
    output.mkdir(parents=True, exist_ok=True)
    (output / EXERCISE_MARKER).write_text(
        json.dumps({"exemple": found.slug, "stagiaire": name}, ensure_ascii=False) + "\n", encoding="utf-8")
    (output / CONSULTATION_FILE).write_text(consultation, encoding="utf-8")
    if (found.root / CLAUSE_FILE).is_file():
        _copy_file(found.root / CLAUSE_FILE, output / CLAUSE_FILE)
    _copy_tree(found.root / "offres", output / "offres")
    folder = open_folder(output)
    analysis = None
    if aide:
        from evaluation.analysis import analyse_folder  # loads spaCy: only when suggestions are wanted

        analysis = analyse_folder(folder, nlp=nlp, auteur=auteur, progress=progress).result
    with Store.open(folder.db_path) as store:
        [written] = export_workbooks(folder, analysis, store, evaluators=[name], replace=replace, auteur=auteur,
                                     options=exercise_options(found, name, aide))
    return Exercise(dossier=output, classeur=written.path, exemple=found.slug, stagiaire=name, aide=aide)


def read_exercise_info(path: Path) -> ExerciseInfo:
    """The exercise metadata of a workbook, before any other check.

    Raises:
        WorkbookError: not a readable workbook, or not an exercise workbook (the sheet or cell is named).
    """
    wb = open_workbook(path, too_large="fichier trop volumineux pour un classeur d'exercice",
                       advice="corrigez le classeur préparé par evaluation formation exercice")
    try:
        if EXERCISE_SHEET not in wb.sheetnames:
            raise WorkbookError(Problem(
                "ce classeur n'est pas un classeur d'exercice (un classeur de notation de la commission ?)",
                fichier=path, champ=f"feuille « {EXERCISE_SHEET} » absente",
                conseil="corrigez le classeur préparé par : evaluation formation exercice EXEMPLE --stagiaire NOM"))
        ws = wb[EXERCISE_SHEET]
        values: dict[str, str] = {}
        problems = []
        for row, key in enumerate(EXERCISE_KEYS, start=1):
            found = ws.cell(row=row, column=1).value
            if found != key:
                problems.append(Problem(f"métadonnée d'exercice « {key} » attendue, « {found or ''} » trouvée",
                                        fichier=path, champ=f"feuille « {EXERCISE_SHEET} », cellule A{row}",
                                        conseil="préparez un nouvel exercice (evaluation formation exercice)"))
            value = ws.cell(row=row, column=2).value
            values[key] = "" if value is None else str(value)
    finally:
        wb.close()
    if not problems and values["format"] != EXERCISE_FORMAT:
        problems.append(Problem(f"format d'exercice « {values['format']} » non pris en charge", fichier=path,
                                champ=f"feuille « {EXERCISE_SHEET} », cellule B1",
                                conseil="préparez un nouvel exercice avec cette version de l'outil"))
    if not problems and values["aide"] not in ("avec", "sans"):
        problems.append(Problem(f"mode « {values['aide']} » inconnu (« avec » ou « sans » attendu)", fichier=path,
                                champ=f"feuille « {EXERCISE_SHEET} », cellule B5",
                                conseil="préparez un nouvel exercice (evaluation formation exercice)"))
    if problems:
        raise WorkbookError(problems)
    return ExerciseInfo(exemple=values["exemple"], source=values["source"], stagiaire=values["stagiaire"],
                        aide=values["aide"] == "avec")

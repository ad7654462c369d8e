"""`evaluation formation …`: the training samples, scoring exercises for trainees and their correction."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from evaluation.cli.app import current_user, handles_input_errors, is_terminal, say
from evaluation.errors import InputError, Problem
from evaluation.training.exercise import default_output, list_samples, prepare_exercise, resolve_sample, slug
from evaluation.training.feedback import correct_exercise
from evaluation.training.report import write_feedback

__all__ = ["formation_app"]

formation_app = typer.Typer(
    help="Formation des évaluateurs : consultations d'exemple, exercices de notation et leur correction.",
    no_args_is_help=True,
)

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="N'affiche rien sauf les erreurs.")]


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(Problem(f"date invalide « {value} »",
                                 conseil="format attendu : AAAA-MM-JJ, par exemple 2026-12-01")) from None


@formation_app.command("liste")
@handles_input_errors
def liste(
    as_json: Annotated[bool, typer.Option("--json", help="Écrit la liste en JSON sur la sortie standard.")] = False,
) -> None:
    """Liste les consultations d'exemple fournies : objet, grille et nombre d'offres."""
    samples = list_samples()
    if as_json:
        typer.echo(json.dumps([{"exemple": s.slug, "reference": s.reference, "objet": s.objet, "grille": s.grille,
                                "offres": s.offres} for s in samples], ensure_ascii=False, indent=2))
        return
    for sample in samples:
        typer.echo(f"{sample.slug}\t{sample.objet} ({sample.offres} offres, grille {sample.grille})")


@formation_app.command("exercice")
@handles_input_errors
def exercice(
    exemple: Annotated[str, typer.Argument(
        help="Exemple fourni (voir evaluation formation liste) ou dossier d'une consultation avec reference.yaml.",
        metavar="EXEMPLE")],
    stagiaire: Annotated[str, typer.Option("--stagiaire", metavar="NOM", help="Nom du stagiaire qui note.")],
    sans_aide: Annotated[bool, typer.Option(
        "--sans-aide",
        help="Classeur sans les suggestions de l'outil : le stagiaire note seul, sans analyse.")] = False,
    sortie: Annotated[Path | None, typer.Option(
        "--sortie", metavar="DOSSIER",
        help="Dossier de l'exercice ; par défaut formation-<exemple>-<stagiaire> dans le dossier courant.")] = None,
    remplacer: Annotated[bool, typer.Option(
        "--remplacer", help="Remplace le classeur d'un exercice déjà préparé : les réponses qu'il contient sont "
                            "perdues.")] = False,
    quiet: Quiet = False,
) -> None:
    """Prépare un exercice de notation : copie de l'exemple sans sa correction, et classeur du stagiaire.

    Le classeur est celui d'un membre de la commission ; avec --sans-aide, il ne montre aucune suggestion.
    """
    sample = resolve_sample(exemple)
    output = sortie if sortie is not None else default_output(sample, stagiaire)
    if not sans_aide:
        say("Analyse des mémoires pour les suggestions de l'outil…", quiet=quiet)

    def progress(offer: str, index: int, total: int) -> None:
        if offer and is_terminal() and not quiet:
            typer.echo(f"  analyse de l'offre {offer} ({index + 1}/{total})…", err=True)

    done = prepare_exercise(sample, stagiaire, output, aide=not sans_aide, replace=remplacer, auteur=current_user(),
                            progress=progress)
    mode = "avec les suggestions de l'outil" if done.aide else "sans aide"
    say(f"Exercice « {done.exemple} » préparé pour {done.stagiaire} ({mode}) dans {done.dossier}", quiet=quiet)
    say(f"Classeur à remplir : {done.classeur}", quiet=quiet)
    say(f"Mémoires à lire : {done.dossier / 'offres'}", quiet=quiet)
    say(f"Correction, une fois le classeur rempli : evaluation formation corriger {done.classeur}", quiet=quiet)


@formation_app.command("corriger")
@handles_input_errors
def corriger(
    fichier: Annotated[Path, typer.Argument(help="Classeur d'exercice rempli par le stagiaire (.xlsx).",
                                            metavar="FICHIER")],
    dossier: Annotated[Path | None, typer.Option(
        "--dossier", metavar="DOSSIER",
        help="Dossier de l'exercice ; par défaut, celui où le classeur a été préparé (parent de notation/).")] = None,
    reference: Annotated[Path | None, typer.Option(
        "--reference", metavar="CHEMIN",
        help="Dossier de l'exemple ou son reference.yaml ; par défaut, l'exemple enregistré dans le classeur.")] = None,
    sortie: Annotated[Path | None, typer.Option(
        "--sortie", metavar="FICHIER",
        help="Rapport HTML ; par défaut rapports/correction-<stagiaire>.html dans le dossier de l'exercice.")] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="Date imprimée dans la correction (AAAA-MM-JJ). Sans elle, aucune date : la même "
                       "correction donne le même fichier.")] = None,
    quiet: Quiet = False,
) -> None:
    """Corrige un classeur d'exercice : écarts avec la référence, preuves manquées et calibration (HTML).

    Le classeur est contrôlé comme à l'import d'un classeur de la commission : un classeur qui n'est pas un
    exercice, ou dont une cellule verrouillée a été modifiée, est refusé avec la feuille et la cellule en cause.
    """
    when = _date(date)
    feedback = correct_exercise(fichier, folder=dossier, reference=reference)
    target = sortie if sortie is not None else (
        feedback.dossier / "rapports" / f"correction-{slug(feedback.stagiaire)}.html")
    write_feedback(feedback, target, date=when)
    cal = feedback.calibration
    say(cal.verdict, quiet=quiet)
    say(f"Niveaux comparés : {cal.comparees} sur {cal.attendues}.", quiet=quiet)
    say(f"Correction écrite : {target}", quiet=quiet)

"""`evaluation modele …`: train the passage classifier, measure the analysis against annotated consultations."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Annotated

import typer

from evaluation.cli.app import handles_input_errors, say
from evaluation.errors import InputError, Problem
from evaluation.training import LabelScore, QualityReport, measure_quality, sample_folders

__all__ = ["modele_app"]

modele_app = typer.Typer(help="Classifieur de passages : entraînement, et qualité de l'analyse mesurée sur des "
                              "consultations annotées.", no_args_is_help=True)


def _fr(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _table(title: str, scores: dict[str, LabelScore], micro: LabelScore) -> list[str]:
    lines = [title, f"  {'':32} {'précision':>9} {'rappel':>7} {'F1':>6} {'effectif':>9}"]
    for score in [*sorted(scores.values(), key=lambda s: s.label), micro]:
        if score.support or score.fp or score is micro:
            lines.append(f"  {score.label:32} {_fr(score.precision):>9} {_fr(score.recall):>7} "
                         f"{_fr(score.f1):>6} {score.support:>9}")
    return lines


def _by_consultation(report: QualityReport) -> list[str]:
    """One line per consultation: F1 per offer, Spearman, F1 per passage."""
    lines = ["Par consultation (F1 par offre, Spearman, puis F1 par passage)",
             f"  {'':32} {'offres':>6} {'éléments':>9} {'axes':>6} {'Spearman':>9} {'éléments':>9} {'axes':>6}"]
    for name, one in report.consultations.items():
        rho = one.spearman
        lines.append(f"  {name:32} {len(one.scores):>6} {_fr(one.offer_elements_micro.f1):>9} "
                     f"{_fr(one.offer_axes_micro.f1):>6} {_fr(rho) if rho is not None else '—':>9} "
                     f"{_fr(one.elements_micro.f1):>9} {_fr(one.axes_micro.f1):>6}")
    return lines


def _as_json(report: QualityReport) -> dict[str, object]:
    def block(scores: dict[str, LabelScore], micro: LabelScore) -> dict[str, object]:
        return {s.label: {"precision": round(s.precision, 4), "rappel": round(s.recall, 4), "f1": round(s.f1, 4),
                          "effectif": s.support} for s in [*scores.values(), micro]}

    return {
        "modele": report.modele,
        "elements": block(report.elements, report.elements_micro),
        "axes": block(report.axes, report.axes_micro),
        "offres": {"elements": block(report.offer_elements, report.offer_elements_micro),
                   "axes": block(report.offer_axes, report.offer_axes_micro)},
        "spearman": report.spearman,
        "scores": [{"consultation": c, "offre": o, "suggere": round(s, 4), "reference": round(r, 4)}
                   for c, o, s, r in report.scores],
        "extraits_introuvables": report.unmatched,
        "consultations": {name: {
            "offres": len(one.scores), "spearman": one.spearman,
            "f1_offre": {"elements": round(one.offer_elements_micro.f1, 4), "axes": round(one.offer_axes_micro.f1, 4)},
            "f1_passage": {"elements": round(one.elements_micro.f1, 4), "axes": round(one.axes_micro.f1, 4)},
        } for name, one in report.consultations.items()},
    }


@modele_app.command("evaluer")
@handles_input_errors
def evaluer(
    dossiers: Annotated[list[Path] | None, typer.Argument(
        help="Consultations annotées (avec reference.yaml) ; par défaut, les exemples fournis.",
        metavar="CONSULTATION")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Écrit les mesures en JSON sur la sortie standard.")] = False,
    modele: Annotated[Path | None, typer.Option(
        "--modele", help="Fichier du classifieur (.skops) ; par défaut, celui fourni dans models/.")] = None,
) -> None:
    """Mesure l'analyse face aux corrections de référence des consultations annotées.

    Précision, rappel et F1 par élément et par axe, passage par passage puis offre par offre ; corrélation
    de Spearman entre scores suggérés et scores de référence. Rien n'est écrit dans les dossiers analysés.
    """
    roots = dossiers or sample_folders()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = measure_quality(roots, model=modele)
    for warning in caught:
        say(f"Attention : {warning.message}")
    if as_json:
        typer.echo(json.dumps(_as_json(report), ensure_ascii=False, indent=2))
        return
    typer.echo(f"Qualité de l'analyse sur {len(roots)} consultation(s) annotée(s) — modèle : {report.modele}")
    for line in _table("Éléments du plan (par passage)", report.elements, report.elements_micro):
        typer.echo(line)
    for line in _table("Axes couverts par une action concrète (par passage)", report.axes, report.axes_micro):
        typer.echo(line)
    for line in _table("Éléments du plan (par offre : present dans analyse.json)", report.offer_elements,
                       report.offer_elements_micro):
        typer.echo(line)
    for line in _table("Axes de la consultation (par offre : couvert dans analyse.json)", report.offer_axes,
                       report.offer_axes_micro):
        typer.echo(line)
    rho = report.spearman
    typer.echo("Corrélation de Spearman (score suggéré / score de référence, plan de progrès) : "
               + (f"{_fr(rho)} sur {len(report.scores)} offres" if rho is not None else "non calculable"))
    if len(report.consultations) > 1:
        for line in _by_consultation(report):
            typer.echo(line)
    for missing in report.unmatched:
        typer.echo(f"Attention : extrait introuvable {missing}", err=True)


@modele_app.command("entrainer")
@handles_input_errors
def entrainer(
    date: Annotated[str | None, typer.Option(
        "--date", help="Date inscrite dans la fiche du modèle (AAAA-MM-JJ) ; sans elle, aucune date.")] = None,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="Dossier du corpus annoté (*.yaml) ; par défaut, samples/corpus.")] = None,
    sortie: Annotated[Path | None, typer.Option(
        "--sortie", help="Fichier du modèle à écrire (.skops) ; par défaut, "
                         "models/classifieur-passages.skops.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="N'affiche rien sauf les erreurs.")] = False,
) -> None:
    """Entraîne le classifieur de passages sur le corpus annoté et écrit le modèle et sa fiche.

    Déterministe : le même corpus donne le même fichier. La fiche (JSON, à côté du modèle) donne les
    versions des bibliothèques, l'empreinte SHA-256 du corpus et les mesures sur une partie mise de côté.
    """
    from evaluation.analysis.modelfile import bundled_model_path, card_path
    from evaluation.training.fitting import train_classifier

    if date is not None:
        try:
            date = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise InputError(Problem(f"date invalide « {date} »", conseil="format attendu : AAAA-MM-JJ")) from None
    output = sortie or bundled_model_path()
    card = train_classifier(output, corpus=corpus, date=date)
    held_out = card["evaluation"]
    say(f"Modèle écrit : {output} (fiche : {card_path(output)})", quiet=quiet)
    say(f"Corpus : {card['donnees']['passages']} passages, SHA-256 {card['donnees']['sha256'][:16]}…", quiet=quiet)
    say(f"Sur {held_out['passages_test']} passages mis de côté : F1 éléments "
        f"{_fr(held_out['elements_micro']['f1'])}, F1 axes {_fr(held_out['axes_micro']['f1'])}", quiet=quiet)

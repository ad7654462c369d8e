"""`evaluation modele …`: measure the analysis against the annotated training consultations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from evaluation.cli.app import handles_input_errors
from evaluation.training import LabelScore, QualityReport, measure_quality, sample_folders

__all__ = ["modele_app"]

modele_app = typer.Typer(help="Qualité de l'analyse automatique, mesurée sur des consultations annotées.",
                         no_args_is_help=True)


def _fr(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _table(title: str, scores: dict[str, LabelScore], micro: LabelScore) -> list[str]:
    lines = [title, f"  {'':32} {'précision':>9} {'rappel':>7} {'F1':>6} {'effectif':>9}"]
    for score in [*sorted(scores.values(), key=lambda s: s.label), micro]:
        if score.support or score.fp or score is micro:
            lines.append(f"  {score.label:32} {_fr(score.precision):>9} {_fr(score.recall):>7} "
                         f"{_fr(score.f1):>6} {score.support:>9}")
    return lines


def _as_json(report: QualityReport) -> dict[str, object]:
    def block(scores: dict[str, LabelScore], micro: LabelScore) -> dict[str, object]:
        return {s.label: {"precision": round(s.precision, 4), "rappel": round(s.recall, 4), "f1": round(s.f1, 4),
                          "effectif": s.support} for s in [*scores.values(), micro]}

    return {
        "elements": block(report.elements, report.elements_micro),
        "axes": block(report.axes, report.axes_micro),
        "spearman": report.spearman,
        "scores": [{"consultation": c, "offre": o, "suggere": round(s, 4), "reference": round(r, 4)}
                   for c, o, s, r in report.scores],
        "extraits_introuvables": report.unmatched,
    }


@modele_app.command("evaluer")
@handles_input_errors
def evaluer(
    dossiers: Annotated[list[Path] | None, typer.Argument(
        help="Consultations annotées (avec reference.yaml) ; par défaut, les exemples fournis.",
        metavar="CONSULTATION")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Écrit les mesures en JSON sur la sortie standard.")] = False,
) -> None:
    """Mesure l'analyse face aux corrections de référence des consultations annotées.

    Précision, rappel et F1 par élément et par axe ; corrélation de Spearman entre scores suggérés et
    scores de référence. Rien n'est écrit dans les dossiers analysés.
    """
    roots = dossiers or sample_folders()
    report = measure_quality(roots)
    if as_json:
        typer.echo(json.dumps(_as_json(report), ensure_ascii=False, indent=2))
        return
    typer.echo(f"Qualité de l'analyse sur {len(roots)} consultation(s) annotée(s)")
    for line in _table("Éléments du plan (par passage)", report.elements, report.elements_micro):
        typer.echo(line)
    for line in _table("Axes couverts par une action concrète (par passage)", report.axes, report.axes_micro):
        typer.echo(line)
    rho = report.spearman
    typer.echo("Corrélation de Spearman (score suggéré / score de référence, plan de progrès) : "
               + (f"{_fr(rho)} sur {len(report.scores)} offres" if rho is not None else "non calculable"))
    for missing in report.unmatched:
        typer.echo(f"Attention : extrait introuvable {missing}", err=True)

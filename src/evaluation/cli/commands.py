"""Every `evaluation` command: parse, call one library function, render in French."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from evaluation.cli.app import app, current_user, handles_input_errors, is_terminal, say
from evaluation.cli.formation import formation_app
from evaluation.cli.modele import modele_app
from evaluation.cli.notation import notation_app
from evaluation.cli.usage import is_usage_error, usage_message
from evaluation.errors import ConsultationError, GridError, InputError, Problem
from evaluation.model.folder import CONSULTATION_FILE, open_folder
from evaluation.model.registry import bundled_grid_ids, check_grid_file, load_grid
from evaluation.settings import data_dir

__all__ = ["app", "main"]

grille_app = typer.Typer(help="Grilles de notation : vérifier, lister, afficher.", no_args_is_help=True)
app.add_typer(grille_app, name="grille")
app.add_typer(notation_app, name="notation")
app.add_typer(modele_app, name="modele")
app.add_typer(formation_app, name="formation")

DEMO_SAMPLE = "vetements-2026"
DEMO_MARKER = ".demo-evaluation"

Folder = Annotated[Path, typer.Argument(help="Dossier de la consultation (contient consultation.yaml).",
                                        metavar="DOSSIER")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="N'affiche rien sauf les erreurs.")]
DateOpt = Annotated[str | None, typer.Option(
    "--date", help="Date imprimée dans les rapports (AAAA-MM-JJ). Sans elle, aucune date : "
                   "les mêmes données donnent des rapports identiques.")]
Formats = Annotated[str, typer.Option(
    "--format", help="Formats séparés par des virgules : html, xlsx, docx (rapport, lettres de rejet, demandes de "
                     "précisions), pdf (demande Pango, voir le README).")]
Standstill = Annotated[int, typer.Option(
    "--delai-suspension", min=0, max=90, help="Délai de suspension imprimé dans les lettres de rejet, en jours "
                                             "(article R. 2182-1 : 11 par voie électronique, 16 sinon ; à vérifier).")]


@grille_app.command("verifier")
@handles_input_errors
def grille_verifier(
    fichiers: Annotated[list[Path], typer.Argument(help="Fichiers YAML de grilles à vérifier.")],
) -> None:
    """Vérifie des grilles : structure, poids totalisant 100, échelle, signaux d'analyse."""
    failed = False
    for path in fichiers:
        try:
            grid = check_grid_file(path)
        except GridError as exc:
            failed = True
            for problem in exc.problems:
                typer.echo(f"Erreur : {problem}", err=True)
            continue
        typer.echo(f"{path} : grille {grid.full_id} valide ({len(grid.criteres)} critères, "
                   f"{len(grid.sub_criteria())} sous-critères).")
    if failed:
        raise typer.Exit(code=1)


@grille_app.command("lister")
@handles_input_errors
def grille_lister() -> None:
    """Liste les grilles fournies avec l'outil."""
    for grid_id in bundled_grid_ids():
        typer.echo(f"{grid_id}\t{load_grid(grid_id).libelle}")


@grille_app.command("afficher")
@handles_input_errors
def grille_afficher(
    identifiant: Annotated[str, typer.Argument(help="Identifiant versionné (ex. plan-de-progres-dae.v1) ou chemin.")],
) -> None:
    """Affiche une grille : critères, poids, échelle et signal d'analyse de chaque sous-critère."""
    grid = load_grid(identifiant, base=Path.cwd())
    typer.echo(f"{grid.full_id} — {grid.libelle}")
    typer.echo(f"Agrégation des évaluateurs : {grid.agregation}")
    typer.echo("Échelle :")
    for level in grid.echelle:
        typer.echo(f"  {level.niveau} {level.libelle} : {level.descripteur}")
    for criterion in grid.criteres:
        typer.echo(f"{criterion.libelle} [{criterion.id}] — {criterion.poids} points")
        if criterion.prix is not None:
            rule = criterion.prix.offre_anormalement_basse
            typer.echo(f"  méthode : {criterion.prix.methode} ; offre anormalement basse : règle {rule.regle}")
        for sub in criterion.sous_criteres:
            target = sub.signal.element or sub.signal.axe
            signal = sub.signal.type + (f" ({target})" if target else "")
            typer.echo(f"  - {sub.libelle} [{sub.id}] — {sub.poids} % du critère — signal : {signal}")


@app.command("initialiser")
@handles_input_errors
def initialiser(
    dossier: Folder,
    reference: Annotated[str, typer.Option(help="Référence de la consultation.")] = "A-COMPLETER",
    grille: Annotated[str, typer.Option(help="Grille (identifiant versionné ou chemin).")] = "plan-de-progres-dae.v1",
) -> None:
    """Crée un dossier de consultation : consultation.yaml à compléter et offres/."""
    load_grid(grille, base=dossier)
    target = dossier / CONSULTATION_FILE
    if target.exists():
        raise ConsultationError(Problem(f"{CONSULTATION_FILE} existe déjà", fichier=target,
                                        conseil="modifiez-le directement"))
    (dossier / "offres").mkdir(parents=True, exist_ok=True)
    target.write_text(
        f"reference: {json.dumps(reference, ensure_ascii=False)}\n"
        "objet: A compléter\n"
        "acheteur: A compléter\n"
        f"grille: {grille}\n"
        "axes: [decarbonation, emballages_dechets, insertion_sociale]\n"
        "prix_exprimes: HT\n"
        "offres: {}   # ex. alpha: {soumissionnaire: Alpha SAS, prix: 125000.00}\n"
        "evaluateurs: []\n",
        encoding="utf-8",
    )
    say(f"Consultation créée : {target}. Déposez chaque mémoire dans {dossier / 'offres'}/<identifiant>/.")


def _analyse(dossier: Path, quiet: bool, jobs: int | None = None) -> dict[str, object]:
    from evaluation.analysis import ANALYSIS_FILE, analyse_folder
    from evaluation.settings import default_jobs

    folder = open_folder(dossier)
    for warning in folder.warnings:
        say(f"Attention : {warning}", quiet=quiet)

    def progress(offer: str, index: int, total: int) -> None:
        if offer and is_terminal() and not quiet:
            typer.echo(f"  analyse de l'offre {offer} ({index + 1}/{total})…", err=True)

    run = analyse_folder(folder, progress=progress, auteur=current_user(), jobs=jobs or default_jobs())
    summary: dict[str, object] = {"analyse": str(folder.results_dir / ANALYSIS_FILE), "offres": {}}
    for offer_id, offer in run.result.offres.items():
        # A document read in full can still carry a note (owner-password PDF…): list it too.
        rejected = [d for d in offer.documents if d.statut != "ok" or d.motif]
        summary["offres"][offer_id] = {  # type: ignore[index]
            "documents": len(offer.documents), "a_verifier": offer.a_verifier,
            "problemes": [{"fichier": d.fichier, "statut": d.statut, "motif": d.motif} for d in rejected],
        }
        status = "à vérifier" if offer.a_verifier else "analysée"
        say(f"Offre {offer_id} ({offer.soumissionnaire}) : {len(offer.documents)} document(s), {status}.", quiet=quiet)
        for doc in rejected:
            say(f"  {doc.fichier} [{doc.statut}] {doc.motif or ''} (SHA-256 {doc.sha256})", quiet=quiet)
    say(f"Analyse écrite : {summary['analyse']}", quiet=quiet)
    return summary


@app.command("analyser")
@handles_input_errors
def analyser(
    dossier: Folder,
    quiet: Quiet = False,
    as_json: Annotated[bool, typer.Option("--json", help="Écrit le résumé en JSON sur la sortie standard.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, max=64, help="Nombre de processus qui lisent les offres en parallèle ; par défaut, "
                                            "les cœurs disponibles (au plus 4). Le résultat est le même.")] = None,
) -> None:
    """Analyse les mémoires de chaque offre et écrit resultats/analyse.json."""
    summary = _analyse(dossier, quiet or as_json, jobs)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))


def _report(dossier: Path, formats: str, date: str | None, quiet: bool, delai_suspension: int = 11) -> list[Path]:
    from evaluation.reporting.run import FORMATS, produce_report

    if date is not None:
        try:
            date = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise InputError(Problem(f"date invalide « {date} »", conseil="format attendu : AAAA-MM-JJ, "
                                     "par exemple 2026-12-01")) from None
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise InputError(Problem(f"format(s) inconnu(s) : {', '.join(unknown) or '(aucun)'}",
                                 conseil="formats disponibles : " + ", ".join(FORMATS)))
    written = produce_report(open_folder(dossier), formats=wanted, date=date, delai_suspension=delai_suspension)
    for path in written:
        say(f"Rapport écrit : {path}", quiet=quiet)
    if "docx" in wanted and not any(p.parent.name == "lettres" for p in written):
        say("Aucune lettre de rejet : aucune offre n'est seule classée première (voir la proposition d'attribution "
            "du rapport).", quiet=quiet)
    return written


@app.command("rapport")
@handles_input_errors
def rapport(dossier: Folder, formats: Formats = "html,xlsx,docx", date: DateOpt = None, quiet: Quiet = False,
            delai_suspension: Standstill = 11) -> None:
    """Calcule les notes et le classement, puis écrit le rapport d'analyse des offres et les lettres (rapports/)."""
    _report(dossier, formats, date, quiet, delai_suspension)


@app.command("demo")
@handles_input_errors
def demo(
    sortie: Annotated[Path, typer.Option("--sortie", help="Dossier où copier la consultation d'exemple.")] = Path(
        "demo-plan-de-progres"),
    date: DateOpt = None,
    quiet: Quiet = False,
) -> None:
    """Copie la consultation d'exemple, l'analyse et produit ses rapports."""
    source = data_dir("samples") / DEMO_SAMPLE
    if sortie.exists() and any(sortie.iterdir()):
        if not (sortie / DEMO_MARKER).is_file():
            raise InputError(Problem("le dossier de sortie existe et n'est pas une démonstration précédente",
                                     fichier=sortie, conseil="choisissez un autre dossier avec --sortie"))
        shutil.rmtree(sortie)
    shutil.copytree(source, sortie)
    (sortie / DEMO_MARKER).write_text("Dossier créé par `evaluation demo` : il peut être remplacé.\n",
                                      encoding="utf-8")
    say(f"Consultation d'exemple copiée dans {sortie}", quiet=quiet)
    _analyse(sortie, quiet)
    written = _report(sortie, "html,xlsx,docx", date, quiet=True)
    say("Rapports :", quiet=quiet)
    for path in written:
        say(f"  {path}", quiet=quiet)


def main() -> None:
    """Entry point of the `evaluation` script: exit codes 0 done, 1 bad input, 2 usage error."""
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        typer.echo("Interrompu.", err=True)
        sys.exit(130)
    except Exception as exc:
        if not is_usage_error(exc):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(getattr(exc, "message", ""), err=True)
        else:
            typer.echo(usage_message(exc), err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)

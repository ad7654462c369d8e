"""`evaluation notation …`: evaluator workbooks, their import, consensus levels and the scoring status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from evaluation.cli.app import current_user, handles_input_errors, say
from evaluation.model import AnalysisResult
from evaluation.model.folder import ConsultationFolder, open_folder
from evaluation.scoring import commission_status, load_commission_scores, set_consensus
from evaluation.scoring.checks import french
from evaluation.scoring.importing import WorkbookError, import_workbook
from evaluation.scoring.workbook import export_workbooks
from evaluation.store import Store

__all__ = ["notation_app"]

notation_app = typer.Typer(
    help="Notation par la commission : classeurs des évaluateurs, import, consensus, état.",
    no_args_is_help=True,
)

Folder = Annotated[Path, typer.Argument(help="Dossier de la consultation (contient consultation.yaml).",
                                        metavar="DOSSIER")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="N'affiche rien sauf les erreurs.")]


def _analysis(folder: ConsultationFolder, quiet: bool) -> AnalysisResult | None:
    """The analysis if there is one: without it, workbooks carry no suggestion and no ranking is written."""
    from evaluation.analysis import ANALYSIS_FILE
    from evaluation.reporting.run import load_analysis

    if not (folder.results_dir / ANALYSIS_FILE).is_file():
        say("Attention : aucune analyse (evaluation analyser) : pas de suggestion de l'outil ni de classement.",
            quiet=quiet)
        return None
    return load_analysis(folder)


def _update_ranking(folder: ConsultationFolder, quiet: bool) -> None:
    from evaluation.reporting.run import RANKING_FILE, write_ranking

    analysis = _analysis(folder, quiet)
    if analysis is None:
        return
    ranking = write_ranking(folder, analysis)
    state = "provisoire" if ranking.provisoire else "établi sur les notes de la commission"
    say(f"Classement {state} écrit : {folder.results_dir / RANKING_FILE}", quiet=quiet)


@notation_app.command("exporter")
@handles_input_errors
def exporter(
    dossier: Folder,
    evaluateur: Annotated[list[str] | None, typer.Option(
        "--evaluateur", metavar="NOM",
        help="Évaluateur déclaré dans consultation.yaml (option répétable) ; par défaut, tous.")] = None,
    remplacer: Annotated[bool, typer.Option(
        "--remplacer", help="Remplace un classeur existant qui diffère ; les notes déjà importées y sont reprises, "
                            "celles qui ne l'ont pas été sont perdues.")] = False,
    quiet: Quiet = False,
) -> None:
    """Prépare un classeur Excel de notation par évaluateur, dans notation/ du dossier."""
    folder = open_folder(dossier)
    analysis = _analysis(folder, quiet)
    with Store.open(folder.db_path) as store:
        written = export_workbooks(folder, analysis, store, evaluators=evaluateur or [], replace=remplacer,
                                   auteur=current_user())
    for workbook in written:
        state = "" if workbook.ecrit else " (inchangé)"
        say(f"Classeur de {workbook.evaluateur} : {workbook.path}{state}", quiet=quiet)


@notation_app.command("importer")
@handles_input_errors
def importer(
    dossier: Folder,
    fichiers: Annotated[list[Path], typer.Argument(help="Classeurs de notation remplis (.xlsx).", metavar="FICHIER…")],
    quiet: Quiet = False,
) -> None:
    """Importe des classeurs de notation remplis ; un classeur fautif est refusé en entier."""
    folder = open_folder(dossier)
    refused = 0
    with Store.open(folder.db_path) as store:
        for path in fichiers:
            try:
                result = import_workbook(folder, path, store, auteur=current_user())
            except WorkbookError as exc:
                refused += 1
                for problem in exc.problems:
                    typer.echo(f"Erreur : {problem}", err=True)
                typer.echo(f"Classeur refusé en entier, aucune note enregistrée : {path}", err=True)
                continue
            say(f"{path} ({result.evaluateur}) : {result.ajoutees} note(s) ajoutée(s), {result.modifiees} "
                f"modifiée(s), {result.inchangees} inchangée(s), {result.vides} sous-critère(s) non noté(s).",
                quiet=quiet)
            if result.conservees:
                say(f"  {result.conservees} note(s) déjà importée(s) laissée(s) vide(s) dans ce classeur : "
                    "conservée(s), un import ne supprime jamais une note.", quiet=quiet)
    if refused < len(fichiers):
        _update_ranking(folder, quiet)
    if refused:
        raise typer.Exit(code=1)


@notation_app.command("consensus")
@handles_input_errors
def consensus(
    dossier: Folder,
    offre: Annotated[str, typer.Option("--offre", help="Identifiant de l'offre (dossier offres/<id>).")],
    sous_critere: Annotated[str, typer.Option("--sous-critere", help="Identifiant du sous-critère de la grille.")],
    niveau: Annotated[int, typer.Option("--niveau", help="Niveau de consensus, dans l'échelle de la grille.")],
    justification: Annotated[str, typer.Option(
        "--justification", help="Motivation de la note de consensus (une vraie phrase, 15 caractères au moins).")],
    auteur: Annotated[str | None, typer.Option(
        "--auteur", help="Président de la commission qui arrête la note ; par défaut, le compte courant.")] = None,
    quiet: Quiet = False,
) -> None:
    """Arrête la note de consensus d'un sous-critère pour une offre (président de la commission)."""
    folder = open_folder(dossier)
    account = current_user()
    with Store.open(folder.db_path) as store:
        change = set_consensus(folder, store, offre=offre, sous_critere=sous_critere, niveau=niveau,
                               justification=justification, auteur=auteur or account, compte=account)
    message = {"ajout": "enregistrée", "modification": "modifiée (l'ancienne reste au journal)",
               "inchange": "inchangée"}[change]
    say(f"Note de consensus {message} : offre {offre}, sous-critère {sous_critere}, niveau {niveau}.", quiet=quiet)
    _update_ranking(folder, quiet)


@notation_app.command("etat")
@handles_input_errors
def etat(
    dossier: Folder,
    as_json: Annotated[bool, typer.Option("--json", help="Écrit l'état en JSON sur la sortie standard.")] = False,
) -> None:
    """Affiche qui a noté quoi, les désaccords entre évaluateurs et les notes manquantes."""
    folder = open_folder(dossier)
    with Store.open(folder.db_path) as store:
        cells = commission_status(folder, load_commission_scores(store))
    if as_json:
        typer.echo(json.dumps([{
            "offre": c.offre, "sous_critere": c.sous_critere, "niveaux": c.niveaux, "manquants": list(c.manquants),
            "agregat": None if c.agregat is None else str(c.agregat), "desaccord": c.desaccord,
            "consensus": None if c.consensus is None else {
                "niveau": c.consensus.niveau, "justification": c.consensus.justification,
                "auteur": c.consensus.auteur},
        } for c in cells], ensure_ascii=False, indent=2))
        return
    names = {o.id: o.soumissionnaire for o in folder.offers}
    current = None
    for cell in cells:
        if cell.offre != current:
            current = cell.offre
            typer.echo(f"Offre {cell.offre} ({names.get(cell.offre, cell.offre)})")
        levels = ", ".join(f"{name} {level}" for name, level in cell.niveaux.items()) or "aucune note"
        parts = [f"  {cell.sous_critere} : {levels}"]
        if cell.agregat is not None:
            parts.append(f"{folder.grid.agregation} {french(cell.agregat)}")
        if cell.desaccord:
            parts.append("DÉSACCORD" + (" résolu" if cell.consensus else " : consensus à arrêter"))
        if cell.consensus is not None:
            parts.append(f"consensus {cell.consensus.niveau} ({cell.consensus.auteur})")
        if cell.manquants and cell.consensus is None:
            parts.append("manque : " + ", ".join(cell.manquants))
        typer.echo(" ; ".join(parts))
    expected = len(cells) * len(folder.consultation.evaluateurs)
    scored = sum(len(c.niveaux) for c in cells)
    open_splits = sum(1 for c in cells if c.desaccord and c.consensus is None)
    typer.echo(f"{scored} note(s) sur {expected} attendue(s) ; {open_splits} désaccord(s) sans consensus.")


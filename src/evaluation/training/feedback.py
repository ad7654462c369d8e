"""Correction of a trainee's exercise workbook against the sample's reference correction.

The workbook is first checked exactly as a commission workbook is at import (same code: locked cells,
fingerprint known to the exercise folder's store, levels in the scale, real justifications), and must carry
the exercise metadata. Then, per offer and sub-criterion: the trainee's level beside the reference level,
the signed gap (trainee minus reference), both justifications, and the evidence the trainee missed.

Evidence relevant to a sub-criterion: the reference annotations of that offer chosen through the
sub-criterion's grid signal —

- `element` E: passages labelled E, and the clause copied back (trap `copie_clause`), which fakes every element;
- `axe` A: passages labelled A, and axes merely listed (trap `enumeration`);
- `axes`: passages labelled with one of the consultation's axes, and the `enumeration` trap;
- `planning_precis`: passages labelled `calendrier` (the dated steps);
- `depassement_reglementaire`: passages labelled `objectifs` (the quantified targets, where a commitment
  beyond a legal minimum is or is not made), and regulation merely complied with (trap `conformite_seule`);
- `engagement`: passages labelled `actions_titulaire` (the commitments themselves) and the traps
  `conditionnel`, `report` and `negation`;
- `aucun` (scored by the commission only): none.

A relevant passage counts as cited when the trainee's justification shares with its excerpt at least two
significant words (one if the excerpt has only one): words of four letters or more that are neither French
function words nor the clause's own vocabulary (objectif, indicateur, action…), compared without accents
or case and with a final « s » or « x » dropped (« bacs » matches « bac »), and numbers of two characters
or more. Otherwise it is « missed » (missed traps are listed first). The heuristic is deliberately simple:
it tells a trainee which passages their justification does not point to, not whether their reasoning is
right.

Calibration, over the sub-criteria the trainee scored: mean absolute gap in levels, mean signed gap (bias),
share of exact levels and of levels within one of the reference; Spearman's rho between the trainee's
ranking of the offers and the expected ranking (`classement_attendu`). The trainee's ranking orders the
offers by the points their levels give on the sub-criteria the analysis can suggest (those with a signal:
the plan de progrès itself), like `evaluation modele evaluer`; an offer with one of those left empty is not
ranked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from scipy.stats import spearmanr

from evaluation.analysis.text import fold
from evaluation.errors import ConsultationError, InputError, Problem
from evaluation.ingest import read_document
from evaluation.model import ReadDocument
from evaluation.model.consultation import Consultation
from evaluation.model.folder import CONSULTATION_FILE, ConsultationFolder, open_folder
from evaluation.model.grid import Grid, Signal
from evaluation.model.loading import load_model
from evaluation.model.reference import PassageAnnotation, Reference
from evaluation.model.registry import load_axis_catalogue, load_element_catalogue
from evaluation.scoring.importing import WorkbookError, read_workbook
from evaluation.scoring.workbook import NOTATION_DIR
from evaluation.store import Store
from evaluation.training.exercise import EXERCISE_SHEET, ExerciseInfo, bundled_samples, read_exercise_info
from evaluation.training.quality import REFERENCE_FILE

__all__ = [
    "SCOPES",
    "TRAPS",
    "Calibration",
    "Feedback",
    "MissedEvidence",
    "OfferFeedback",
    "SubFeedback",
    "cites",
    "correct_exercise",
    "exercise_folder",
    "relevant",
    "significant_words",
    "verdict",
]

TRAPS: dict[str, str] = {
    "conformite_seule": "conformité seule",
    "negation": "négation",
    "conditionnel": "engagement conditionnel",
    "enumeration": "énumération sans action",
    "copie_clause": "recopie de la clause",
    "report": "report à plus tard",
}
#: What `relevant` looks at, per signal type, in the trainee's words.
SCOPES: dict[str, str] = {
    "element": "passages de référence qui donnent l'élément « {cible} », et la recopie de la clause",
    "axe": "passages de référence qui traitent l'axe « {cible} », et les axes seulement énumérés",
    "axes": "passages de référence qui traitent un axe de la consultation, et les axes seulement énumérés",
    "planning_precis": "passages de référence qui donnent le calendrier des actions",
    "depassement_reglementaire": "objectifs chiffrés et simples rappels de conformité réglementaire",
    "engagement": "actions du titulaire et engagements conditionnels, reportés ou niés",
    "aucun": "aucun passage annoté, sous-critère jugé sur l'ensemble du mémoire",
}
_ENGAGEMENT_TRAPS = frozenset({"conditionnel", "report", "negation"})
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
#: Folded, as is or without a final s/x: French function words and the clause's vocabulary, which every plan
#: uses.
_STOPWORDS = frozenset({
    "afin", "ainsi", "alor", "apre", "aucun", "aucune", "auss", "aussi", "autre", "avan", "avant", "avec", "avoir",
    "cela", "celle", "celui", "cett", "cette", "ceux", "chaque", "chez", "comme", "comment", "dans", "depui", "donc",
    "dont", "elle", "encore", "ensemble", "entre", "etai", "etait", "etre", "fait", "faire", "fera", "feront",
    "leur", "lors", "mais", "meme", "moin", "notre", "nous", "peut", "plus", "pour", "pourra", "pourront", "quand",
    "quatre", "quel", "quelle", "rien", "sans", "sera", "seront", "selon", "sont", "sous", "tels", "telle", "tous",
    "tout", "toute", "tres", "troi", "votre", "vous", "vers", "acheteur", "action", "annee", "centrale",
    "calendrier", "candidat", "clause", "commande", "concret", "concrete", "delai", "document", "engage",
    "engagement", "gain", "indicateur", "marche", "memoire", "mesure", "moyen", "niveau", "objectif", "offre",
    "partage", "plan", "preci", "prevoit", "progre", "propose", "proposon", "realiser", "suivi", "titulaire",
})


@dataclass(frozen=True)
class MissedEvidence:
    """A reference passage relevant to a sub-criterion that the trainee's justification does not cite."""

    extrait: str
    fichier: str | None  # None: the excerpt was not found in the offer's documents
    page: int | None
    paragraphe: int | None
    etiquettes: tuple[str, ...]  # French labels of its elements and axes
    piege: str | None  # French label of its trap


@dataclass(frozen=True)
class SubFeedback:
    critere: str
    sous_critere: str
    libelle: str
    perimetre: str  # which reference passages were looked at (SCOPES)
    niveau: int | None  # the trainee's; None when left empty
    niveau_reference: int | None  # None when the reference gives none
    justification: str | None
    justification_reference: str | None
    pertinents: int  # reference passages relevant to this sub-criterion
    manquees: tuple[MissedEvidence, ...]

    @property
    def ecart(self) -> int | None:
        """Trainee minus reference: positive when the trainee scored higher."""
        if self.niveau is None or self.niveau_reference is None:
            return None
        return self.niveau - self.niveau_reference


@dataclass(frozen=True)
class OfferFeedback:
    offre: str
    soumissionnaire: str
    sous_criteres: tuple[SubFeedback, ...]
    points: Fraction | None  # on the ranking sub-criteria; None when one of them is empty
    points_reference: Fraction | None
    rang: int | None  # in the trainee's ranking (ties share a rank)
    rang_attendu: int


@dataclass(frozen=True)
class Calibration:
    comparees: int  # levels compared with the reference
    attendues: int  # levels the reference gives
    ecart_moyen: Fraction | None  # mean absolute gap
    biais: Fraction | None  # mean signed gap
    exacts: Fraction | None
    a_un_niveau: Fraction | None
    spearman: float | None
    classement: tuple[tuple[str, ...], ...]  # the trainee's, best first, tied offers together
    classement_attendu: tuple[str, ...]
    non_classees: tuple[str, ...]
    verdict: str


@dataclass(frozen=True)
class Feedback:
    exemple: str
    stagiaire: str
    aide: bool
    classeur: str
    dossier: Path  # the exercise folder
    reference: str
    objet: str
    acheteur: str
    grille: Grid
    points_max: Fraction
    offres: tuple[OfferFeedback, ...]
    calibration: Calibration


def significant_words(text: str) -> frozenset[str]:
    """The words that identify what a passage says (see the module docstring)."""
    words = set()
    for token in _TOKEN.findall(fold(text)):
        if any(c.isdigit() for c in token):
            if len(token) >= 2:
                words.add(token.replace(".", ","))
            continue
        if len(token) < 4:
            continue
        stem = token[:-1] if token[-1] in "sx" else token
        if token not in _STOPWORDS and stem not in _STOPWORDS:
            words.add(stem)
    return frozenset(words)


def cites(justification: str | None, excerpt: str) -> bool:
    """True when the justification shares at least two significant words with the excerpt (one if it has one).

    An excerpt without any significant word cannot be checked: it counts as cited.
    """
    wanted = significant_words(excerpt)
    if not wanted:
        return True
    shared = wanted & significant_words(justification or "")
    return len(shared) >= min(2, len(wanted))


def relevant(signal: Signal, note: PassageAnnotation, axes: frozenset[str]) -> bool:
    """Whether a reference annotation bears on a sub-criterion with this grid signal (module docstring)."""
    kind = signal.type
    if kind == "element":
        return signal.element in note.elements or note.piege == "copie_clause"
    if kind == "axe":
        return signal.axe in note.axes or note.piege == "enumeration"
    if kind == "axes":
        return bool(axes.intersection(note.axes)) or note.piege == "enumeration"
    if kind == "planning_precis":
        return "calendrier" in note.elements
    if kind == "depassement_reglementaire":
        return "objectifs" in note.elements or note.piege == "conformite_seule"
    if kind == "engagement":
        return "actions_titulaire" in note.elements or note.piege in _ENGAGEMENT_TRAPS
    return False


def verdict(comparees: int, attendues: int, ecart_moyen: Fraction | None, biais: Fraction | None,
            a_un_niveau: Fraction | None, spearman: float | None) -> str:
    """One line in French: the calibration in words.

    Well calibrated: mean absolute gap at most 0.5 level and 90 % of the levels within one of the reference;
    to refine: at most 1 level and 75 % within one; otherwise to recalibrate. A mean signed gap of half a
    level or more is named as a tendency to over- or under-score; a Spearman below 0.5 as a ranking far from
    the expected one.
    """
    if not comparees or ecart_moyen is None or biais is None or a_un_niveau is None:
        return "Aucun niveau saisi : complétez le classeur puis relancez la correction."
    if ecart_moyen <= Fraction(1, 2) and a_un_niveau >= Fraction(9, 10):
        head = "Notation bien calibrée"
    elif ecart_moyen <= 1 and a_un_niveau >= Fraction(3, 4):
        head = "Notation à affiner"
    else:
        head = "Notation à recalibrer"
    far = comparees - round(a_un_niveau * comparees)
    unit = "niveau" if ecart_moyen < 2 else "niveaux"
    text = (f"{head} : vos niveaux s'écartent en moyenne de {_decimal(ecart_moyen)} {unit} de la référence, "
            f"{far} sur {comparees} de deux niveaux ou plus")
    if biais >= Fraction(1, 2):
        text += f", avec une tendance à surnoter (+{_decimal(biais)} en moyenne)"
    elif biais <= -Fraction(1, 2):
        text += f", avec une tendance à sous-noter (−{_decimal(-biais)} en moyenne)"
    if spearman is not None and spearman < 0.5:
        text += " ; votre classement des offres s'éloigne du classement attendu"
    if comparees < attendues:
        text += f" ; {attendues - comparees} sous-critère(s) non noté(s)"
    return text + "."


def _decimal(value: Fraction) -> str:
    return f"{float(value):.2f}".replace(".", ",")


def exercise_folder(workbook: Path, folder: Path | None = None) -> Path:
    """The exercise folder: `folder` if given, else the one the workbook was prepared in (parent of notation/)."""
    if folder is not None:
        return folder
    parent = workbook.resolve().parent
    if parent.name == NOTATION_DIR and (parent.parent / CONSULTATION_FILE).is_file():
        return parent.parent
    raise InputError(Problem(
        "dossier de l'exercice introuvable : le classeur n'est plus dans le dossier notation/ où il a été préparé",
        fichier=workbook, conseil="indiquez le dossier de l'exercice avec --dossier"))


def _reference_file(info: ExerciseInfo, override: Path | None) -> Path:
    if override is not None:
        path = override / REFERENCE_FILE if override.is_dir() else override
    elif info.source:
        path = Path(info.source) / REFERENCE_FILE
    else:
        root = bundled_samples().get(info.exemple)
        if root is None:
            raise ConsultationError(Problem(
                f"l'exemple « {info.exemple} » n'est pas fourni avec cette version de l'outil",
                conseil="indiquez sa correction de référence avec --reference"))
        path = root / REFERENCE_FILE
    if not path.is_file():
        raise ConsultationError(Problem("correction de référence introuvable", fichier=path,
                                        conseil="indiquez le dossier de l'exemple (avec reference.yaml) par "
                                                "--reference"))
    return path


def _load_reference(path: Path, folder: ConsultationFolder) -> Reference:
    beside = path.parent / CONSULTATION_FILE
    if beside.is_file():
        declared = load_model(Consultation, beside, ConsultationError).reference
        if declared != folder.consultation.reference:
            raise ConsultationError(Problem(
                f"cette référence corrige la consultation « {declared} », l'exercice porte sur "
                f"« {folder.consultation.reference} »", fichier=path,
                conseil="indiquez la correction de l'exemple de l'exercice (--reference)"))
    reference = load_model(Reference, path, ConsultationError)
    if reference.grille != folder.grid.full_id:
        raise ConsultationError(Problem(
            f"la référence est donnée dans la grille {reference.grille}, l'exercice utilise {folder.grid.full_id}",
            fichier=path, champ="grille"))
    offers = {o.id for o in folder.offers}
    if set(reference.offres) != offers:
        raise ConsultationError(Problem(
            "les offres de la référence (" + ", ".join(sorted(reference.offres)) + ") ne sont pas celles de "
            "l'exercice (" + ", ".join(sorted(offers)) + ")", fichier=path, champ="offres"))
    return reference


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def _locate(documents: list[ReadDocument], excerpt: str) -> tuple[str | None, int | None, int | None]:
    """File, page and paragraph of the passage holding the excerpt (the file only if it spans passages)."""
    wanted = _norm(excerpt)
    for doc in documents:
        for block in doc.blocs:
            if wanted in _norm(block.texte):
                return doc.fichier, block.page, block.paragraphe
    for doc in documents:
        if wanted in " ".join(_norm(b.texte) for b in doc.blocs):
            return doc.fichier, None, None
    return None, None, None


def _points(grid: Grid, levels: dict[str, int | None], subs: list[str]) -> Fraction | None:
    total = Fraction(0)
    for criterion, sub in grid.sub_criteria():
        if sub.id in subs:
            level = levels.get(sub.id)
            if level is None:
                return None
            total += Fraction(criterion.poids) * Fraction(sub.poids) / 100 * level / grid.max_level
    return total


def _ranks(points: dict[str, Fraction]) -> tuple[dict[str, int], tuple[tuple[str, ...], ...]]:
    """Competition ranking (1, 1, 3…) and the groups of tied offers, best first."""
    groups: list[tuple[str, ...]] = []
    for value in sorted(set(points.values()), reverse=True):
        groups.append(tuple(sorted(o for o, p in points.items() if p == value)))
    ranks, rank = {}, 1
    for group in groups:
        for offer in group:
            ranks[offer] = rank
        rank += len(group)
    return ranks, tuple(groups)


def _calibration(offers: list[OfferFeedback], expected: list[str], ranked: dict[str, Fraction],
                 groups: tuple[tuple[str, ...], ...]) -> Calibration:
    gaps = [s.ecart for o in offers for s in o.sous_criteres if s.ecart is not None]
    attendues = sum(1 for o in offers for s in o.sous_criteres if s.niveau_reference is not None)
    n = len(gaps)
    mean_abs = Fraction(sum(abs(g) for g in gaps), n) if n else None
    bias = Fraction(sum(gaps), n) if n else None
    rho = None
    # Undefined with fewer than three offers, or when the trainee gave every offer the same points.
    if len(ranked) >= 3 and len(set(ranked.values())) > 1:
        order = [o for o in expected if o in ranked]
        rho = float(spearmanr([float(ranked[o]) for o in order], [-expected.index(o) for o in order]).statistic)
    within = Fraction(sum(1 for g in gaps if abs(g) <= 1), n) if n else None
    return Calibration(
        comparees=n, attendues=attendues, ecart_moyen=mean_abs, biais=bias,
        exacts=Fraction(sum(1 for g in gaps if g == 0), n) if n else None, a_un_niveau=within,
        spearman=rho, classement=groups, classement_attendu=tuple(expected),
        non_classees=tuple(o for o in expected if o not in ranked),
        verdict=verdict(n, attendues, mean_abs, bias, within, rho),
    )


def correct_exercise(workbook: Path, *, folder: Path | None = None, reference: Path | None = None) -> Feedback:
    """Check a filled exercise workbook and compare it with the reference correction. Writes nothing.

    Args:
        workbook: the trainee's workbook.
        folder: the exercise folder (default: the folder the workbook was prepared in).
        reference: the sample folder or its reference.yaml (default: the sample recorded in the workbook).

    Raises:
        WorkbookError: not an exercise workbook, or a workbook the import checks refuse (sheet and cell named).
        InputError: exercise folder or reference not found, or a reference for another consultation.
    """
    info = read_exercise_info(workbook)
    root = exercise_folder(workbook, folder)
    consultation = open_folder(root)
    if not consultation.db_path.is_file():
        raise InputError(Problem(
            "ce dossier n'est pas celui de l'exercice : consultation.db absent", fichier=root,
            conseil="indiquez avec --dossier le dossier préparé par evaluation formation exercice"))
    with Store.open(consultation.db_path) as store:
        read = read_workbook(consultation, workbook, store)
    if read.export.evaluateur != info.stagiaire:  # pragma: no cover - both are fingerprinted
        raise WorkbookError(Problem("stagiaire incohérent", fichier=workbook,
                                    champ=f"feuille « {EXERCISE_SHEET} », cellule B4"))
    ref = _load_reference(_reference_file(info, reference), consultation)
    grid = consultation.grid
    levels = {(n.offre, n.sous_critere): n for n in read.notes}
    axes = frozenset(a.id for a in consultation.axes)
    labels: dict[str, str] = {e.id: e.libelle for e in load_element_catalogue().elements}
    labels |= {a.id: a.libelle for a in load_axis_catalogue().axes} | {a.id: a.libelle for a in consultation.axes}
    ranking_subs = [s.id for _, s in grid.sub_criteria() if s.signal.type != "aucun"] or [
        s.id for _, s in grid.sub_criteria()]
    expected = list(ref.classement_attendu)
    drafts = []
    for offer in consultation.offers:
        documents = [read_document(path, consultation.root) for path in offer.files]
        notes = [a for a in ref.annotations if a.offre == offer.id]
        reference_offer = ref.offres[offer.id]
        subs = []
        for criterion, sub in grid.sub_criteria():
            note = levels.get((offer.id, sub.id))
            ref_level = reference_offer.niveaux.get(sub.id)
            justification = note.justification if note else None
            related = [a for a in notes if relevant(sub.signal, a, axes)]
            missed = []
            # Traps first: they are what an exercise is meant to make a trainee notice.
            for annotation in sorted(related, key=lambda a: a.piege is None):
                if cites(justification, annotation.extrait):
                    continue
                fichier, page, paragraphe = _locate(documents, annotation.extrait)
                missed.append(MissedEvidence(
                    extrait=annotation.extrait, fichier=fichier, page=page, paragraphe=paragraphe,
                    etiquettes=tuple(labels.get(x, x) for x in [*annotation.elements, *annotation.axes]),
                    piege=TRAPS.get(annotation.piege) if annotation.piege else None))
            target = sub.signal.element or sub.signal.axe
            subs.append(SubFeedback(
                critere=criterion.libelle, sous_critere=sub.id, libelle=sub.libelle,
                perimetre=SCOPES[sub.signal.type].format(cible=labels.get(target, target) if target else ""),
                niveau=note.niveau if note else None, niveau_reference=ref_level.niveau if ref_level else None,
                justification=justification, justification_reference=ref_level.justification if ref_level else None,
                pertinents=len(related), manquees=tuple(missed)))
        trainee_levels = {s.sous_critere: s.niveau for s in subs}
        reference_levels = {s.sous_critere: s.niveau_reference for s in subs}
        drafts.append((offer, tuple(subs), _points(grid, trainee_levels, ranking_subs),
                       _points(grid, reference_levels, ranking_subs)))
    ranked = {offer.id: points for offer, _, points, _ in drafts if points is not None}
    ranks, groups = _ranks(ranked)
    offers = [OfferFeedback(offre=offer.id, soumissionnaire=offer.soumissionnaire, sous_criteres=subs,
                            points=points, points_reference=points_ref, rang=ranks.get(offer.id),
                            rang_attendu=expected.index(offer.id) + 1)
              for offer, subs, points, points_ref in drafts]
    points_max = sum((Fraction(c.poids) * Fraction(s.poids) / 100 for c, s in grid.sub_criteria()
                      if s.id in ranking_subs), Fraction(0))
    return Feedback(
        exemple=info.exemple, stagiaire=info.stagiaire, aide=info.aide, classeur=workbook.name, dossier=root,
        reference=consultation.consultation.reference, objet=consultation.consultation.objet,
        acheteur=consultation.consultation.acheteur, grille=grid, points_max=points_max, offres=tuple(offers),
        calibration=_calibration(offers, expected, ranked, groups),
    )

"""The commission's scores: evaluators' levels, their aggregate, disagreements and consensus levels.

Everything here is exact (`Fraction`). A sub-criterion of an offer is scored, in this order of precedence,
by the commission lead's consensus, by the aggregate (mean or median, as the grid says) of the
evaluators' levels, or by the tool's suggestion; the individual levels always stay visible.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

from evaluation.errors import InputError, Problem
from evaluation.model import Grid
from evaluation.model.folder import ConsultationFolder
from evaluation.store import Change, ConsensusRow, NoteRow, Store

__all__ = [
    "MIN_JUSTIFICATION",
    "CellStatus",
    "CommissionScores",
    "aggregate",
    "commission_status",
    "disagreement",
    "justification_problem",
    "load_commission_scores",
    "set_consensus",
]

#: A justification shorter than this is refused: « RAS » or « ok » justify nothing before a judge.
MIN_JUSTIFICATION = 15
_TRIVIAL = {
    "ras", "r a s", "rien a signaler", "ok", "okay", "oui", "non", "neant", "nc", "n c", "na", "n a", "idem",
    "voir ci dessus", "cf ci dessus", "comme ci dessus", "bien", "tres bien", "correct", "conforme", "sans objet",
    "pas de commentaire", "aucun commentaire", "a completer", "justification", "x", "xx", "xxx",
}
_WORD = re.compile(r"[^\W\d_]{2,}")


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def justification_problem(text: str) -> str | None:
    """Why `text` is not a real justification (in French), or None when it is one."""
    stripped = " ".join(text.split())
    if not stripped:
        return "justification absente"
    if _folded(stripped) in _TRIVIAL:
        return f"justification « {stripped} » sans contenu"
    if len(stripped) < MIN_JUSTIFICATION:
        return f"justification trop courte ({len(stripped)} caractères, {MIN_JUSTIFICATION} au moins)"
    if len(_WORD.findall(stripped)) < 2:
        return f"justification « {stripped[:40]} » sans phrase lisible"
    return None


def aggregate(levels: list[int], method: str) -> Fraction:
    """Exact mean or median of the evaluators' levels (`method`: `moyenne` or `mediane`)."""
    if not levels:
        raise ValueError("aucun niveau à agréger")
    if method == "moyenne":
        return Fraction(sum(levels), len(levels))
    if method == "mediane":
        ordered = sorted(levels)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return Fraction(ordered[middle])
        return Fraction(ordered[middle - 1] + ordered[middle], 2)
    raise ValueError(f"agrégation inconnue : {method}")


def disagreement(levels: list[int], max_level: int) -> bool:
    """Evaluators disagree when their levels are two or more apart, or 30 % of the scale or more apart."""
    if len(levels) < 2:
        return False
    spread = max(levels) - min(levels)
    return spread >= 2 or 10 * spread >= 3 * max_level


@dataclass(frozen=True)
class CommissionScores:
    """What the commission recorded: `notes[(offre, sous_critere)]` and `consensus[(offre, sous_critere)]`."""

    notes: dict[tuple[str, str], list[NoteRow]] = field(default_factory=dict)
    consensus: dict[tuple[str, str], ConsensusRow] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, notes: list[NoteRow], consensus: list[ConsensusRow]) -> CommissionScores:
        grouped: dict[tuple[str, str], list[NoteRow]] = {}
        for note in sorted(notes, key=lambda n: (n.offre, n.sous_critere, n.evaluateur.casefold())):
            grouped.setdefault((note.offre, note.sous_critere), []).append(note)
        return cls(notes=grouped, consensus={(c.offre, c.sous_critere): c for c in consensus})

    @property
    def empty(self) -> bool:
        return not self.notes and not self.consensus


def load_commission_scores(store: Store) -> CommissionScores:
    return CommissionScores.from_rows(store.notes(), store.consensus())


@dataclass(frozen=True)
class CellStatus:
    """Where one offer and sub-criterion stands: who scored, the aggregate, a disagreement, the consensus."""

    offre: str
    critere: str
    sous_critere: str
    libelle: str
    niveaux: dict[str, int]
    manquants: tuple[str, ...]
    agregat: Fraction | None
    desaccord: bool
    consensus: ConsensusRow | None


def commission_status(folder: ConsultationFolder, scores: CommissionScores) -> list[CellStatus]:
    """Every offer x scored sub-criterion of the grid, with the declared evaluators who have not scored it."""
    grid: Grid = folder.grid
    declared = list(folder.consultation.evaluateurs)
    cells = []
    for offer in folder.offers:
        for criterion, sub in grid.sub_criteria():
            notes = scores.notes.get((offer.id, sub.id), [])
            levels = {n.evaluateur: n.niveau for n in notes}
            scored = {name.casefold() for name in levels}
            values = list(levels.values())
            cells.append(CellStatus(
                offre=offer.id,
                critere=criterion.id,
                sous_critere=sub.id,
                libelle=sub.libelle,
                niveaux=levels,
                manquants=tuple(e for e in declared if e.casefold() not in scored),
                agregat=aggregate(values, grid.agregation) if values else None,
                desaccord=disagreement(values, grid.max_level),
                consensus=scores.consensus.get((offer.id, sub.id)),
            ))
    return cells



def set_consensus(folder: ConsultationFolder, store: Store, *, offre: str, sous_critere: str, niveau: int,
                  justification: str, auteur: str, compte: str | None = None) -> Change:
    """Record the commission lead's level for one offer and sub-criterion (one transaction, journaled).

    `auteur` is the commission lead who sets the level; `compte`, the account running the tool, is what
    the journal records as the author of the change (the lead by default).

    Raises:
        InputError: unknown offer or sub-criterion, level outside the scale, or no real justification.
    """
    grid = folder.grid
    problems = []
    offers = [o.id for o in folder.offers]
    if offre not in offers:
        problems.append(Problem(f"offre « {offre} » inconnue", champ="--offre",
                                conseil="offres de la consultation : " + (", ".join(offers) or "aucune")))
    subs = [s.id for _, s in grid.sub_criteria()]
    if sous_critere not in subs:
        problems.append(Problem(f"sous-critère « {sous_critere} » absent de la grille {grid.full_id}",
                                champ="--sous-critere", conseil="sous-critères notés : " + ", ".join(subs)))
    if not 0 <= niveau <= grid.max_level:
        problems.append(Problem(f"niveau {niveau} hors de l'échelle (0 à {grid.max_level})", champ="--niveau",
                                conseil="choisissez un niveau de l'échelle de la grille"))
    reason = justification_problem(justification)
    if reason is not None:
        problems.append(Problem(reason, champ="--justification",
                                conseil="motivez la note de consensus par une phrase qui renvoie au mémoire"))
    if not auteur.strip():
        problems.append(Problem("auteur absent", champ="--auteur", conseil="indiquez le président de la commission"))
    if problems:
        raise InputError(problems)
    journal = compte or auteur.strip()
    with store.transaction():
        store.sync_offers({o.id: o.soumissionnaire for o in folder.offers}, journal)
        return store.set_consensus(ConsensusRow(offre, sous_critere, niveau, justification.strip(), auteur.strip()),
                                   journal)

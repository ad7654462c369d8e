"""Temporal expressions in French text, classified by what a commission could check.

Runs on folded text. Kinds:

- `date` (1er juin 2027, 31/03/2027), `mois` (mars 2027, fin avril), `saison` (rentrée 2027, été 2029),
  `trimestre` (T2 2027, deuxième trimestre), `semestre` (S1 2027, au second semestre de la deuxième
  année): a point in time;
- `relatif`: T0+6 mois, M+18, J-3, à la date anniversaire du marché, dès la notification, lors du premier
  bilan semestriel, dans les dix-huit mois, la deuxième année: a point fixed from the contract's start;
- `echeance`: d'ici fin 2027, avant 2028, au plus tard en 2027: a deadline;
- `annee`: en 2027, courant 2027: a year only, too coarse to check an action against;
- `periodicite`: chaque trimestre, deux fois par an, mensuel: a rhythm, not a deadline;
- `vague`: à moyen terme, progressivement, au cours de la première année.

Only the first three groups make an action *dated* in the sense of `planning_precis`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evaluation.analysis.quantities import NUMBER_WORDS

__all__ = ["CHECKABLE", "TimeExpression", "find_times", "has_checkable_time"]

_MONTH = r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
_YEAR = r"20[2-6]\d"
_ORD = (r"(?:premier|premiere|1er|1re|1ere|second|seconde|deuxieme|2e|2eme|troisieme|3e|3eme|quatrieme|4e|4eme"
        r"|cinquieme|5e|dernier|derniere)")
_PERIOD = r"(?:annee|annees|an|ans|semestre|trimestre|mois|semaine|semaines|jours?)"
_SEASON = (r"(?:rentree(?: scolaire)?(?: de (?:septembre|janvier))?|ete|hiver|printemps|automne|toussaint|noel"
           r"|vacances (?:de|d') ?\w+|saison de chauffe)")
_COUNT = rf"(?:\d{{1,3}}|{NUMBER_WORDS})"
_RELATIVE_EVENT = (r"(?:la notification|le demarrage|la prise (?:d'effet|en charge)|le premier mois|le lancement"
                   r"|la reunion de lancement|le debut (?:du marche|de l'execution|des prestations)"
                   r"|l'entree en vigueur|la premiere rentree)")

#: Tried in this order at each position of the text.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("vague", rf"\bau cours (?:de la|du|des) (?:marche|contrat|{_ORD} (?:annee|semestre|mois)|annees)\b"),
    ("date", rf"\b(?:1er|[0-3]?\d)\s+{_MONTH}\s+{_YEAR}\b"),
    ("date", r"\b[0-3]?\d/[01]?\d/(?:20)?\d\d\b"),
    ("semestre", rf"\b(?:au |le |du |d'un |un )?{_ORD}\s+semestre(?:\s+(?:de la|de l'|du)\s*{_ORD}?\s*"
                 rf"(?:annee|an|marche|contrat)|\s+{_YEAR})?"),
    ("trimestre", rf"\b(?:au |le |du )?{_ORD}\s+trimestre(?:\s+(?:de la|de l'|du)\s*{_ORD}?\s*(?:annee|an)"
                  rf"|\s+{_YEAR})?"),
    ("semestre", rf"\bs[12]\s?{_YEAR}\b"),
    ("trimestre", rf"\bt[1-4]\s?{_YEAR}\b"),
    ("relatif", r"\b[tmj]\s?0?\s?[+-]\s?\d{1,3}\s*(?:mois|semaines?|jours?|ans?|m|j)?\b"),
    ("relatif", r"\bt0\b"),
    ("relatif", r"\bm\s?\d{1,2}\b(?=\s*(?:\||:|;|,|$))"),
    ("relatif", r"\b(?:a|lors de) la (?:date (?:d')?anniversaire|premiere date anniversaire)"
                r"(?: (?:de notification )?(?:du|de|de la) (?:marche|contrat|notification))?"),
    ("relatif", r"\bdate (?:d')?anniversaire\b"),
    ("relatif", rf"\b(?:lors|a l'occasion|a l'issue|au moment) d[ue] (?:la |l')?{_ORD}?\s*(?:bilan|comite|revue|"
                r"reunion)(?: semestriel(?:le)?| annuel(?:le)?| de (?:suivi|pilotage|lancement))?\b"),
    ("relatif", rf"\b(?:des|a partir de|a compter de|a|avant) {_RELATIVE_EVENT}\b"),
    ("relatif", rf"\b(?:dans|sous|avant|apres|au bout de|a|en|d'ici)\s+(?:les\s+|un delai de\s+)?{_COUNT}\s+"
                rf"(?:premiers?\s+|premieres?\s+)?(?:mois|semaines|jours|ans)\b(?:\s+suivant \w+(?: \w+)?)?"),
    ("relatif", rf"\b(?:d'ici |avant |a |en |des |pour )?(?:la )?(?:fin (?:de la |du )?)?{_ORD}\s+(?:annee|an|rentree|"
                r"anniversaire)\b(?: (?:du|de) (?:marche|contrat|l'accord-cadre))?"),
    ("relatif", r"\b(?:annee|an)\s+[1-5]\b"),
    ("echeance", rf"\b(?:d'ici|avant|au plus tard|pour|des)\s+(?:(?:la )?fin\s+(?:de l'annee\s+)?|le debut\s+)?"
                 rf"(?:de\s+)?{_YEAR}\b"),
    ("echeance", rf"\b(?:fin|debut|mi-?)\s*{_YEAR}\b"),
    ("mois", rf"\b(?:(?:fin|debut|mi-?|courant)\s*)?{_MONTH}\s+{_YEAR}\b"),
    ("mois", rf"\b(?:fin|debut|mi-?)\s*{_MONTH}\b"),
    ("mois", rf"\b(?:avant|d'ici|en|au mois d'|au mois de|chaque annee en|pour)\s?{_MONTH}\b"),
    ("saison", rf"\b(?:a la |la |l'|d'ici l'|d'ici la |avant l'|avant la |avant les |pour la |pour l'|des la |"
               rf"des l'|en )?{_SEASON}\s+(?:de\s+)?{_YEAR}\b"),
    ("annee", rf"\b(?:en|courant|durant|pendant|au cours de|dans l'annee)\s+{_YEAR}\b"),
    ("periodicite", r"\b(?:chaque|tous les|toutes les)\s+(?:\w+\s+)?(?:jours?|semaines?|mois|trimestres?|semestres?|"
                    r"ans|annees?|comites?|bilans?|rentrees?|saisons?|quinze jours|lundis?)\b"),
    ("periodicite", rf"\b{_COUNT}\s+fois\s+par\s+(?:an|annee|mois|semaine|jour|trimestre|semestre)\b"),
    ("periodicite", r"\b(?:une semaine sur deux|un mois sur deux|par an|par mois|par semaine|par trimestre)\b"),
    ("periodicite", r"\b(?:hebdomadaire|mensuel|trimestriel|semestriel|annuel)(?:le)?s?(?:ment)?\b"),
    ("vague", r"\b(?:a (?:court|moyen|long) terme|progressivement|au fil (?:du marche|de l'eau|des annees)|"
              r"au demarrage|rapidement|"
              r"des que possible|le moment venu|en temps utile|dans un second temps|ulterieurement)\b"),
)
_MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
           "novembre", "decembre")
#: For each pattern, words one of which it cannot match without: a pattern whose words are all absent
#: from a sentence is left out of the search (plain substring tests, much cheaper than the patterns).
_NEEDLES: tuple[tuple[str, ...], ...] = (
    ("au cours",), _MONTHS, ("/",), ("semestre",), ("trimestre",), ("s1", "s2"), ("t1", "t2", "t3", "t4"),
    ("+", "-"), ("t0",), ("m",), ("anniversaire",), ("anniversaire",), ("bilan", "comite", "revue", "reunion"),
    ("notification", "demarrage", "prise", "premier mois", "lancement", "debut", "entree", "premiere rentree"),
    ("mois", "semaines", "jours", "ans"), ("annee", "an ", "rentree", "anniversaire"), ("annee", "an "),
    ("20",), ("20",), _MONTHS, _MONTHS, _MONTHS, ("20",), ("20",), ("chaque", "tous les", "toutes les"),
    ("fois",), ("sur deux", "par an", "par mois", "par semaine", "par trimestre"),
    ("hebdo", "mensuel", "trimestriel", "semestriel", "annuel"),
    ("terme", "progressivement", "au fil", "demarrage", "rapidement", "possible", "venu", "utile",
     "second temps", "ulterieurement"),
)
assert len(_NEEDLES) == len(_PATTERNS)
_NEEDLE_SETS = tuple(frozenset(needles) for needles in _NEEDLES)
_ALL_NEEDLES = tuple(sorted(set().union(*_NEEDLE_SETS)))
_KINDS = {f"p{i}": kind for i, (kind, _) in enumerate(_PATTERNS)}


@lru_cache(maxsize=512)
def _combined(active: tuple[int, ...]) -> re.Pattern[str]:
    """The active patterns as one alternation: at each position, the first of the list that matches wins."""
    return re.compile("|".join(f"(?P<p{i}>{_PATTERNS[i][1]})" for i in active))
#: Kinds that date an action well enough for a commission to check it.
CHECKABLE = frozenset({"date", "mois", "saison", "trimestre", "semestre", "relatif", "echeance"})
#: A law's own date ("loi n° 2020-105 du 10 février 2020") is a reference, not a deadline.
_LEGAL_REFERENCE = re.compile(
    rf"\b(?:loi|decret|arrete|ordonnance|directive|reglement|circulaire)\b[^.;]{{0,80}}?"
    rf"\bdu\s+\d{{1,2}}(?:er)?\s+{_MONTH}\s+\d{{4}}|\b(?:n°|no|n) ?\d{{4}}-\d+"
)


@dataclass(frozen=True)
class TimeExpression:
    kind: str
    texte: str
    start: int
    end: int

    @property
    def checkable(self) -> bool:
        return self.kind in CHECKABLE


#: Every pattern above needs one of these: a sentence without any is not searched further.
_TRIGGER = re.compile(
    rf"\d|{_MONTH}|semestr|trimestr|annee|\ban\b|\bans\b|mois|semaine|jour|rentree|\bete\b|hiver|printemps|"
    r"automne|toussaint|noel|vacances|saison|anniversaire|bilan|comite|revue|reunion|notification|demarrage|"
    r"prise|lancement|debut|entree|chaque|tous les|toutes les|fois|par (?:an|mois|semaine|trimestre)|"
    r"sur deux|hebdomadaire|mensuel|annuel|terme|progressivement|au fil|au cours|rapidement|possible|venu|"
    r"utile|second temps|ulterieurement"
)


def find_times(folded: str) -> list[TimeExpression]:
    """Non-overlapping temporal expressions of a folded text, in order of appearance."""
    if not _TRIGGER.search(folded):
        return []
    text = _LEGAL_REFERENCE.sub(lambda m: " " * len(m.group(0)), folded)
    present = {n for n in _ALL_NEEDLES if n in text}
    active = tuple(i for i, needles in enumerate(_NEEDLE_SETS) if not needles.isdisjoint(present))
    found: list[TimeExpression] = []
    if not active:
        return found
    for match in _combined(active).finditer(text):
        start, end = match.span()
        if end - start >= 2 and match.lastgroup is not None:
            found.append(TimeExpression(_KINDS[match.lastgroup], folded[start:end].strip(), start, end))
    return found


def has_checkable_time(folded: str) -> bool:
    return any(t.checkable for t in find_times(folded))

"""The feedback report of an exercise: one self-contained HTML page (inline CSS, no script, strict CSP).

It reuses the comparative report's stylesheet (reporting/templates/rapport.css) with a few rules of its
own. Everything shown is escaped: the trainee's justifications are untrusted text like the bidders'. The
same feedback always gives the same bytes; a date is printed only when one is given.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from evaluation.atomic import write_atomic_bytes
from evaluation.spreadsheet import clean
from evaluation.training.feedback import Feedback, MissedEvidence, OfferFeedback, SubFeedback

__all__ = ["MAX_MISSED", "render_feedback", "write_feedback"]

TEMPLATE = "correction.html"
#: Missed passages listed per sub-criterion; the rest are counted.
MAX_MISSED = 12
NNBSP = "\u202f"
MINUS = "\u2212"


@dataclass(frozen=True)
class _Missed:
    extrait: str
    ou: str
    etiquettes: str
    piege: str | None


@dataclass(frozen=True)
class _Sub:
    anchor: str
    critere: str
    libelle: str
    niveau: str
    niveau_reference: str
    ecart: str
    classe: str
    justification: str | None
    justification_reference: str | None
    perimetre: str
    pertinents: int
    manquees: tuple[_Missed, ...]
    autres: int


@dataclass(frozen=True)
class _Offer:
    anchor: str
    id: str
    soumissionnaire: str
    points: str
    points_reference: str
    rang: str
    rang_attendu: int
    sous_criteres: tuple[_Sub, ...]


def _number(value: Fraction, digits: int = 2) -> str:
    quantum = Decimal(1).scaleb(-digits)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(quantum, rounding=ROUND_HALF_UP)).replace(".", ",").replace("-", MINUS)


def _percent(value: Fraction | None) -> str:
    if value is None:
        return "—"
    text = _number(value * 100, 1).removesuffix(",0")
    return f"{text}{NNBSP}%"


def _signed(value: int | Fraction | None) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "0"
    text = str(abs(value)) if isinstance(value, int) else _number(abs(value))
    return ("+" if value > 0 else MINUS) + text


def _gap_class(gap: int | None) -> str:
    if gap is None:
        return "na"
    return "ok" if gap == 0 else "partial" if abs(gap) == 1 else "ko"


def _where(missed: MissedEvidence) -> str:
    if missed.fichier is None:
        return "passage introuvable dans les documents de l'offre"
    parts = [missed.fichier]
    if missed.page is not None:
        parts.append(f"page {missed.page}")
    if missed.paragraphe is not None:
        parts.append(f"§ {missed.paragraphe}")
    return ", ".join(parts)


def _level(value: int | None, labels: dict[int, str]) -> str:
    return "non noté" if value is None else f"{value} — {labels.get(value, '')}"


def _sub_view(offer: OfferFeedback, sub: SubFeedback, labels: dict[int, str]) -> _Sub:
    missed = tuple(_Missed(extrait=m.extrait, ou=_where(m), etiquettes=", ".join(m.etiquettes), piege=m.piege)
                   for m in sub.manquees[:MAX_MISSED])
    return _Sub(
        anchor=f"{offer.offre}-{sub.sous_critere}", critere=sub.critere, libelle=sub.libelle,
        niveau=_level(sub.niveau, labels),
        niveau_reference="—" if sub.niveau_reference is None else _level(sub.niveau_reference, labels),
        ecart=_signed(sub.ecart), classe=_gap_class(sub.ecart), justification=sub.justification,
        justification_reference=sub.justification_reference, perimetre=sub.perimetre, pertinents=sub.pertinents,
        manquees=missed, autres=max(0, len(sub.manquees) - MAX_MISSED),
    )


def _view(feedback: Feedback, date: str | None) -> dict[str, object]:
    grid, cal = feedback.grille, feedback.calibration
    labels = {lv.niveau: lv.libelle for lv in grid.echelle}
    names = {o.offre: o.soumissionnaire for o in feedback.offres}
    offers = [_Offer(
        anchor=f"offre-{o.offre}", id=o.offre, soumissionnaire=o.soumissionnaire,
        points="non classée" if o.points is None else _number(o.points),
        points_reference="—" if o.points_reference is None else _number(o.points_reference),
        rang="—" if o.rang is None else str(o.rang), rang_attendu=o.rang_attendu,
        sous_criteres=tuple(_sub_view(o, s, labels) for s in o.sous_criteres),
    ) for o in feedback.offres]
    subs = [(s.sous_critere, s.libelle) for s in feedback.offres[0].sous_criteres] if feedback.offres else []
    matrix = [(label, [(o.sous_criteres[i].anchor, o.sous_criteres[i].niveau.split(" ")[0],
                        o.sous_criteres[i].niveau_reference.split(" ")[0], o.sous_criteres[i].ecart,
                        o.sous_criteres[i].classe) for o in offers])
              for i, (_id, label) in enumerate(subs)]
    figures = [
        ("Niveaux comparés", f"{cal.comparees} sur {cal.attendues}",
         "sous-critères notés par vous et par la référence"),
        ("Écart moyen absolu", "—" if cal.ecart_moyen is None else f"{_number(cal.ecart_moyen)} niveau",
         "moyenne des écarts, sans leur signe"),
        ("Biais moyen", _signed(cal.biais), "positif : vous notez plus haut que la référence ; négatif : plus bas"),
        ("Niveaux exacts", _percent(cal.exacts), "même niveau que la référence"),
        ("À un niveau près", _percent(cal.a_un_niveau), "écart de 0 ou 1 niveau"),
        ("Corrélation de Spearman", "non calculable" if cal.spearman is None else _number(Fraction(cal.spearman)),
         "entre votre classement des offres et le classement attendu (1 : même ordre, −1 : ordre inverse)"),
    ]
    return {
        "stagiaire": feedback.stagiaire, "exemple": feedback.exemple, "classeur": feedback.classeur,
        "mode": "avec les suggestions de l'outil" if feedback.aide else "sans aide (aucune suggestion de l'outil)",
        "reference": feedback.reference, "objet": feedback.objet, "acheteur": feedback.acheteur,
        "grille_libelle": grid.libelle, "grille_id": grid.full_id, "date": date,
        "verdict": cal.verdict, "figures": figures, "points_max": _number(feedback.points_max),
        "votre_classement": " > ".join(" = ".join(group) for group in cal.classement) or "aucune offre classée",
        "classement_attendu": " > ".join(cal.classement_attendu),
        "non_classees": [f"{o} ({names.get(o, o)})" for o in cal.non_classees],
        "offres": offers, "par_rang": sorted(offers, key=lambda o: o.rang_attendu),
        "matrice": matrix, "colonnes": [(o.anchor, o.id) for o in offers],
        "echelle": [(lv.niveau, lv.libelle) for lv in grid.echelle], "max_manquees": MAX_MISSED,
    }


def render_feedback(feedback: Feedback, *, date: str | None = None) -> str:
    """The feedback report as HTML; the same feedback and date always give the same string."""
    return _environment().get_template(TEMPLATE).render(r=_view(feedback, date))


def write_feedback(feedback: Feedback, path: str | os.PathLike[str], *, date: str | None = None) -> Path:
    """Render then write atomically: if rendering fails, an existing report at `path` is kept."""
    return write_atomic_bytes(path, render_feedback(feedback, date=date).encode("utf-8"))


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=ChoiceLoader([PackageLoader("evaluation", "training/templates"),
                             PackageLoader("evaluation", "reporting/templates")]),
        autoescape=True,  # the trainee's justifications are untrusted text: always escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )


def _finalize(value: object) -> object:
    # Control characters (a pasted PDF extract) are invalid in HTML: shown as spaces; line ends are kept.
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value

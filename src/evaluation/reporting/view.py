"""The facts of a report, resolved once from a `ReportContext` into plain, ordered, French-labelled data.

HTML and XLSX both render this view (built by `evaluation.reporting.build`), so they show the same
numbers in the same order. Nothing here formats for a given medium, except French labels: points stay
`Decimal`, evidence stays structured.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Assessment",
    "Bar",
    "Chart",
    "Citation",
    "CriterionAnalysis",
    "CriterionColumn",
    "CriterionMethod",
    "DocumentRow",
    "EvaluatorNote",
    "EvidenceBlock",
    "Finding",
    "FindingGroup",
    "Milestone",
    "OfferTimeline",
    "OfferView",
    "Point",
    "PriceRow",
    "PriceSection",
    "PriceView",
    "RegulatoryOffer",
    "ReportView",
    "Request",
    "ScoreLine",
    "Segment",
    "SubCriterionAnalysis",
    "SubCriterionMethod",
    "SubCriterionRow",
    "TimelineChart",
    "TimelinePoint",
]


@dataclass(frozen=True)
class Citation:
    """One passage quoted from a bidder's document."""

    texte: str
    fichier: str
    page: int | None
    paragraphe: int

    @property
    def reference(self) -> str:
        """« memoire.pdf, page 4, § 17 », the page left out when the format has none."""
        page = f", page {self.page}" if self.page is not None else ""
        return f"{self.fichier}{page}, § {self.paragraphe}"


@dataclass(frozen=True)
class EvidenceBlock:
    """What the analysis found for one signal of one offer, and the passages supporting it."""

    anchor: str
    signal: str  # « Élément : Calendrier », used where the block stands alone (Preuves sheet)
    titre: str
    etat: str  # « Présent », « Mentionné sans action », « Oui », « Ferme »…
    state: str  # ok | partial | ko | na: colour class, always doubled by `etat` and `symbole`
    symbole: str
    confiance: str | None
    preuves: tuple[Citation, ...]
    aide: str = ""  # what the signal means, for a reader who does not know the tool


@dataclass(frozen=True)
class DocumentRow:
    fichier: str
    statut: str
    statut_code: str
    motif: str
    sha256: str
    pages: int | None
    mots: int

    @property
    def sha_court(self) -> str:
        return self.sha256[:12]


@dataclass(frozen=True)
class EvaluatorNote:
    """One commission member's level for a sub-criterion, always shown beside the retained level."""

    evaluateur: str
    niveau: str
    justification: str


@dataclass(frozen=True)
class ScoreLine:
    """One sub-criterion of one offer: the level retained and what the tool suggested."""

    critere: str
    sous_critere: str
    niveau: str  # « 3 — Satisfaisant », or « Non noté »
    points: Decimal | None
    points_max: Decimal | None
    source: str
    source_code: str
    justification: str
    suggestion: str  # « 3 — Satisfaisant », or empty
    suggestion_explication: str
    suggestion_anchor: str | None  # set when the suggestion quotes evidence
    niveau_valeur: Decimal | None = None  # the level as a number (an evaluators' mean may be 2.33)
    evaluateurs: tuple[EvaluatorNote, ...] = ()
    desaccord: bool = False
    consensus: str = ""  # « 3 — Satisfaisant, arrêté par … : justification »

    @property
    def notee(self) -> bool:
        """False while nobody (commission or tool) has given a level: its points are not a zero."""
        return self.niveau_valeur is not None


@dataclass(frozen=True)
class PriceView:
    critere: str
    montant: str
    montant_value: Decimal | None
    points: Decimal
    points_max: Decimal
    methode: str
    anormalement_bas: bool
    regle: str


@dataclass(frozen=True)
class CriterionColumn:
    id: str
    libelle: str
    poids: Decimal


@dataclass(frozen=True)
class Point:
    """One strength, weakness or point of attention, linked to what it is derived from."""

    texte: str
    anchor: str | None = None


@dataclass(frozen=True)
class Assessment:
    """Strengths and weaknesses derived mechanically from the scores and the flags (never a judgement)."""

    forces: tuple[Point, ...]
    faiblesses: tuple[Point, ...]
    vigilance: tuple[Point, ...]


@dataclass(frozen=True)
class OfferView:
    id: str
    anchor: str
    soumissionnaire: str
    rang: int | None
    rang_texte: str
    a_verifier: bool
    notee: bool
    analysee: bool
    points: tuple[Decimal | str | None, ...]  # aligned with ReportView.columns; NOT_SCORED when unscored
    total: Decimal | None
    source: str
    prix: PriceView | None
    documents: tuple[DocumentRow, ...]
    lignes: tuple[ScoreLine, ...]
    signaux: tuple[EvidenceBlock, ...]  # the four offer-level flags
    elements: tuple[EvidenceBlock, ...]  # aligned with ReportView.elements
    axes: tuple[EvidenceBlock, ...]  # aligned with ReportView.axes
    suggestions: tuple[EvidenceBlock, ...]  # suggested levels that quote evidence
    appreciation: Assessment = Assessment((), (), ())
    demande_anchor: str | None = None  # draft request for justification of its price, in the annex
    autres: tuple[FindingGroup, ...] = ()  # other additive detections of analyse.json (copied clause…)

    @property
    def blocks(self) -> tuple[EvidenceBlock, ...]:
        return self.signaux + self.elements + self.axes + self.suggestions


@dataclass(frozen=True)
class SubCriterionMethod:
    libelle: str
    description: str
    part: Decimal  # share of the criterion, in %
    points: Decimal  # points in the whole grid
    signal: str
    descripteurs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CriterionMethod:
    libelle: str
    description: str
    poids: Decimal
    sous_criteres: tuple[SubCriterionMethod, ...]
    prix: str
    anomalie: str


@dataclass(frozen=True)
class Segment:
    """The part of a bar one criterion contributes (stacked bar chart)."""

    x: str
    largeur: str
    classe: str  # « serie-0 »…: colour of the criterion, repeated in the legend
    titre: str
    couleur: str = "#23466e"  # as an SVG attribute: PDF renderers ignore CSS inside SVG


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    nom_complet: str
    largeur: str
    valeur: str
    x_valeur: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Chart:
    largeur: int
    hauteur: int
    x0: int
    echelle: int
    barres: tuple[Bar, ...]
    graduations: tuple[tuple[str, str], ...]  # (x, label)
    legende: tuple[tuple[str, str], ...] = ()  # (classe, criterion label)


@dataclass(frozen=True)
class SubCriterionRow:
    offre: str
    offre_id: str
    anchor: str
    rang_texte: str
    ligne: ScoreLine


@dataclass(frozen=True)
class SubCriterionAnalysis:
    libelle: str
    points_max: Decimal
    lignes: tuple[SubCriterionRow, ...]

    @property
    def desaccords(self) -> int:
        """Disagreements the chair has not settled with a consensus level yet."""
        return sum(1 for row in self.lignes if row.ligne.desaccord and not row.ligne.consensus)

    @property
    def aucune_note(self) -> bool:
        return not any(row.ligne.notee for row in self.lignes)

    @property
    def avec_evaluateurs(self) -> bool:
        return any(row.ligne.evaluateurs or row.ligne.consensus for row in self.lignes)


@dataclass(frozen=True)
class CriterionAnalysis:
    """One criterion across the offers: each sub-criterion with every offer's level and justification."""

    libelle: str
    poids: Decimal
    anchor: str
    prix: bool
    sous_criteres: tuple[SubCriterionAnalysis, ...]


@dataclass(frozen=True)
class Milestone:
    """A dated or sequenced action found in an offer: the date expression as written, and where."""

    numero: int
    expressions: tuple[str, ...]  # as written in the offer: « T0+3 mois », « 15 septembre 2026 »
    repere: str  # where it sits: « Notification + 3 mois », « 15 septembre 2026 »
    nature: str  # « date » (calendar) or « relatif » (counted from the notification)
    action: str
    citation: Citation
    anchor: str | None
    cle: int = 0  # position on its axis: days after the notification, or a calendar key


@dataclass(frozen=True)
class OfferTimeline:
    offre_id: str
    soumissionnaire: str
    anchor: str
    jalons: tuple[Milestone, ...]


@dataclass(frozen=True)
class TimelinePoint:
    """One dot of a lane: milestones closer than a few pixels share it, their numbers side by side."""

    x: int
    y: int
    numeros: str  # « 2–4 », « 1 », « 3, 5 »
    titre: str


@dataclass(frozen=True)
class TimelineChart:
    titre: str
    largeur: int
    hauteur: int
    x0: int
    x1: int
    graduations: tuple[tuple[int, str], ...]
    couloirs: tuple[tuple[int, str, str], ...]  # (y, short label, full name)
    points: tuple[TimelinePoint, ...]


@dataclass(frozen=True)
class Finding:
    """One entry of a detection of analyse.json beyond the seven parts and four flags, shown field by field."""

    titre: str
    champs: tuple[tuple[str, str], ...]
    preuves: tuple[Citation, ...]


@dataclass(frozen=True)
class FindingGroup:
    """The entries of one additive key of analyse.json (« reglementation », « copies_clause »…)."""

    cle: str
    titre: str
    anchor: str
    constats: tuple[Finding, ...]


@dataclass(frozen=True)
class RegulatoryOffer:
    offre_id: str
    soumissionnaire: str
    anchor: str
    depassement: EvidenceBlock | None
    conformite: EvidenceBlock | None
    minimums: FindingGroup | None  # legal minimums cited, from analyse.json « reglementation » when present


@dataclass(frozen=True)
class PriceRow:
    offre_id: str
    soumissionnaire: str
    anchor: str
    rang_texte: str
    montant: Decimal | None
    montant_texte: str
    ecart: str  # gap to the lowest price, « +12,3 % »
    points: Decimal | None
    points_max: Decimal | None
    anormalement_bas: bool
    regle: str
    demande_anchor: str | None


@dataclass(frozen=True)
class PriceSection:
    critere: str
    poids: Decimal
    methode: str
    anomalie: str
    seuil: str  # the threshold the rule gives with these prices, or why it is not applied
    exprimes: str
    lignes: tuple[PriceRow, ...]


@dataclass(frozen=True)
class Request:
    """Draft request for justification of an abnormally low price (R. 2152-3), written by the scoring."""

    offre_id: str
    soumissionnaire: str
    anchor: str
    texte: str
    fichier: str


@dataclass(frozen=True)
class ReportView:
    objet: str
    reference: str
    acheteur: str
    grille_libelle: str
    grille_id: str
    date: str | None
    source_des_notes: str
    provisoire: bool
    prix_exprimes: str
    columns: tuple[CriterionColumn, ...]
    offers: tuple[OfferView, ...]
    chart: Chart
    criteres: tuple[CriterionMethod, ...]
    echelle: tuple[tuple[int, str, str], ...]
    elements: tuple[tuple[str, str], ...]
    axes: tuple[tuple[str, str], ...]
    avertissements: tuple[str, ...]
    controles: tuple[str, ...]
    sensibilite: tuple[tuple[str, str], ...]  # (what is tested, French sentence)
    versions: tuple[tuple[str, str, str], ...]
    analyse_criteres: tuple[CriterionAnalysis, ...] = ()
    calendriers: tuple[OfferTimeline, ...] = ()
    frises: tuple[TimelineChart, ...] = ()
    reglementaire: tuple[RegulatoryOffer, ...] = ()
    prix: PriceSection | None = None
    demandes: tuple[Request, ...] = ()
    criteres_non_notes: tuple[str, ...] = ()  # criteria nobody has scored yet: the totals are partial
    echelle_max: int = 0
    date_iso: str | None = None  # the report date as given (AAAA-MM-JJ), for date arithmetic in letters

    @property
    def laureat(self) -> OfferView | None:
        """The one offer ranked first, if there is exactly one."""
        first = [o for o in self.offers if o.rang == 1]
        return first[0] if len(first) == 1 else None

    @property
    def total_max(self) -> Decimal:
        return sum((c.poids for c in self.columns), Decimal(0))

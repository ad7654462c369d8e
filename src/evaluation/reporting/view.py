"""The facts of a report, resolved once from a `ReportContext` into plain, ordered, French-labelled data.

HTML and XLSX both render this view (built by `evaluation.reporting.build`), so they show the same
numbers in the same order. Nothing here formats for a given medium, except French labels: points stay
`Decimal`, evidence stays structured.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Bar",
    "Chart",
    "Citation",
    "CriterionColumn",
    "CriterionMethod",
    "DocumentRow",
    "EvidenceBlock",
    "OfferView",
    "PriceView",
    "ReportView",
    "ScoreLine",
    "SubCriterionMethod",
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
class Bar:
    y: int
    label: str
    nom_complet: str
    largeur: str
    valeur: str
    x_valeur: str


@dataclass(frozen=True)
class Chart:
    largeur: int
    hauteur: int
    x0: int
    echelle: int
    barres: tuple[Bar, ...]
    graduations: tuple[tuple[str, str], ...]  # (x, label)


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
    sensibilite: tuple[tuple[str, str], ...]
    versions: tuple[tuple[str, str, str], ...]

    @property
    def total_max(self) -> Decimal:
        return sum((c.poids for c in self.columns), Decimal(0))

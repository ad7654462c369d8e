"""Weighted totals and ranking from the levels retained for each sub-criterion."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from evaluation.model import (
    AnalysisResult,
    CriterionScore,
    Grid,
    OfferRanking,
    PriceScore,
    Ranking,
    SubCriterionScore,
)
from evaluation.model.folder import ConsultationFolder
from evaluation.scoring.price import score_prices

__all__ = ["fmt", "rank_from_suggestions"]

HUNDRED = Fraction(100)


def fmt(value: Fraction) -> str:
    """Exact value rounded half-up to two decimals, as a string ("12.50"). Only for display and JSON."""
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _ranks(totals: dict[str, Fraction]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) on exact totals: equal totals share a rank."""
    ordered = sorted(totals.values(), reverse=True)
    return {k: 1 + ordered.index(v) for k, v in totals.items()}


def rank_from_suggestions(folder: ConsultationFolder, analysis: AnalysisResult) -> Ranking:
    """Provisional scoring with the tool's suggested levels, before the commission scores.

    Sub-criteria the analysis cannot read stay unscored (0 point) and the ranking says so.
    """
    grid: Grid = folder.grid
    max_level = Fraction(grid.max_level)
    warnings: list[str] = []
    unscored: set[str] = set()
    totals: dict[str, Fraction] = {}
    notes: dict[str, dict[str, CriterionScore]] = {}
    for offer_id, offer in sorted(analysis.offres.items()):
        total = Fraction(0)
        notes[offer_id] = {}
        for criterion in grid.criteres:
            if criterion.prix is not None:
                continue
            crit_points = Fraction(0)
            subs: dict[str, SubCriterionScore] = {}
            for sub in criterion.sous_criteres:
                max_points = Fraction(criterion.poids) * Fraction(sub.poids) / HUNDRED
                suggestion = offer.niveaux_suggeres.get(sub.id)
                if suggestion is None:
                    unscored.add(sub.libelle)
                    points = Fraction(0)
                    subs[sub.id] = SubCriterionScore(
                        libelle=sub.libelle, niveau=None, points=fmt(points), points_max=fmt(max_points),
                        source="suggestion", justification="À noter par la commission : l'outil ne suggère rien.")
                else:
                    points = max_points * suggestion.niveau / max_level
                    subs[sub.id] = SubCriterionScore(
                        libelle=sub.libelle, niveau=suggestion.niveau, points=fmt(points),
                        points_max=fmt(max_points), source="suggestion", justification=suggestion.explication)
                crit_points += points
            notes[offer_id][criterion.id] = CriterionScore(
                libelle=criterion.libelle, points=fmt(crit_points), points_max=fmt(Fraction(criterion.poids)),
                sous_criteres=subs)
            total += crit_points
        totals[offer_id] = total

    prices: dict[str, PriceScore | None] = dict.fromkeys(totals)
    price_criterion = grid.price_criterion()
    unrankable: set[str] = set()
    if price_criterion is not None and price_criterion.prix is not None:
        method = price_criterion.prix
        declared = {o.id: o.prix for o in folder.offers if o.id in totals}
        priced = {k: v for k, v in declared.items() if v is not None}
        missing = sorted(k for k, v in declared.items() if v is None)
        if missing:
            unrankable.update(missing)
            warnings.append("Prix absent dans consultation.yaml pour : " + ", ".join(missing)
                            + " ; ces offres ne sont pas classées.")
        outcomes = score_prices(method, priced, Fraction(price_criterion.poids))
        for k, outcome in outcomes.items():
            prices[k] = PriceScore(
                montant=f"{priced[k]:.2f}", points=fmt(outcome.points), points_max=fmt(Fraction(price_criterion.poids)),
                methode=method.methode, anormalement_bas=outcome.anormalement_bas, regle=outcome.regle)
            totals[k] += outcome.points
            if outcome.anormalement_bas:
                warnings.append(f"Offre « {k} » potentiellement anormalement basse ({outcome.regle}) : "
                                "demander des précisions au soumissionnaire (article R2152-3), jamais l'écarter "
                                "sans cette procédure.")
        if method.methode == "lineaire":
            warnings.append("La méthode linéaire attribue 0 point à l'offre la plus chère quel que soit l'écart "
                            "de prix : vérifiez que cet effet est voulu.")
    for k, offer in sorted(analysis.offres.items()):
        if not any(d.statut in ("ok", "partiel") for d in offer.documents):
            unrankable.add(k)
            warnings.append(f"Offre « {k} » : aucun document lisible ; elle n'est ni notée à zéro ni classée, "
                            "la commission doit examiner ses documents à la main.")
        elif offer.a_verifier:
            warnings.append(f"Offre « {k} » : un document n'a pas pu être lu entièrement ; vérifier à la main.")
    if unscored:
        warnings.append("Classement provisoire : sous-critères sans note de la commission : "
                        + ", ".join(sorted(unscored)) + ".")
    warnings.append("Notes issues des niveaux suggérés par l'outil : la commission doit les confirmer ou les "
                    "corriger ; l'outil ne décide pas.")
    rankable = {k: v for k, v in totals.items() if k not in unrankable}
    ranks = _ranks(rankable)
    ordered = sorted(rankable.values(), reverse=True)
    sensitivity = {}
    if len(ordered) >= 2:
        sensitivity["ecart_premier_second"] = fmt(ordered[0] - ordered[1])
    offers = {
        k: OfferRanking(
            soumissionnaire=analysis.offres[k].soumissionnaire,
            a_verifier=analysis.offres[k].a_verifier,
            notes=notes[k], prix=prices[k], total=fmt(totals[k]), rang=ranks.get(k),
        )
        for k in sorted(totals)
    }
    return Ranking(reference=analysis.reference, grille=grid.full_id, versions=analysis.versions,
                   source_des_notes="suggestion", provisoire=True, offres=offers, avertissements=warnings,
                   sensibilite=sensitivity)

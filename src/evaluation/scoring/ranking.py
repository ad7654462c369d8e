"""Weighted totals and ranking, in exact arithmetic, from the levels retained for each sub-criterion.

For each offer and sub-criterion the level retained is the commission lead's consensus if there is one,
else the aggregate of the evaluators' levels (mean or median, as the grid says), else the tool's
suggestion (the ranking is then provisional). Points are `Fraction`s until they are written as strings
rounded half-up to two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from evaluation.model import (
    AnalysisResult,
    ConsensusLevel,
    Criterion,
    CriterionScore,
    EvaluatorLevel,
    OfferAnalysis,
    OfferRanking,
    PriceScore,
    Ranking,
    SubCriterion,
    SubCriterionScore,
)
from evaluation.model.folder import ConsultationFolder
from evaluation.model.ranking import ScoreSource
from evaluation.scoring.checks import french, price_checks, weight_checks
from evaluation.scoring.commission import CommissionScores, aggregate, disagreement
from evaluation.scoring.price import justification_request, score_prices
from evaluation.scoring.sensitivity import (
    CriterionWeight,
    describe_reversals,
    describe_shift,
    removal_reversals,
    weight_shift,
)

__all__ = ["compute_ranking", "fmt", "rank_from_suggestions"]

HUNDRED = Fraction(100)
AGGREGATION = {"moyenne": "Moyenne", "mediane": "Médiane"}


def fmt(value: Fraction) -> str:
    """Exact value rounded half-up to two decimals, as a string ("12.50"). Only for display and JSON."""
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _ranks(totals: dict[str, Fraction]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) on exact totals: equal totals share a rank."""
    ordered = sorted(totals.values(), reverse=True)
    return {k: 1 + ordered.index(v) for k, v in totals.items()}


@dataclass
class _Tally:
    """What the scoring of every sub-criterion found, for the warnings."""

    unscored: set[str]
    suggested: int
    commission: int
    consensus: int
    disagreements: list[str]
    missing: dict[str, list[str]]  # evaluator -> "offre / sous-critère"
    fully_scored: dict[str, bool]  # offer -> every sub-criterion scored by the commission


def _sub_score(
    folder: ConsultationFolder, offer_id: str, offer: OfferAnalysis | None, sub: SubCriterion,
    max_points: Fraction, scores: CommissionScores, tally: _Tally,
) -> tuple[SubCriterionScore, Fraction]:
    grid = folder.grid
    max_level = Fraction(grid.max_level)
    key = (offer_id, sub.id)
    notes = scores.notes.get(key, [])
    levels = [n.niveau for n in notes]
    individual = {n.evaluateur: EvaluatorLevel(niveau=n.niveau, justification=n.justification) for n in notes}
    split = disagreement(levels, grid.max_level)
    consensus = scores.consensus.get(key)
    common = {"libelle": sub.libelle, "points_max": fmt(max_points), "evaluateurs": individual, "desaccord": split}
    agg = aggregate(levels, grid.agregation) if levels else None
    listing = " ; ".join(f"{n.evaluateur} : {n.niveau}" for n in notes)
    where = f"{offer_id} / {sub.libelle}"
    if consensus is not None:
        tally.consensus += 1
        points = max_points * consensus.niveau / max_level
        text = f"Consensus arrêté par {consensus.auteur} : {consensus.justification}"
        if listing:
            text += f" (niveaux des évaluateurs : {listing})"
        return SubCriterionScore(
            niveau=consensus.niveau, points=fmt(points), source="consensus", justification=text,
            niveau_agrege=fmt(agg) if agg is not None else None,
            consensus=ConsensusLevel(niveau=consensus.niveau, justification=consensus.justification,
                                     auteur=consensus.auteur),
            **common,
        ), points
    if agg is not None:
        tally.commission += 1
        # Counted only where someone scored: before any import, the suggestion warning says it all.
        scored = {n.evaluateur.casefold() for n in notes}
        for name in folder.consultation.evaluateurs:
            if name.casefold() not in scored:
                tally.missing.setdefault(name, []).append(where)
        points = max_points * agg / max_level
        label = AGGREGATION.get(grid.agregation, grid.agregation)
        text = f"{label} de {len(levels)} évaluateur(s) : {french(agg)} ({listing})."
        if split:
            text += " Désaccord entre évaluateurs : note de consensus à arrêter par le président."
            tally.disagreements.append(f"{where} (niveaux {min(levels)} à {max(levels)})")
        return SubCriterionScore(
            niveau=int(agg) if agg.denominator == 1 else None, points=fmt(points), source="evaluateurs",
            justification=text, niveau_agrege=fmt(agg), **common,
        ), points
    tally.fully_scored[offer_id] = False
    suggestion = offer.niveaux_suggeres.get(sub.id) if offer is not None else None
    if suggestion is None:
        tally.unscored.add(sub.libelle)
        return SubCriterionScore(
            niveau=None, points=fmt(Fraction(0)), source="suggestion",
            justification="À noter par la commission : l'outil ne suggère rien.", **common,
        ), Fraction(0)
    tally.suggested += 1
    points = max_points * suggestion.niveau / max_level
    return SubCriterionScore(
        niveau=suggestion.niveau, points=fmt(points), source="suggestion", justification=suggestion.explication,
        **common,
    ), points


def _criterion_score(
    folder: ConsultationFolder, offer_id: str, offer: OfferAnalysis | None, criterion: Criterion,
    scores: CommissionScores, tally: _Tally,
) -> tuple[CriterionScore, Fraction]:
    total = Fraction(0)
    subs: dict[str, SubCriterionScore] = {}
    for sub in criterion.sous_criteres:
        max_points = Fraction(criterion.poids) * Fraction(sub.poids) / HUNDRED
        subs[sub.id], points = _sub_score(folder, offer_id, offer, sub, max_points, scores, tally)
        total += points
    return CriterionScore(libelle=criterion.libelle, points=fmt(total), points_max=fmt(Fraction(criterion.poids)),
                          sous_criteres=subs), total


def _source(tally: _Tally) -> ScoreSource:
    if tally.suggested or tally.unscored:
        return "suggestion"
    if tally.commission:
        return "evaluateurs"
    return "consensus" if tally.consensus else "suggestion"


def compute_ranking(folder: ConsultationFolder, analysis: AnalysisResult, scores: CommissionScores) -> Ranking:
    """Score every analysed offer with the commission's levels (or the tool's suggestions) and rank them.

    Returns the `Ranking` of the classement.json contract; it is `provisoire` while a sub-criterion is
    scored only by a suggestion or not at all, or while a declared evaluator has not scored it.
    """
    grid = folder.grid
    tally = _Tally(set(), 0, 0, 0, [], {}, {})
    warnings: list[str] = weight_checks(grid)
    totals: dict[str, Fraction] = {}
    shares: dict[str, dict[str, Fraction]] = {}
    notes: dict[str, dict[str, CriterionScore]] = {}
    for offer_id, offer in sorted(analysis.offres.items()):
        tally.fully_scored[offer_id] = True
        notes[offer_id], shares[offer_id], totals[offer_id] = {}, {}, Fraction(0)
        for criterion in grid.criteres:
            if criterion.prix is not None:
                continue
            notes[offer_id][criterion.id], points = _criterion_score(folder, offer_id, offer, criterion, scores,
                                                                     tally)
            shares[offer_id][criterion.id] = points / Fraction(criterion.poids)
            totals[offer_id] += points
    technical = dict(totals)

    prices: dict[str, PriceScore | None] = dict.fromkeys(totals)
    unrankable: set[str] = set()
    price_criterion = grid.price_criterion()
    priced: dict[str, Decimal] = {}
    if price_criterion is not None and price_criterion.prix is not None:
        method = price_criterion.prix
        max_points = Fraction(price_criterion.poids)
        declared = {o.id: o.prix for o in folder.offers if o.id in totals}
        priced = {k: v for k, v in declared.items() if v is not None}
        missing = sorted(k for k in totals if declared.get(k) is None)
        if missing:
            unrankable.update(missing)
            warnings.append("Prix absent dans consultation.yaml pour : " + ", ".join(missing)
                            + " ; ces offres ne sont pas classées.")
        outcomes = score_prices(method, priced, max_points)
        expressed = folder.consultation.prix_exprimes
        for k, outcome in outcomes.items():
            request = None
            if outcome.anormalement_bas and outcome.regle:
                request = justification_request(folder.consultation.reference, analysis.offres[k].soumissionnaire,
                                                priced[k], expressed, outcome.regle)
                warnings.append(f"Offre « {k} » potentiellement anormalement basse ({outcome.regle}) : "
                                "demander des précisions au soumissionnaire (article R2152-3), jamais l'écarter "
                                "sans cette procédure.")
            prices[k] = PriceScore(
                montant=f"{priced[k]:.2f}", points=fmt(outcome.points), points_max=fmt(max_points),
                methode=method.methode, anormalement_bas=outcome.anormalement_bas, regle=outcome.regle,
                demande_precisions=request)
            totals[k] += outcome.points
            shares[k][price_criterion.id] = outcome.points / max_points
        warnings += price_checks(method.methode, priced, {k: o.points for k, o in outcomes.items()}, max_points,
                                 price_criterion.libelle)

    for k, offer in sorted(analysis.offres.items()):
        if not any(d.statut in ("ok", "partiel") for d in offer.documents):
            if tally.fully_scored.get(k):
                warnings.append(f"Offre « {k} » : aucun document lisible par l'outil ; elle est classée sur les "
                                "seules notes de la commission.")
            else:
                unrankable.add(k)
                warnings.append(f"Offre « {k} » : aucun document lisible ; elle n'est ni notée à zéro ni classée, "
                                "la commission doit examiner ses documents à la main.")
        elif offer.a_verifier:
            warnings.append(f"Offre « {k} » : un document n'a pas pu être lu entièrement ; vérifier à la main.")
    if tally.disagreements:
        warnings.append("Désaccord entre évaluateurs (écart d'au moins deux niveaux ou de 30 % de l'échelle) sur : "
                        + ", ".join(tally.disagreements) + " ; le président de la commission arrête une note de "
                        "consensus motivée (evaluation notation consensus).")
    for name, cells in sorted(tally.missing.items()):
        warnings.append(f"Notes manquantes de {name} : " + ", ".join(cells) + ".")
    if tally.unscored:
        warnings.append("Classement provisoire : sous-critères sans note de la commission : "
                        + ", ".join(sorted(tally.unscored)) + ".")
    if tally.suggested:
        warnings.append(f"Notes issues des niveaux suggérés par l'outil ({tally.suggested} note(s)) : la commission "
                        "doit les confirmer ou les corriger ; l'outil ne décide pas.")

    rankable = {k: v for k, v in totals.items() if k not in unrankable}
    ranks = _ranks(rankable)
    sensitivity = _sensitivity(folder, rankable, {k: shares[k] for k in rankable}, technical, priced)
    offers = {
        k: OfferRanking(
            soumissionnaire=analysis.offres[k].soumissionnaire,
            a_verifier=analysis.offres[k].a_verifier,
            notes=notes[k], prix=prices[k], total=fmt(totals[k]), rang=ranks.get(k),
        )
        for k in sorted(totals)
    }
    provisional = bool(tally.suggested or tally.unscored or tally.missing)
    return Ranking(reference=analysis.reference, grille=grid.full_id, versions=analysis.versions,
                   source_des_notes=_source(tally), provisoire=provisional, offres=offers,
                   avertissements=warnings, sensibilite=sensitivity)


def _sensitivity(folder: ConsultationFolder, totals: dict[str, Fraction], shares: dict[str, dict[str, Fraction]],
                 technical: dict[str, Fraction], prices: dict[str, Decimal]) -> dict[str, str]:
    ordered = sorted(totals.values(), reverse=True)
    if len(ordered) < 2:
        return {}
    result = {"ecart_premier_second": fmt(ordered[0] - ordered[1])}
    if ordered[0] == ordered[1]:
        leaders = sorted(k for k, v in totals.items() if v == ordered[0])
        result["premier_ex_aequo"] = ("Offres ex æquo en tête : " + ", ".join(leaders)
                                      + " ; la moindre variation d'un poids peut les départager.")
    grid = folder.grid
    criteria = [CriterionWeight(c.id, c.libelle, Fraction(c.poids)) for c in grid.criteres]
    complete = {k: v for k, v in shares.items() if all(c.id in v for c in criteria)}
    if len(criteria) >= 2 and len(complete) >= 2 and ordered[0] != ordered[1]:
        for criterion in criteria:
            result[f"poids_{criterion.id}"] = describe_shift(weight_shift(criteria, complete, criterion.id), criterion)
    price_criterion = grid.price_criterion()
    if price_criterion is not None and price_criterion.prix is not None and len(totals) >= 3:
        ranked = sorted(k for k in totals if k in prices)
        reversals = removal_reversals(technical, prices, price_criterion.prix.methode,
                                      Fraction(price_criterion.poids), ranked)
        result["retrait_d_une_offre"] = describe_reversals(reversals, price_criterion.prix.methode)
    return result


def rank_from_suggestions(folder: ConsultationFolder, analysis: AnalysisResult) -> Ranking:
    """Provisional scoring with the tool's suggested levels only, before the commission scores."""
    return compute_ranking(folder, analysis, CommissionScores())

"""Scoring: price methods, commission scores (workbooks, aggregation, consensus), totals and ranking."""

from evaluation.scoring.commission import (
    CellStatus,
    CommissionScores,
    aggregate,
    commission_status,
    disagreement,
    justification_problem,
    load_commission_scores,
    set_consensus,
)
from evaluation.scoring.price import (
    PRICE_METHODS,
    PriceOutcome,
    abnormally_low,
    justification_request,
    price_points,
    score_prices,
)
from evaluation.scoring.ranking import compute_ranking, fmt, rank_from_suggestions

__all__ = [
    "PRICE_METHODS",
    "CellStatus",
    "CommissionScores",
    "PriceOutcome",
    "abnormally_low",
    "aggregate",
    "commission_status",
    "compute_ranking",
    "disagreement",
    "fmt",
    "justification_problem",
    "justification_request",
    "load_commission_scores",
    "price_points",
    "rank_from_suggestions",
    "score_prices",
    "set_consensus",
]

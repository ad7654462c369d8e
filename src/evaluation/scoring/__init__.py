"""Scoring: price methods, weighted totals and ranking."""

from evaluation.scoring.price import PriceOutcome, abnormally_low, price_points, score_prices
from evaluation.scoring.ranking import fmt, rank_from_suggestions

__all__ = ["PriceOutcome", "abnormally_low", "fmt", "price_points", "rank_from_suggestions", "score_prices"]

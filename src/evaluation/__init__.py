"""Évaluation des plans de progrès dans les offres des marchés publics."""

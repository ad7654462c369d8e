"""Tests of evaluation.scoring."""

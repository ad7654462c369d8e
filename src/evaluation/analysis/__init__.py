"""Text analysis of the mémoires: passages, signals with evidence, suggested levels."""

from evaluation.analysis.run import ANALYSIS_FILE, AnalysisRun, analyse, analyse_folder, dump_analysis

__all__ = ["ANALYSIS_FILE", "AnalysisRun", "analyse", "analyse_folder", "dump_analysis"]

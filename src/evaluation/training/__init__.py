"""Training material: reference corrections of the samples and measurement of the analysis against them."""

from evaluation.training.quality import LabelScore, QualityReport, load_reference, measure_quality, sample_folders

__all__ = ["LabelScore", "QualityReport", "load_reference", "measure_quality", "sample_folders"]

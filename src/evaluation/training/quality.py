"""Measure the analysis against reference corrections: P/R/F1 per passage and per offer, score correlation.

Each annotated passage of a reference is located in the documents by its quoted excerpt; every passage
read from the documents is then a prediction (the parts and axes the analysis says it supports) to
compare with the labels of the annotations it contains (none when no annotation falls in it). The labels
of a trap (`piege`: a conditional passage keeps the labels it would have if firm) are not expected: the
reference does not count such a passage as a commitment, and neither should the analysis.

Per offer, a part or an axis is expected when at least one annotated passage carries it, and predicted
when analyse.json says `elements[e].present` / `axes[a].couvert` (axes: those the consultation asks for
or grades). The passage level is the stricter measure; the offer level is what a commission reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from scipy.stats import spearmanr
from spacy.language import Language

from evaluation.analysis import analyse
from evaluation.analysis.modelfile import LoadedClassifier
from evaluation.analysis.passages import Passage
from evaluation.analysis.run import RULES_ONLY
from evaluation.analysis.signals import supports_axis, supports_element
from evaluation.analysis.text import fold
from evaluation.errors import ConsultationError, Problem
from evaluation.model import AXIS_IDS, ELEMENT_IDS, Grid, SuggestedLevel
from evaluation.model.folder import open_folder
from evaluation.model.loading import load_model
from evaluation.model.reference import Reference, ReferenceLevel
from evaluation.settings import data_dir

__all__ = ["LabelScore", "QualityReport", "load_reference", "measure_quality", "sample_folders"]

REFERENCE_FILE = "reference.yaml"


@dataclass
class LabelScore:
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def add(self, other: LabelScore) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


def _micro(scores: Iterable[LabelScore], label: str) -> LabelScore:
    total = LabelScore(label)
    for s in scores:
        total.add(s)
    return total


@dataclass
class QualityReport:
    elements: dict[str, LabelScore] = field(default_factory=dict)
    axes: dict[str, LabelScore] = field(default_factory=dict)
    #: Offer level: one decision per offer and part (or axis of the consultation).
    offer_elements: dict[str, LabelScore] = field(default_factory=dict)
    offer_axes: dict[str, LabelScore] = field(default_factory=dict)
    #: (consultation, offer, suggested share of the plan score, reference share)
    scores: list[tuple[str, str, float, float]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    #: Model that produced the analysis ("regles-seules" without a classifier).
    modele: str = RULES_ONLY
    #: The same measures for each consultation on its own, by folder name (in the aggregate only).
    consultations: dict[str, QualityReport] = field(default_factory=dict)

    def add(self, other: QualityReport) -> None:
        """Add the counts, scores and unmatched excerpts of `other` to this report."""
        for mine, theirs in ((self.elements, other.elements), (self.axes, other.axes),
                             (self.offer_elements, other.offer_elements), (self.offer_axes, other.offer_axes)):
            for label, score in theirs.items():
                mine.setdefault(label, LabelScore(label)).add(score)
        self.scores.extend(other.scores)
        self.unmatched.extend(other.unmatched)
        self.modele = other.modele

    @property
    def elements_micro(self) -> LabelScore:
        return _micro(self.elements.values(), "éléments")

    @property
    def axes_micro(self) -> LabelScore:
        return _micro(self.axes.values(), "axes")

    @property
    def offer_elements_micro(self) -> LabelScore:
        return _micro(self.offer_elements.values(), "éléments")

    @property
    def offer_axes_micro(self) -> LabelScore:
        return _micro(self.offer_axes.values(), "axes")

    @property
    def spearman(self) -> float | None:
        if len(self.scores) < 3:
            return None
        rho = spearmanr([s[2] for s in self.scores], [s[3] for s in self.scores]).statistic
        return None if rho != rho else float(rho)  # NaN when a series is constant


def sample_folders() -> list[Path]:
    """Bundled sample consultations that carry a reference correction."""
    return sorted(p.parent for p in data_dir("samples").glob(f"*/{REFERENCE_FILE}"))


def load_reference(root: Path) -> Reference:
    return load_model(Reference, root / REFERENCE_FILE, ConsultationError)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def _plan_share(grid: Grid, levels: dict[str, SuggestedLevel] | dict[str, ReferenceLevel]) -> float:
    """Share of the maximum, over the sub-criteria the analysis can suggest, of the points these levels give."""
    got, best = Fraction(0), Fraction(0)
    for criterion, sub in grid.sub_criteria():
        if sub.signal.type == "aucun":
            continue
        weight = Fraction(criterion.poids) * Fraction(sub.poids)
        best += weight
        level = levels.get(sub.id)
        if level is not None:
            got += weight * level.niveau / grid.max_level
    return float(got / best) if best else 0.0


def _score_offer(passages: Sequence[Passage], gold: dict[int, tuple[set[str], set[str]]],
                 report: QualityReport, known_axes: frozenset[str]) -> None:
    for index, passage in enumerate(passages):
        gold_elements, gold_axes = gold.get(index, (set(), set()))
        for element in ELEMENT_IDS:
            _count(report.elements.setdefault(element, LabelScore(element)),
                   supports_element(element, passage), element in gold_elements)
        for axis in AXIS_IDS:
            _count(report.axes.setdefault(axis, LabelScore(axis)), supports_axis(axis, passage, known_axes),
                   axis in gold_axes)


def _count(score: LabelScore, predicted: bool, expected: bool) -> None:
    if predicted and expected:
        score.tp += 1
    elif predicted:
        score.fp += 1
    elif expected:
        score.fn += 1


def _measure_one(root: Path, *, nlp: Language | None, classifier: LoadedClassifier | None,
                 model: Path | None) -> QualityReport:
    report = QualityReport()
    folder = open_folder(root)
    reference = load_reference(root)
    if reference.grille != folder.grid.full_id:
        raise ConsultationError(Problem(
            f"la référence est donnée dans la grille {reference.grille}, la consultation utilise "
            f"{folder.grid.full_id}", fichier=root / REFERENCE_FILE, champ="grille"))
    run = analyse(folder, nlp=nlp, classifier=classifier, model=model)
    report.modele = run.result.versions["modele"]
    custom = {a.id for a in folder.axes if a.id not in AXIS_IDS}
    known = frozenset() if report.modele == RULES_ONLY else frozenset(AXIS_IDS) - custom
    for offer_id, passages in sorted(run.passages.items()):
        texts = [_norm(p.texte) for p in passages]
        gold: dict[int, tuple[set[str], set[str]]] = {}
        for note in (a for a in reference.annotations if a.offre == offer_id):
            excerpt = _norm(note.extrait)
            hits = [i for i, text in enumerate(texts) if excerpt in text]
            if not hits:
                report.unmatched.append(f"{root.name}/{offer_id} : « {note.extrait[:60]} »")
                continue
            elements, axes = gold.setdefault(hits[0], (set(), set()))
            if note.piege is None:
                elements.update(note.elements)
                axes.update(note.axes)
        _score_offer(passages, gold, report, known)
        offer = run.result.offres[offer_id]
        expected = {label for elements, axes in gold.values() for label in elements | axes}
        for element, result in offer.elements.items():
            _count(report.offer_elements.setdefault(element, LabelScore(element)), result.present,
                   element in expected)
        for axis, axis_result in offer.axes.items():
            _count(report.offer_axes.setdefault(axis, LabelScore(axis)), axis_result.couvert, axis in expected)
        if offer_id in reference.offres:
            report.scores.append((
                root.name, offer_id,
                _plan_share(folder.grid, run.result.offres[offer_id].niveaux_suggeres),
                _plan_share(folder.grid, reference.offres[offer_id].niveaux),
            ))
    return report


def measure_quality(roots: Sequence[Path], *, nlp: Language | None = None,
                    classifier: LoadedClassifier | None = None, model: Path | None = None) -> QualityReport:
    """Analyse each consultation (nothing is written) and compare it with its reference.yaml.

    `classifier` / `model` as for `analyse` (by default the bundled model, rules only without it).
    """
    report = QualityReport()
    for root in roots:
        one = _measure_one(root, nlp=nlp, classifier=classifier, model=model)
        report.add(one)
        report.consultations[root.name if root.name not in report.consultations else str(root)] = one
    return report

"""The passage classifier: which of the seven parts and which catalogue axes a passage gives.

A scikit-learn estimator (TF-IDF on words and characters, one logistic regression per label) whose
decision threshold per label is chosen by cross-validation on its own training data. It reads words
only; the rules of `signals` then veto what words alone cannot see (a copy of the buyer's clause, a
denial, a heading) and add what they read better (a dated action is a calendar).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import KFold  # type: ignore[import-untyped]
from sklearn.multiclass import OneVsRestClassifier  # type: ignore[import-untyped]
from sklearn.pipeline import FeatureUnion  # type: ignore[import-untyped]
from sklearn.utils.validation import check_is_fitted  # type: ignore[import-untyped]

from evaluation.analysis.text import fold
from evaluation.model import AXIS_IDS, ELEMENT_IDS

__all__ = ["LABELS", "PassageClassifier", "prepare"]

#: The labels the bundled classifier predicts: the seven parts, then the catalogue axes.
LABELS: tuple[str, ...] = (*ELEMENT_IDS, *AXIS_IDS)
_DIGIT = re.compile(r"\d")
#: Thresholds tried per label; kept away from the extremes so that a label with few examples in a fold
#: does not end up always or never predicted.
_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(11))


def prepare(text: str) -> str:
    """Folded text with every digit made 0: "2 400 heures" and "1 800 heures" read alike."""
    return _DIGIT.sub("0", fold(text))


def _check(name: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise ValueError(f"The '{name}' parameter must be {expected}. Got {value!r} instead.")


class PassageClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Multi-label passage classifier.

    Args:
        labels: names of the columns of `y`, in order.
        C: inverse regularisation strength of each logistic regression.
        cv: folds used to choose each label's threshold on out-of-fold probabilities.
        default_threshold: threshold of a label with too few positive examples to tune one.
        random_state: seed of the fold split (the solver itself is deterministic).
    """

    def __init__(self, labels: Sequence[str] = LABELS, C: float = 5.0, cv: int = 5,
                 default_threshold: float = 0.5, random_state: int = 0) -> None:
        self.labels = labels
        self.C = C
        self.cv = cv
        self.default_threshold = default_threshold
        self.random_state = random_state

    def _validate(self, y: NDArray[Any]) -> None:
        _check("labels", self.labels, isinstance(self.labels, Sequence) and len(self.labels) > 0
               and all(isinstance(x, str) for x in self.labels), "a non-empty sequence of str")
        _check("C", self.C, isinstance(self.C, Real) and self.C > 0, "a float in the range (0, inf)")
        _check("cv", self.cv, isinstance(self.cv, Integral) and self.cv >= 2, "an int in the range [2, inf)")
        _check("default_threshold", self.default_threshold,
               isinstance(self.default_threshold, Real) and 0 < self.default_threshold < 1,
               "a float in the range (0, 1)")
        if y.ndim != 2 or y.shape[1] != len(self.labels):
            raise ValueError(f"y must have one column per label ({len(self.labels)}). Got shape {y.shape} instead.")

    @staticmethod
    def _features() -> FeatureUnion:
        return FeatureUnion([
            ("mots", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)),
            ("caracteres", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True,
                                           dtype=np.float32)),
        ])

    def _model(self) -> OneVsRestClassifier:
        return OneVsRestClassifier(LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                                      max_iter=1000))

    def fit(self, X: Sequence[str], y: NDArray[Any]) -> PassageClassifier:
        """Fit on passages `X` and a binary matrix `y` (one column per label)."""
        y = np.asarray(y, dtype=np.int64)
        self._validate(y)
        if len(X) != y.shape[0]:
            raise ValueError(f"X and y must have the same length. Got {len(X)} and {y.shape[0]} instead.")
        texts = [prepare(t) for t in X]
        self.thresholds_ = self._tune(texts, y)
        self.features_ = self._features()
        self.model_ = self._model().fit(self.features_.fit_transform(texts), y)
        for _, vectorizer in self.features_.transformer_list:
            # A cache key holding `id()` of the stop-word list: it would make every saved file different.
            vars(vectorizer).pop("_stop_words_id", None)
        self.classes_ = np.asarray(self.labels, dtype=object)
        return self

    def _tune(self, texts: list[str], y: NDArray[np.int64]) -> NDArray[np.float64]:
        """Per label, the threshold maximising F1 on out-of-fold probabilities."""
        oof = np.zeros(y.shape, dtype=np.float64)
        folds = KFold(n_splits=self.cv, shuffle=True, random_state=self.random_state)
        for train, test in folds.split(texts):
            features = self._features()
            fitted = self._model().fit(features.fit_transform([texts[i] for i in train]), y[train])
            oof[test] = fitted.predict_proba(features.transform([texts[i] for i in test]))
        thresholds = np.full(y.shape[1], float(self.default_threshold))
        for j in range(y.shape[1]):
            gold = y[:, j].astype(bool)
            if gold.sum() < self.cv:
                continue
            best = -1.0
            for t in _GRID:
                pred = oof[:, j] >= t
                tp = int((pred & gold).sum())
                f1 = 2 * tp / (pred.sum() + gold.sum())
                if f1 > best + 1e-9:
                    best, thresholds[j] = f1, t
        return thresholds

    def predict_proba(self, X: Sequence[str]) -> NDArray[np.float64]:
        """Probability of each label (columns in the order of `classes_`)."""
        check_is_fitted(self, ("model_", "features_", "thresholds_"))
        if len(X) == 0:
            return np.zeros((0, len(self.classes_)))
        proba: NDArray[np.float64] = self.model_.predict_proba(self.features_.transform([prepare(t) for t in X]))
        return proba

    def predict(self, X: Sequence[str]) -> NDArray[np.int64]:
        """Binary matrix: label j is given when its probability reaches `thresholds_[j]`."""
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int64)

    def labels_of(self, X: Sequence[str]) -> list[dict[str, float]]:
        """For each passage, the labels given with their probabilities."""
        proba = self.predict_proba(X)
        names = [str(c) for c in self.classes_]
        return [{names[j]: round(float(row[j]), 4) for j in np.flatnonzero(row >= self.thresholds_)} for row in proba]

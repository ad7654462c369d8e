"""The passage classifier follows the scikit-learn contract and is saved and loaded safely."""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from evaluation.analysis.classifier import PassageClassifier
from evaluation.analysis.modelfile import ModelVersionWarning, card_path, load_classifier, save_classifier
from evaluation.errors import InputError

LABELS = ("partage_gains", "calendrier")
GAINS = ["Les économies réalisées seront partagées à parts égales avec l'acheteur, calcul {}.",
         "Nous reverserons {} % de l'économie constatée au syndicat sous forme d'avoir.",
         "Un intéressement aux gains répartira l'économie {} entre les parties."]
DATES = ["Les bacs inox seront livrés à M+{} dans les offices.",
         "Le nouveau camion sera mis en service en mars 20{}.",
         "La formation des équipes aura lieu au trimestre {} de la première année."]
OTHER = ["Notre entreprise existe depuis {} ans et emploie des salariés qualifiés.",
         "Nous sommes attachés à la qualité de service et à la satisfaction {}."]


def corpus() -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    rows: list[list[int]] = []
    for i in range(8):
        for template, row in [(t, [1, 0]) for t in GAINS] + [(t, [0, 1]) for t in DATES] + [(t, [0, 0]) for t in OTHER]:
            texts.append(template.format(i + 2))
            rows.append(row)
    return texts, np.asarray(rows)


@pytest.fixture(scope="module")
def fitted() -> PassageClassifier:
    texts, y = corpus()
    return PassageClassifier(labels=LABELS, cv=3).fit(texts, y)


def test_fit_returns_self_and_learned_attributes_end_with_underscore() -> None:
    texts, y = corpus()
    model = PassageClassifier(labels=LABELS, cv=3)
    assert model.fit(texts, y) is model
    assert {"features_", "model_", "thresholds_", "classes_"} <= {k for k in vars(model) if k.endswith("_")}
    assert model.get_params()["C"] == 5.0


def test_predict_before_fit_raises_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        PassageClassifier(labels=LABELS).predict(["texte"])


@pytest.mark.parametrize(("params", "message"), [({"C": -1.0}, "The 'C' parameter must be"),
                                                 ({"cv": 1}, "The 'cv' parameter must be"),
                                                 ({"default_threshold": 1.5}, "'default_threshold'")])
def test_invalid_parameters_are_named(params: dict[str, float], message: str) -> None:
    texts, y = corpus()
    with pytest.raises(ValueError, match=message):
        PassageClassifier(labels=LABELS, **params).fit(texts, y)


def test_y_must_have_one_column_per_label() -> None:
    texts, y = corpus()
    with pytest.raises(ValueError, match="one column per label"):
        PassageClassifier(labels=("a", "b", "c")).fit(texts, y)


def test_predictions(fitted: PassageClassifier) -> None:
    texts = ["Les économies réalisées seront partagées à parts égales avec l'acheteur.",
             "Les bacs inox seront livrés à M+6 dans les offices."]
    pred = fitted.predict(texts)
    assert pred.shape == (2, 2)
    assert pred.tolist() == [[1, 0], [0, 1]]
    assert fitted.labels_of(texts[1:])[0].keys() == {"calendrier"}
    assert fitted.predict_proba([]).shape == (0, 2)


def test_save_load_round_trip_gives_same_predictions_and_bytes(fitted: PassageClassifier, tmp_path: Path) -> None:
    card = save_classifier(fitted, tmp_path / "m.skops", {"nom": "essai", "date": "2026-01-02",
                                                         "bibliotheques": {"scikit-learn": _sklearn_version()}})
    again = save_classifier(fitted, tmp_path / "n.skops", {"nom": "essai"})
    assert (tmp_path / "m.skops").read_bytes() == (tmp_path / "n.skops").read_bytes()
    assert card["sha256_modele"] == again["sha256_modele"]
    loaded = load_classifier(tmp_path / "m.skops")
    assert loaded is not None
    texts, _ = corpus()
    assert np.array_equal(loaded.classifier.predict_proba(texts), fitted.predict_proba(texts))
    assert loaded.version.startswith("essai-2026-01-02-")


def test_loading_under_another_sklearn_version_warns_in_french(fitted: PassageClassifier, tmp_path: Path) -> None:
    save_classifier(fitted, tmp_path / "m.skops", {"nom": "essai", "bibliotheques": {"scikit-learn": "0.1.0"}})
    with pytest.warns(ModelVersionWarning, match="entraîné avec scikit-learn 0.1.0"):
        load_classifier(tmp_path / "m.skops")


def test_missing_model_means_rules_only(tmp_path: Path) -> None:
    assert load_classifier(tmp_path / "absent.skops") is None


def test_tampered_model_is_refused(fitted: PassageClassifier, tmp_path: Path) -> None:
    path = tmp_path / "m.skops"
    save_classifier(fitted, path, {"nom": "essai", "bibliotheques": {"scikit-learn": _sklearn_version()}})
    card = json.loads(card_path(path).read_text(encoding="utf-8"))
    card["sha256_modele"] = "0" * 64
    card_path(path).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(InputError, match="empreinte"):
        load_classifier(path)


def test_model_file_asking_for_an_untrusted_type_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    import os

    from skops.io import dumps

    path = tmp_path / "m.skops"
    data = dumps({"modele": os.system})  # a function that would run a command
    path.write_bytes(data)
    card_path(path).write_text(json.dumps({"sha256_modele": hashlib.sha256(data).hexdigest()}), encoding="utf-8")
    with pytest.raises(InputError, match=r"types non prévus : .*system") as caught:
        load_classifier(path)
    assert "m.skops" in str(caught.value)


def test_bundled_model_loads_without_warning_and_has_a_card() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelVersionWarning)
        loaded = load_classifier()
    if loaded is None:
        pytest.skip("aucun modèle livré dans models/")
    card = loaded.card
    assert card["donnees"]["passages"] >= 600 and len(card["donnees"]["secteurs"]) >= 4
    assert len(card["donnees"]["sha256"]) == 64
    assert {"scikit-learn", "skops", "spacy"} <= set(card["bibliotheques"])
    assert card["evaluation"]["elements_micro"]["f1"] > 0.6


def _sklearn_version() -> str:
    import sklearn

    return str(sklearn.__version__)

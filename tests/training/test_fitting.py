"""Training the passage classifier: deterministic file, model card, `evaluation modele entrainer`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from evaluation.analysis.modelfile import card_path, load_classifier
from evaluation.cli import app
from evaluation.training.fitting import corpus_dir, load_corpus, train_classifier

# A 60-passage corpus leaves some labels without any example: scikit-learn says so for each fit.
pytestmark = pytest.mark.filterwarnings("ignore:Label not .* is present in all training examples")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 60 passages of one sector: enough for every fold, fast to train."""
    folder = tmp_path_factory.mktemp("corpus")
    data = YAML(typ="safe").load((corpus_dir() / "restauration-collective.yaml").read_text(encoding="utf-8"))
    data["passages"] = data["passages"][:60]
    with (folder / "extrait.yaml").open("w", encoding="utf-8") as handle:
        YAML().dump(data, handle)
    return folder


def test_bundled_corpus_is_large_balanced_and_has_hard_negatives() -> None:
    data = load_corpus()
    assert len(data.texts) >= 600 and len(set(data.sectors)) >= 4
    assert (data.y.sum(axis=1) == 0).sum() >= 100  # passages that give nothing: the hard negatives
    assert data.y.sum(axis=0)[:7].min() >= 30  # every part has examples


def test_bundled_model_was_trained_on_the_bundled_corpus() -> None:
    """A corpus edited without retraining would leave a model that the card no longer describes."""
    loaded = load_classifier()
    if loaded is None:
        pytest.skip("aucun modèle livré dans models/")
    data = load_corpus()
    assert loaded.card["donnees"]["sha256"] == data.sha256, "réentraînez : evaluation modele entrainer --date …"
    assert loaded.card["donnees"]["fichiers"] == [p.name for p in data.files]


def test_same_corpus_same_bytes_and_card(small_corpus: Path, tmp_path: Path) -> None:
    first = train_classifier(tmp_path / "a" / "m.skops", corpus=small_corpus, date="2026-11-23")
    second = train_classifier(tmp_path / "b" / "m.skops", corpus=small_corpus, date="2026-11-23")
    assert (tmp_path / "a" / "m.skops").read_bytes() == (tmp_path / "b" / "m.skops").read_bytes()
    assert first == second
    assert first["date"] == "2026-11-23"
    assert first["donnees"]["passages"] == 60
    assert len(first["donnees"]["sha256"]) == 64
    assert {"scikit-learn", "skops", "spacy", "numpy"} <= set(first["bibliotheques"])
    assert set(first["evaluation"]["par_etiquette"]) == set(first["etiquettes"])
    assert 0 < first["evaluation"]["passages_test"] < first["donnees"]["passages"]
    loaded = load_classifier(tmp_path / "a" / "m.skops")
    assert loaded is not None and loaded.card == first


def test_entrainer_command(small_corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "modele.skops"
    result = CliRunner().invoke(app, ["modele", "entrainer", "--corpus", str(small_corpus), "--sortie", str(output),
                                      "--date", "2026-11-23"])
    assert result.exit_code == 0, result.output
    card = json.loads(card_path(output).read_text(encoding="utf-8"))
    assert card["date"] == "2026-11-23" and card["fichier"] == "modele.skops"


def test_entrainer_refuses_a_bad_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["modele", "entrainer", "--date", "23/11/2026", "--sortie",
                                      str(tmp_path / "m.skops")])
    assert result.exit_code == 1
    assert "AAAA-MM-JJ" in result.output

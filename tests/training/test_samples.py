"""The bundled training material: references, generated mémoires and the labelled corpus."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from evaluation.errors import InputError
from evaluation.ingest import read_document
from evaluation.model import AXIS_IDS, ELEMENT_IDS
from evaluation.model.corpus import Corpus
from evaluation.model.folder import open_folder
from evaluation.model.loading import load_model
from evaluation.settings import data_dir
from evaluation.training import load_reference, sample_folders
from evaluation.training.quality import _norm

SAMPLES = sample_folders()
CORPUS = sorted((data_dir("samples") / "corpus").glob("*.yaml"))


def test_at_least_three_annotated_consultations() -> None:
    assert len(SAMPLES) >= 3


@pytest.mark.parametrize("root", SAMPLES, ids=lambda p: p.name)
def test_reference_matches_the_consultation(root: Path) -> None:
    folder = open_folder(root)
    reference = load_reference(root)
    assert reference.grille == folder.grid.full_id
    assert set(reference.offres) == {o.id for o in folder.offers}
    scored = {s.id for _, s in folder.grid.sub_criteria()}
    levels = {lv.niveau for lv in folder.grid.echelle}
    for offer in reference.offres.values():
        assert set(offer.niveaux) == scored
        assert {lv.niveau for lv in offer.niveaux.values()} <= levels


@pytest.mark.parametrize("root", SAMPLES, ids=lambda p: p.name)
def test_annotation_ids_exist_in_the_catalogue(root: Path) -> None:
    for note in load_reference(root).annotations:
        assert set(note.elements) <= set(ELEMENT_IDS), note.extrait
        assert set(note.axes) <= set(AXIS_IDS), note.extrait


@pytest.mark.parametrize("root", SAMPLES, ids=lambda p: p.name)
def test_every_excerpt_is_found_in_the_generated_document(root: Path) -> None:
    folder = open_folder(root)
    texts: dict[str, str] = {}
    for offer in folder.offers:
        documents = [read_document(path, root) for path in offer.files]
        assert documents and all(d.statut == "ok" for d in documents), offer.id
        texts[offer.id] = " ".join(_norm(b.texte) for d in documents for b in d.blocs)
    for note in load_reference(root).annotations:
        assert _norm(note.extrait) in texts[note.offre], f"{note.offre} : {note.extrait}"


def test_generated_documents_have_the_text_of_their_markdown() -> None:
    script = data_dir("samples") / "generer.py"
    result = subprocess.run([sys.executable, str(script), "--verifier"], capture_output=True, text=True,
                            cwd=script.parent.parent, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Vérification réussie" in result.stdout


def test_corpus_files_are_valid_and_use_catalogue_ids() -> None:
    assert len(CORPUS) >= 4
    for path in CORPUS:
        corpus = load_model(Corpus, path, InputError)
        for passage in corpus.passages:
            assert set(passage.axes) <= set(AXIS_IDS), passage.texte


def test_corpus_is_balanced_with_hard_negatives() -> None:
    passages = [p for path in CORPUS for p in load_model(Corpus, path, InputError).passages]
    assert len(passages) >= 600
    counts = Counter(label for p in passages for label in [*p.elements, *p.axes])
    assert min(counts[label] for label in [*ELEMENT_IDS, *AXIS_IDS]) >= 40
    assert sum(1 for p in passages if p.piege) / len(passages) >= 0.3
    assert len({p.texte for p in passages}) == len(passages)

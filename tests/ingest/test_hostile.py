"""The bad-input corpus: each hostile file is reported clearly, costs only its own offer, and stays bounded.

For every case of `hostile.CASES`:
- read alone in a child interpreter limited to 1 GiB of address space, it finishes within 10 s with the
  expected status and reason (safety bounds, not a speed test: speed is measured in bench/);
- dropped into offer beta of an analysed consultation, the analysis still succeeds, beta is "à vérifier"
  with the expected status and reason, the CLI names the file and its SHA-256, alpha's and gamma's results
  are unchanged, and the store keeps its earlier records and passes its integrity checks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluation import settings
from evaluation.cli import app
from evaluation.ingest.base import number
from evaluation.store import Store

from .hostile import CASES, Case

try:
    import resource
except ImportError:  # Windows: no address-space limit to test under
    resource = None  # type: ignore[assignment]

runner = CliRunner()
_GIB = 1024 * 1024 * 1024
_BOUND_SECONDS = 10
#: The consultation runs analyse the hostile text with the real pipeline: a small cap keeps them quick.
_CONSULTATION_MAX_CHARS = 20_000
_DEFAULT_MAX_CHARS = settings.MAX_DOCUMENT_CHARACTERS

GOOD = """Plan de progrès

Nous nous engageons à remplacer les cartons par des bacs réutilisables consignés pour 80 % des livraisons à M+12.

Nous réduirons de 30 % les émissions de CO2 de nos tournées de livraison d'ici fin 2027
grâce à deux véhicules électriques.
"""
CONSULTATION = """reference: 2026-TEST-03
objet: Essai
acheteur: Ville d'Essai
grille: plan-de-progres-dae.v1
axes: [emballages_dechets, transport_logistique]
offres:
  alpha: {soumissionnaire: Alpha SAS}
  beta: {soumissionnaire: Beta SARL}
  gamma: {soumissionnaire: Gamma SA}
"""
_READ_ONE = """
import json, sys
from pathlib import Path
from evaluation.ingest import read_document
document = read_document(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"statut": document.statut, "motif": document.motif, "encodage": document.encodage}))
"""


def _expected_motif(case: Case, max_chars: int) -> str:
    return case.motif.replace(number(_DEFAULT_MAX_CHARS), number(max_chars))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every hostile file, each built in a folder of its own."""
    root = tmp_path_factory.mktemp("corpus")
    files = {}
    for case in CASES:
        folder = root / case.name
        folder.mkdir()
        files[case.name] = case.build(folder)
    return files


def _limit_memory() -> None:
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (_GIB, _GIB))


def _read_bounded(path: Path) -> subprocess.CompletedProcess[bytes] | str:
    """Read one file in a child interpreter limited to 1 GiB, killed after 10 s ("délai" when it was)."""
    try:
        return subprocess.run(
            [sys.executable, "-c", _READ_ONE, str(path), str(path.parent)],
            capture_output=True, timeout=_BOUND_SECONDS, preexec_fn=_limit_memory, check=False,
        )
    except subprocess.TimeoutExpired:
        return "délai"


@pytest.fixture(scope="module")
def bounded(corpus: dict[str, Path]) -> dict[str, subprocess.CompletedProcess[bytes] | str]:
    """Every case read in its own bounded child, as many at a time as there are processors."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(_read_bounded, corpus.values())
        return dict(zip(corpus, results, strict=True))


@pytest.mark.skipif(resource is None, reason="pas de limite d'espace d'adressage sur cette plateforme")
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_reading_stays_within_10_seconds_and_1_gib(
    case: Case, bounded: dict[str, subprocess.CompletedProcess[bytes] | str]
) -> None:
    completed = bounded[case.name]
    assert not isinstance(completed, str), f"{case.name} : plus de {_BOUND_SECONDS} s"
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    document = json.loads(completed.stdout)
    assert document["statut"] == case.statut
    assert case.motif in (document["motif"] or "")
    if case.encodage is not None:
        assert document["encodage"] == case.encodage


def _analyse(folder: Path) -> str:
    result = runner.invoke(app, ["analyser", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def _offers(folder: Path) -> dict[str, dict[str, object]]:
    analysis = json.loads((folder / "resultats" / "analyse.json").read_text(encoding="utf-8"))
    offers: dict[str, dict[str, object]] = analysis["offres"]
    return offers


def _stored(folder: Path) -> tuple[dict[str, list[dict[str, object]]], list[str], list[str]]:
    """Documents per offer, every recorded analysis (oldest first) and the store's health problems."""
    with Store.open(folder / "consultation.db") as store:
        documents = {offer: store.documents(offer) for offer in ("alpha", "gamma")}
        analyses = [row[0] for row in store.conn.execute("SELECT resultat FROM analyses ORDER BY id")]
        return documents, analyses, store.check()


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A consultation of three offers, analysed once: alpha and gamma hold a good mémoire, beta nothing yet."""
    root = tmp_path_factory.mktemp("consultation")
    (root / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    for offer in ("alpha", "beta", "gamma"):
        (root / "offres" / offer).mkdir(parents=True)
    (root / "offres" / "alpha" / "memoire.txt").write_text(GOOD, encoding="utf-8")
    (root / "offres" / "gamma" / "memoire.txt").write_text(GOOD.replace("Nous", "Notre société"), encoding="utf-8")
    _analyse(root)
    return root


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_file_costs_only_its_own_offer(
    case: Case, corpus: dict[str, Path], analysed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "MAX_DOCUMENT_CHARACTERS", _CONSULTATION_MAX_CHARS)
    folder = tmp_path / "consultation"
    shutil.copytree(analysed, folder)
    before = _offers(folder)
    stored_before, analyses_before, _ = _stored(folder)
    hostile = corpus[case.name]
    shutil.copy(hostile, folder / "offres" / "beta" / hostile.name)

    output = _analyse(folder)

    after = _offers(folder)
    assert {key: after[key] for key in ("alpha", "gamma")} == {key: before[key] for key in ("alpha", "gamma")}
    stored_after, analyses_after, problems = _stored(folder)
    assert (stored_after, analyses_after[: len(analyses_before)], problems) == (stored_before, analyses_before, [])
    [document] = after["beta"]["documents"]  # type: ignore[misc]
    fichier, sha256 = f"offres/beta/{hostile.name}", hashlib.sha256(hostile.read_bytes()).hexdigest()
    assert (document["fichier"], document["sha256"], document["statut"]) == (fichier, sha256, case.statut)
    assert _expected_motif(case, _CONSULTATION_MAX_CHARS) in (document["motif"] or "")
    if case.statut != "ok":
        assert after["beta"]["a_verifier"] is True
    if case.statut != "ok" or document["motif"]:
        # every document with a problem or a note is named on the terminal with its fingerprint
        assert f"{fichier} [{case.statut}]" in output and f"SHA-256 {sha256}" in output

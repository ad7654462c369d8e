"""Benchmark: analyse a consultation of N offers built from the bundled sample, against a bare nlp.pipe.

Usage: python bench/analyse.py [--offres 20] [--copies 10]

Each offer is one of the sample mémoires repeated `--copies` times (about 1,000 words per copy). Prints
wall time, words per second, the ratio to a bare `nlp.pipe` over the same blocks, and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from evaluation.analysis import analyse_folder
from evaluation.analysis.nlp import load_pipeline
from evaluation.ingest import read_document
from evaluation.model.folder import open_folder
from evaluation.settings import data_dir

SAMPLE = "vetements-2026"


def build(root: Path, offers: int, copies: int) -> None:
    source = data_dir("samples") / SAMPLE
    shutil.copy(source / "consultation.yaml", root / "consultation.yaml")
    text = (root / "consultation.yaml").read_text(encoding="utf-8")
    (root / "consultation.yaml").write_text(text.split("offres:")[0] + "evaluateurs: []\n", encoding="utf-8")
    memoirs = sorted((source / "offres").glob("*/memoire.*"))
    for index in range(offers):
        memoir = memoirs[index % len(memoirs)]
        target = root / "offres" / f"offre-{index:02d}" / f"memoire{memoir.suffix}"
        target.parent.mkdir(parents=True)
        body = memoir.read_text(encoding="utf-8")
        target.write_text("\n\n".join([body] * copies), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--offres", type=int, default=20)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, args.offres, args.copies)
        folder = open_folder(root)
        nlp = load_pipeline()
        texts = [b.texte for o in folder.offers for f in o.files for b in read_document(f, root).blocs]
        words = sum(len(t.split()) for t in texts)

        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        bare = time.perf_counter() - start

        start = time.perf_counter()
        analyse_folder(folder, nlp=nlp)
        full = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"offres : {args.offres}, blocs : {len(texts)}, mots : {words}")
    print(f"nlp.pipe seul : {bare:.2f} s ({words / bare:,.0f} mots/s)")
    print(f"analyse complète (lecture, analyse, stockage) : {full:.2f} s ({words / full:,.0f} mots/s)")
    print(f"débit relatif à nlp.pipe : {bare / full:.2f}")
    print(f"mémoire maximale (RSS) : {peak_mb:.0f} Mo")


if __name__ == "__main__":
    main()

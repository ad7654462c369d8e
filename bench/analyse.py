"""Benchmark: analyse a consultation of N offers built from the bundled samples, against a bare nlp.pipe.

Usage: python bench/analyse.py [--offres 20] [--pages 50] [--jobs 1]

Each offer is a Markdown mémoire made of the samples' plan de progrès chapters (samples/*/sources/*.md,
each offer starting from a different one), repeated until it reaches `--pages` pages of about
`MOTS_PAR_PAGE` words. Prints wall time, words per second, the ratio to a bare `nlp.pipe` of the same
pipeline over the same blocks (in one process), and the peak memory (RSS) of this process and of its
workers.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from evaluation.analysis import analyse_folder
from evaluation.analysis.nlp import load_pipeline
from evaluation.analysis.passages import BATCH_SIZE
from evaluation.ingest import read_document
from evaluation.model.folder import open_folder
from evaluation.settings import data_dir

MOTS_PAR_PAGE = 450
CONSULTATION = """reference: BENCH-01
objet: Banc d'essai
acheteur: Banc d'essai
grille: plan-de-progres-dae.v1
axes: [achats_locaux_durables, emballages_dechets, transport_logistique, energie, insertion_sociale]
evaluateurs: []
"""


def build(root: Path, offers: int, pages: int) -> None:
    sources = sorted(data_dir("samples").glob("*/sources/*.md"))
    chapters = [p.read_text(encoding="utf-8") for p in sources]
    (root / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    for index in range(offers):
        parts: list[str] = []
        words = 0
        position = index
        while words < pages * MOTS_PAR_PAGE:
            chapter = chapters[position % len(chapters)]
            parts.append(chapter)
            words += len(chapter.split())
            position += 1
        target = root / "offres" / f"offre-{index:02d}" / "memoire.md"
        target.parent.mkdir(parents=True)
        target.write_text("\n\n".join(parts), encoding="utf-8")


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--offres", type=int, default=20)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--sans-reference", action="store_true", help="ne mesure pas nlp.pipe seul")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, args.offres, args.pages)
        folder = open_folder(root)
        nlp = load_pipeline()
        texts = [b.texte for o in folder.offers for f in o.files for b in read_document(f, root).blocs]
        words = sum(len(t.split()) for t in texts)
        print(f"offres : {args.offres}, pages : {args.pages} (~{MOTS_PAR_PAGE} mots), blocs : {len(texts)}, "
              f"mots : {words}, processus : {args.jobs}")
        for _ in nlp.pipe(texts[:200], batch_size=BATCH_SIZE):  # warm-up: both measures start warm
            pass
        bare = None
        if not args.sans_reference:
            start = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
                pass
            bare = time.perf_counter() - start
            print(f"nlp.pipe seul ({', '.join(nlp.pipe_names)}) : {bare:.2f} s ({words / bare:,.0f} mots/s)")

        start = time.perf_counter()
        analyse_folder(folder, nlp=nlp, jobs=args.jobs)
        full = time.perf_counter() - start
    own, children = peak_mb()
    print(f"analyse complète (lecture, analyse, classifieur, passages communs, stockage) : {full:.2f} s "
          f"({words / full:,.0f} mots/s)")
    if bare is not None:
        print(f"débit relatif à nlp.pipe : {bare / full:.2f}")
    print(f"mémoire maximale (RSS) : {own:.0f} Mo (processus principal), {children:.0f} Mo (plus gros processus fils)")


if __name__ == "__main__":
    main()

"""Benchmark: analyse a consultation of N offers built from the bundled samples, against a bare nlp.pipe.

Usage: python bench/analyse.py [--offres 20] [--pages 50] [--jobs N] [--repetitions 1]

The analysis runs in `--jobs` processes, by default as `evaluation analyser` does: the available cores,
at most 4 (`--jobs 1` for one process).

Each offer is a Markdown mémoire made of the samples' plan de progrès chapters (samples/*/sources/*.md,
each offer starting from a different one), repeated until it reaches `--pages` pages of about
`MOTS_PAR_PAGE` words. Prints:

- the time to read the documents (the ingestion stage, measured on its own by bench/ingest.py);
- the time of a bare `nlp.pipe` of the same pipeline over the same blocks, in one process, and, with
  `--jobs N` > 1, with `n_process=N` too (the like-for-like reference for N processes);
- the wall time of the whole analysis (reading, pipeline, detectors, classifier, shared passages, store)
  and its throughput relative to each bare `nlp.pipe`, with and without the reading stage;
- the peak memory (RSS) of this process and of its largest worker.

Both sides start warm (pipeline loaded and run once on a few blocks); the classifier is loaded inside the
measured analysis, as in a real run. With `--repetitions K`, each measure is the fastest of K runs (the
classifier is then only loaded by the first).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from evaluation.analysis import analyse_folder
from evaluation.analysis.nlp import load_pipeline
from evaluation.analysis.passages import BATCH_SIZE
from evaluation.ingest import read_document
from evaluation.model.folder import open_folder
from evaluation.settings import data_dir, default_jobs

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


class TotalMemory:
    """Peak of the proportional set size (PSS) of this process and its children, sampled every 0.1 s.

    PSS shares each page among the processes that map it: the workers forked with the pipeline already
    loaded are not counted twice, unlike the sum of their RSS. Linux only (/proc/<pid>/smaps_rollup).
    """

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            return 0
        return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:"))

    def _pids(self) -> list[int]:
        me = os.getpid()
        children: set[int] = set()
        for task in Path(f"/proc/{me}/task").iterdir():  # a child may be forked by any thread
            try:
                children.update(map(int, (task / "children").read_text().split()))
            except OSError:
                continue
        return [me, *sorted(children)]

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kb = max(self.peak_kb, sum(self._pss_kb(pid) for pid in self._pids()))

    def __enter__(self) -> TotalMemory:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--offres", type=int, default=20)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--sans-reference", action="store_true", help="ne mesure pas nlp.pipe seul")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, args.offres, args.pages)
        folder = open_folder(root)
        nlp = load_pipeline()
        start = time.perf_counter()
        texts = [b.texte for o in folder.offers for f in o.files for b in read_document(f, root).blocs]
        reading = time.perf_counter() - start
        words = sum(len(t.split()) for t in texts)
        print(f"offres : {args.offres}, pages : {args.pages} (~{MOTS_PAR_PAGE} mots), blocs : {len(texts)}, "
              f"mots : {words}, processus : {args.jobs}")
        print(f"lecture des documents : {reading:.2f} s")
        for _ in nlp.pipe(texts[:200], batch_size=BATCH_SIZE):  # warm-up: both measures start warm
            pass
        bare: dict[int, float] = {}
        if not args.sans_reference:
            for processes in sorted({1, args.jobs}):
                bare[processes] = best(args.repetitions, lambda n=processes: deque(  # type: ignore[misc]
                    nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n), maxlen=0))
                print(f"nlp.pipe seul ({', '.join(nlp.pipe_names)}), {processes} processus : "
                      f"{bare[processes]:.2f} s ({words / bare[processes]:,.0f} mots/s)")
        with TotalMemory() as total:
            full = best(args.repetitions, lambda: analyse_folder(folder, nlp=nlp, jobs=args.jobs))
    own, children = peak_mb()
    print(f"analyse complète (lecture, analyse, classifieur, passages communs, stockage), {args.jobs} processus : "
          f"{full:.2f} s ({words / full:,.0f} mots/s)")
    for processes, seconds in bare.items():
        print(f"débit relatif à nlp.pipe en {processes} processus : {seconds / full:.2f} "
              f"(sans la lecture des documents : {seconds / max(full - reading, 1e-9):.2f})")
    print(f"mémoire maximale (RSS) : {own:.0f} Mo (processus principal), {children:.0f} Mo (plus gros processus fils)")
    if total.peak_kb:
        print(f"mémoire totale maximale pendant l'analyse (PSS, processus principal et fils) : "
              f"{total.peak_kb / 1024:.0f} Mo")


if __name__ == "__main__":
    main()

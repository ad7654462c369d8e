"""Quality of the analysis on the annotated sample consultations (per passage, per offer, Spearman).

Usage: python bench/qualite.py [--json] [CONSULTATION…]

By default, every consultation of samples/ with a reference.yaml. The mémoires of a sample are generated
from its sources (samples/generer.py); when a sample has no offres/ folder yet, it is copied with the
generator to a temporary folder and generated there, so that nothing is written in the repository.
Prints what `evaluation modele evaluer` prints.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from evaluation.cli import app
from evaluation.training import sample_folders


def ready(roots: list[Path], scratch: Path) -> list[Path]:
    """The consultations, generated into `scratch` when their offers are missing."""
    out: list[Path] = []
    for root in roots:
        if (root / "offres").is_dir() and any((root / "offres").iterdir()):
            out.append(root)
            continue
        samples = scratch / "samples"
        samples.mkdir(exist_ok=True)
        shutil.copy(root.parent / "generer.py", samples / "generer.py")
        shutil.copytree(root, samples / root.name, ignore=shutil.ignore_patterns("offres", "resultats", "*.db"))
        subprocess.run([sys.executable, str(samples / "generer.py"), "--consultation", root.name], check=True,
                       stdout=subprocess.DEVNULL)
        out.append(samples / root.name)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("consultations", nargs="*", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    roots = args.consultations or sample_folders()
    with tempfile.TemporaryDirectory() as tmp:
        paths = ready(list(roots), Path(tmp))
        command = ["modele", "evaluer", *map(str, paths), *(["--json"] if args.json else [])]
        app(command, standalone_mode=False)


if __name__ == "__main__":
    main()

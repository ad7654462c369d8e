"""Benchmark: read a generated 100-page mémoire in each format; pages per second and peak memory.

Usage: python bench/ingest.py [--pages 100] [--repetitions 3]

For each format (PDF with a planning table on every tenth page, DOCX with the same text, tables and a
page break per page, ODT, TXT, Markdown), the document is read by `read_document` in a fresh interpreter,
so that each figure starts from the same state. Prints the best wall time of `--repetitions` reads,
pages per second, and peak memory (RSS): the reading process's and, for PDF, the parser child's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PARAGRAPH = (
    "Nous reduirons de {n} % les emissions de gaz a effet de serre de nos tournees de livraison d'ici fin "
    "2027, grace a des vehicules electriques et a l'optimisation des trajets ; un bilan semestriel sera "
    "remis a l'acheteur avec les indicateurs convenus (tonnes de CO2, kilometres parcourus, taux de "
    "remplissage) et les economies realisees seront partagees a parts egales."
)
PLANNING = [("Action", "Echeance", "Indicateur")] + [
    (f"Action {i}", f"T0+{6 * i} mois", f"{10 * i} % de reduction") for i in range(1, 6)
]
MEASURE = """
import json, resource, sys, time
from pathlib import Path
from evaluation.ingest import read_document
path, repetitions = Path(sys.argv[1]), int(sys.argv[2])
best = float("inf")
for _ in range(repetitions):
    start = time.perf_counter()
    document = read_document(path, path.parent)
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "statut": document.statut, "blocks": len(document.blocs),
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _page_text(page: int) -> list[str]:
    return [f"{page}.1 Objectif {page}" if i == 0 else PARAGRAPH.format(n=page + i) for i in range(5)]


def write_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for page in range(1, pages + 1):
        pdf.add_page()
        for paragraph in _page_text(page):
            pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        if page % 10 == 0:
            with pdf.table() as table:
                for values in PLANNING:
                    row = table.row()
                    for value in values:
                        row.cell(value)
    pdf.output(str(path))


def write_docx(path: Path, pages: int) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for page in range(1, pages + 1):
        texts = _page_text(page)
        document.add_heading(texts[0], 2)
        for paragraph in texts[1:]:
            document.add_paragraph(paragraph)
        if page % 10 == 0:
            table = document.add_table(rows=len(PLANNING), cols=3)
            for r, values in enumerate(PLANNING):
                for c, value in enumerate(values):
                    table.cell(r, c).text = value
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.save(str(path))


def write_odt(path: Path, pages: int) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    for page in range(1, pages + 1):
        texts = _page_text(page)
        document.text.addElement(H(outlinelevel=2, text=texts[0]))
        for paragraph in texts[1:]:
            document.text.addElement(P(text=paragraph))
    document.save(str(path))


def write_text(path: Path, pages: int) -> None:
    heading = "## " if path.suffix == ".md" else ""
    blocks = [f"{heading}{t}" if i == 0 else t for page in range(1, pages + 1) for i, t in enumerate(_page_text(page))]
    path.write_text("\n\n".join(blocks), encoding="utf-8")


WRITERS = {"pdf": write_pdf, "docx": write_docx, "odt": write_odt, "txt": write_text, "md": write_text}


def measure(path: Path, repetitions: int) -> dict[str, float | str]:
    completed = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(repetitions)],
                               capture_output=True, check=True, text=True)
    result: dict[str, float | str] = json.loads(completed.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    columns = ("format", 7), ("statut", 9), ("blocs", -7), ("temps (s)", -11), ("pages/s", -10), ("RSS lecteur", -13)
    print("".join(f"{name:<{width}}" if width > 0 else f"{name:>{-width}}" for name, width in columns) + "  RSS enfant")
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, writer in WRITERS.items():
            path = Path(tmp) / f"memoire.{suffix}"
            writer(path, args.pages)
            r = measure(path, args.repetitions)
            seconds = float(r["seconds"])
            child = f"{float(r['child_mb']):.0f} Mo" if suffix == "pdf" else "-"
            print(f"{suffix:<7}{r['statut']!s:<9}{r['blocks']!s:>7}{seconds:>11.3f}{args.pages / seconds:>10.0f}"
                  f"{float(r['self_mb']):>10.0f} Mo  {child}")


if __name__ == "__main__":
    main()

"""The document model keeps table provenance through serialisation."""

from __future__ import annotations

from pathlib import Path

from evaluation.ingest import read_document
from evaluation.model import ReadDocument

MARKDOWN = """# Planning

| Action | Échéance |
| --- | --- |
| Audit des emballages | T0+3 mois |
| Bacs consignés | M+18 |
"""


def test_table_rows_keep_table_row_and_cells_when_serialised(tmp_path: Path) -> None:
    path = tmp_path / "memoire.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    document = ReadDocument.model_validate_json(read_document(path, tmp_path).model_dump_json())
    rows = [b for b in document.blocs if b.type == "tableau"]
    assert [(b.tableau, b.ligne) for b in rows] == [(1, 2), (1, 3)]
    assert rows[1].cellules == ("Bacs consignés", "M+18")
    assert all(b.tableau is None and b.cellules == () for b in document.blocs if b.type != "tableau")

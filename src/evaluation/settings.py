"""Paths to bundled data and toolkit-wide limits."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["MAX_CONFIG_BYTES", "MAX_DOCUMENT_BYTES", "TOOL_VERSION", "data_dir"]

TOOL_VERSION = "0.1.0"

#: A grid or consultation.yaml larger than this is refused before parsing.
MAX_CONFIG_BYTES = 1_000_000
#: A bidder's file larger than this is rejected without being opened.
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024


def data_dir(name: str) -> Path:
    """Return the bundled folder `name` (grids, samples, models).

    In a wheel the folders are packaged under `evaluation/_data/`; in a source checkout (editable
    install, tests) they are read from the repository root.
    """
    packaged = Path(str(resources.files("evaluation"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name

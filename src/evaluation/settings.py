"""Paths to bundled data and toolkit-wide limits."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = [
    "MAX_BLOCK_CHARACTERS",
    "MAX_COMPRESSION_RATIO",
    "MAX_CONFIG_BYTES",
    "MAX_DOCUMENT_BYTES",
    "MAX_DOCUMENT_CHARACTERS",
    "MAX_PAGES",
    "MAX_XML_PART_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_MEMBER_BYTES",
    "MAX_ZIP_UNPACKED_BYTES",
    "PDF_MEMORY_BYTES",
    "PDF_TIMEOUT_SECONDS",
    "TOOL_VERSION",
    "data_dir",
    "default_jobs",
]

TOOL_VERSION = "0.1.0"

#: A grid or consultation.yaml larger than this is refused before parsing.
MAX_CONFIG_BYTES = 1_000_000
#: A bidder's file larger than this is rejected without being opened.
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024

# Limits on a bidder's document once opened: past them the file is hostile or not a mémoire technique.
#: Pages read from one PDF; the rest is left out and the document marked `partiel`.
MAX_PAGES = 1_000
#: Characters kept from one document (about 600 pages of dense text); the rest is left out (`partiel`).
MAX_DOCUMENT_CHARACTERS = 2_000_000
#: A paragraph longer than this is cut at sentence or word boundaries into several blocks.
MAX_BLOCK_CHARACTERS = 10_000
#: The PDF reader runs in a child process killed after this many seconds...
PDF_TIMEOUT_SECONDS = 120.0
#: ...or when it needs more address space than this (RLIMIT_AS, where the platform has it).
PDF_MEMORY_BYTES = 768 * 1024 * 1024
#: Zip packages (.docx, .odt): members, declared unpacked sizes, and compression ratio of large members.
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_MEMBER_BYTES = 256 * 1024 * 1024
MAX_ZIP_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
#: An XML part larger than this once unpacked is refused before it is parsed into a tree.
MAX_XML_PART_BYTES = 48 * 1024 * 1024
#: Processes the analysis uses when not told: the available cores, at most this many (each holds its own
#: copy of the pipeline and classifier, about 450 MB).
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Number of processes for the analysis: the cores this process may use, at most MAX_DEFAULT_JOBS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_JOBS))


def data_dir(name: str) -> Path:
    """Return the bundled folder `name` (grids, samples, models).

    In a wheel the folders are packaged under `evaluation/_data/`; in a source checkout (editable
    install, tests) they are read from the repository root.
    """
    packaged = Path(str(resources.files("evaluation"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name

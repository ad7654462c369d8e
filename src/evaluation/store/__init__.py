"""The consultation store: consultation.db, its schema and its append-only journal."""

from evaluation.store.db import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    Change,
    ConsensusRow,
    Event,
    ExportRecord,
    NoteRow,
    Store,
    utc_now,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SCHEMA_VERSION",
    "Change",
    "ConsensusRow",
    "Event",
    "ExportRecord",
    "NoteRow",
    "Store",
    "utc_now",
]

"""The consultation store: one SQLite file (`consultation.db`) per consultation.

Every connection turns foreign keys on, uses WAL with `synchronous=FULL` and waits for a busy database
instead of failing at once. Each public write is one `BEGIN IMMEDIATE` transaction and appends rows to the
`evenements` journal, which triggers make append-only.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from evaluation.errors import Problem, StoreError
from evaluation.model.document import ReadDocument

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

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000

Clock = Callable[[], str]
#: What a write did to one row: nothing is logged for an unchanged row.
Change = Literal["ajout", "modification", "inchange"]

_TABLES = ("analyses", "consensus", "documents", "evaluateurs", "evenements", "exports", "meta", "notes", "offres")
_TRIGGERS = ("evenements_sans_modification", "evenements_sans_suppression")
_DOCUMENT_FIELDS = ("offre", "fichier", "sha256", "statut", "motif", "pages", "mots", "format")


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the `evenements` journal; `avant` and `apres` are compact JSON or None."""

    id: int
    horodatage: str
    auteur: str
    action: str
    objet: str
    avant: str | None
    apres: str | None


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One evaluator's level for one offer and sub-criterion."""

    offre: str
    sous_critere: str
    evaluateur: str
    niveau: int
    justification: str


@dataclass(frozen=True, slots=True)
class ConsensusRow:
    """The commission lead's level for one offer and sub-criterion."""

    offre: str
    sous_critere: str
    niveau: int
    justification: str
    auteur: str


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One exported evaluator workbook; `cellules` is the JSON layout and locked cells it was made with."""

    empreinte: str
    evaluateur: str
    reference: str
    grille: str
    fichier: str
    exporte_le: str
    cellules: str


def utc_now() -> str:
    """Current time as an ISO-8601 UTC timestamp, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


#: Scripts upgrading a store to the version given as key, applied in order from the store's version.
_MIGRATIONS: dict[int, str] = {2: "migration_2.sql"}


def _schema_statements(name: str = "schema.sql") -> list[str]:
    """Split an SQL script into statements; `complete_statement` knows trigger bodies contain `;`."""
    text = resources.files("evaluation.store").joinpath(name).read_text(encoding="utf-8")
    statements: list[str] = []
    buffer = ""
    for line in text.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError("schema.sql se termine par une instruction incomplète")
    return statements


# SQLite errors a user can cause when opening a file: primary code -> (reason, advice).
_OPEN_ERRORS: dict[int, tuple[str, str]] = {
    sqlite3.SQLITE_NOTADB: (
        "{name} n'est pas une base SQLite valide",
        "restaurez ce fichier depuis une sauvegarde ; ne le supprimez pas sans en garder une copie, "
        "il contient le journal des événements de la consultation",
    ),
    sqlite3.SQLITE_CANTOPEN: (
        "impossible d'ouvrir {name}",
        "vérifiez que le dossier existe et que vous avez le droit d'y écrire",
    ),
    sqlite3.SQLITE_BUSY: (
        "{name} est verrouillée par un autre programme",
        "attendez la fin de l'autre traitement sur cette consultation puis recommencez",
    ),
    sqlite3.SQLITE_READONLY: (
        "{name} est en lecture seule",
        "donnez le droit d'écriture sur ce fichier et sur son dossier",
    ),
}
_OPEN_ERRORS[sqlite3.SQLITE_CORRUPT] = _OPEN_ERRORS[sqlite3.SQLITE_NOTADB]
_OPEN_ERRORS[sqlite3.SQLITE_LOCKED] = _OPEN_ERRORS[sqlite3.SQLITE_BUSY]


def _open_error(path: Path, exc: sqlite3.Error) -> StoreError | None:
    """The StoreError for an error the user can fix, or None for a defect of the toolkit."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int) or (code & 0xFF) not in _OPEN_ERRORS:
        return None
    raison, conseil = _OPEN_ERRORS[code & 0xFF]
    return StoreError(Problem(raison.format(name=path.name or path), fichier=path, conseil=conseil))


class Store:
    """Access to one consultation.db. Build it with `Store.open`; use it as a context manager.

    Example:
        with Store.open(dossier / "consultation.db") as store:
            store.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock) -> None:
        self._conn = conn
        self._path = path
        self._clock = clock
        self._depth = 0

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None) -> Store:
        """Open (creating if absent) the store at `path`; `Path(":memory:")` gives a throw-away store.

        Raises:
            StoreError: the file is not a SQLite database, was made by a newer version of the tool or by
                another program, or cannot be opened.
        """
        path = Path(path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            if (error := _open_error(path, exc)) is None:
                raise
            raise error from exc
        store = cls(conn, path, clock or utc_now)
        try:
            store._configure()
            store._ensure_schema()
        except sqlite3.Error as exc:
            conn.close()
            if (error := _open_error(path, exc)) is None:
                raise
            raise error from exc
        except BaseException:
            conn.close()
            raise
        return store

    def _configure(self) -> None:
        conn = self._conn
        # Outside any transaction: SQLite silently ignores foreign_keys inside one.
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        if conn.execute("PRAGMA foreign_keys").fetchone()[0] != 1:
            raise RuntimeError("cette version de SQLite ne gère pas les clés étrangères")

    def _schema_problem(self, version: int) -> StoreError | None:
        name = self._path.name or str(self._path)
        if version > SCHEMA_VERSION:
            return StoreError(
                Problem(
                    f"{name} a été créée par une version plus récente de l'outil "
                    f"(schéma {version}, version prise en charge : {SCHEMA_VERSION})",
                    fichier=self._path,
                    conseil="mettez à jour l'outil evaluation avant d'ouvrir cette consultation",
                )
            )
        if version < 0:
            return StoreError(
                Problem(
                    f"{name} porte une version de schéma inconnue ({version})",
                    fichier=self._path,
                    conseil="ce fichier n'a pas été créé par l'outil evaluation ; indiquez le "
                    "consultation.db du dossier de la consultation",
                )
            )
        if version == 0 and self._conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
            return StoreError(
                Problem(
                    f"{name} est une base SQLite qui n'a pas été créée par l'outil evaluation",
                    fichier=self._path,
                    conseil="indiquez le consultation.db du dossier de la consultation, ou un fichier "
                    "qui n'existe pas encore pour en créer un",
                )
            )
        return None

    def _ensure_schema(self) -> None:
        version = self._user_version()
        if version == SCHEMA_VERSION:
            return
        if problem := self._schema_problem(version):
            raise problem
        with self.transaction() as conn:
            # Checked again under the write lock: another process may have created it meanwhile.
            version = self._user_version()
            if version == SCHEMA_VERSION:
                return
            if problem := self._schema_problem(version):
                raise problem
            if version == 0:
                for statement in _schema_statements():
                    conn.execute(statement)
            else:
                # Same transaction as user_version: the store is either wholly old or wholly upgraded.
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _schema_statements(_MIGRATIONS[target]):
                        conn.execute(statement)
                self._log("schema.migration", "schema", {"version": version}, {"version": SCHEMA_VERSION},
                          "evaluation")
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _user_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self._path

    def now(self) -> str:
        """The store's clock (UTC, to the second): the time written in the journal."""
        return self._clock()

    @property
    def conn(self) -> sqlite3.Connection:
        """The underlying connection, for queries the Store does not offer. Write through `transaction()`."""
        return self._conn

    # ------------------------------------------------------------------ transactions and journal

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE … COMMIT` transaction, rolled back if the block raises.

        Nested calls become savepoints, so several Store methods can form a single import: an inner
        failure caught by the caller undoes only the inner block.
        """
        conn = self._conn
        outer = self._depth == 0
        savepoint = f"niveau_{self._depth}"
        conn.execute("BEGIN IMMEDIATE" if outer else f"SAVEPOINT {savepoint}")
        self._depth += 1
        try:
            yield conn
        except BaseException:
            self._depth -= 1
            # SQLite may already have rolled back on its own (e.g. disk full).
            if conn.in_transaction:
                if outer:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO {savepoint}")
                    conn.execute(f"RELEASE {savepoint}")
            raise
        self._depth -= 1
        if not outer:
            conn.execute(f"RELEASE {savepoint}")
            return
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _log(self, action: str, objet: str, avant: object, apres: object, auteur: str) -> None:
        """Append one event; must run inside `transaction()`."""
        self._conn.execute(
            "INSERT INTO evenements (horodatage, auteur, action, objet, avant, apres)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                self._clock(),
                auteur,
                action,
                objet,
                None if avant is None else _json(avant),
                None if apres is None else _json(apres),
            ),
        )

    def events(self) -> list[Event]:
        """The whole journal, oldest first."""
        rows = self._conn.execute(
            "SELECT id, horodatage, auteur, action, objet, avant, apres FROM evenements ORDER BY id"
        )
        return [Event(*row) for row in rows]

    # ------------------------------------------------------------------ meta

    def get_meta(self, cle: str) -> str | None:
        row = self._conn.execute("SELECT valeur FROM meta WHERE cle = ?", (cle,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, cle: str, valeur: str, *, auteur: str) -> None:
        """Set one key; logs `meta.modification` unless the value is unchanged."""
        with self.transaction() as conn:
            avant = self.get_meta(cle)
            if avant == valeur:
                return
            conn.execute(
                "INSERT INTO meta (cle, valeur) VALUES (?, ?)"
                " ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
                (cle, valeur),
            )
            self._log(
                "meta.modification",
                f"meta/{cle}",
                None if avant is None else {"valeur": avant},
                {"valeur": valeur},
                auteur,
            )

    # ------------------------------------------------------------------ offers and documents

    def sync_offers(self, offers: dict[str, str], auteur: str) -> None:
        """Insert new offers and rename changed bidders (`{id: soumissionnaire}`).

        Offers absent from `offers` are kept: documents and notes may refer to them.
        Logs `offre.ajout` or `offre.modification` per change, nothing for an unchanged offer.
        """
        with self.transaction() as conn:
            current = dict(conn.execute("SELECT id, soumissionnaire FROM offres").fetchall())
            for offre, soumissionnaire in sorted(offers.items()):
                avant = current.get(offre)
                if avant == soumissionnaire:
                    continue
                if avant is None:
                    conn.execute(
                        "INSERT INTO offres (id, soumissionnaire) VALUES (?, ?)", (offre, soumissionnaire)
                    )
                    self._log(
                        "offre.ajout", f"offres/{offre}", None, {"soumissionnaire": soumissionnaire}, auteur
                    )
                else:
                    conn.execute(
                        "UPDATE offres SET soumissionnaire = ? WHERE id = ?", (soumissionnaire, offre)
                    )
                    self._log(
                        "offre.modification",
                        f"offres/{offre}",
                        {"soumissionnaire": avant},
                        {"soumissionnaire": soumissionnaire},
                        auteur,
                    )

    def offers(self) -> dict[str, str]:
        """`{id: soumissionnaire}` for every offer, sorted by id."""
        return dict(self._conn.execute("SELECT id, soumissionnaire FROM offres ORDER BY id").fetchall())

    def record_documents(self, offre: str, documents: list[ReadDocument], auteur: str) -> int:
        """Record what ingest read for one offer; returns how many rows were added.

        A document is identified by (offre, fichier, sha256): recording it again adds no row and no event,
        a replaced file (new sha256) adds a row. The offer must already exist (foreign key).
        """
        added = 0
        with self.transaction() as conn:
            for document in documents:
                row = {
                    "offre": offre,
                    "fichier": document.fichier,
                    "sha256": document.sha256,
                    "statut": document.statut,
                    "motif": document.motif,
                    "pages": document.pages,
                    "mots": document.mots,
                    "format": document.format,
                }
                cursor = conn.execute(
                    f"INSERT INTO documents ({', '.join(_DOCUMENT_FIELDS)}) "
                    f"VALUES ({', '.join('?' for _ in _DOCUMENT_FIELDS)}) ON CONFLICT DO NOTHING",
                    tuple(row[field] for field in _DOCUMENT_FIELDS),
                )
                if cursor.rowcount == 1:
                    added += 1
                    self._log("document.ajout", f"documents/{offre}/{document.fichier}", None, row, auteur)
        return added

    def documents(self, offre: str | None = None) -> list[dict[str, Any]]:
        """Recorded documents (all, or those of one offer) as dicts of the `documents` columns."""
        sql = f"SELECT {', '.join(_DOCUMENT_FIELDS)} FROM documents"
        params: tuple[str, ...] = ()
        if offre is not None:
            sql += " WHERE offre = ?"
            params = (offre,)
        rows = self._conn.execute(sql + " ORDER BY offre, fichier, rowid", params).fetchall()
        return [dict(zip(_DOCUMENT_FIELDS, row, strict=True)) for row in rows]

    # ------------------------------------------------------------------ analyses

    def record_analysis(
        self, resultat_json: str, *, version_outil: str, grille: str, modele: str, auteur: str
    ) -> int:
        """Store one analysis result (JSON text) with what produced it; returns its id.

        The journal keeps the provenance and the SHA-256 of the result, not the result itself.
        """
        with self.transaction() as conn:
            produite_le = self._clock()
            cursor = conn.execute(
                "INSERT INTO analyses (produite_le, version_outil, grille, modele, resultat)"
                " VALUES (?, ?, ?, ?, ?)",
                (produite_le, version_outil, grille, modele, resultat_json),
            )
            analysis_id = cursor.lastrowid
            assert analysis_id is not None  # set by every successful INSERT
            self._log(
                "analyse.ajout",
                f"analyses/{analysis_id}",
                None,
                {
                    "produite_le": produite_le,
                    "version_outil": version_outil,
                    "grille": grille,
                    "modele": modele,
                    "sha256": hashlib.sha256(resultat_json.encode("utf-8")).hexdigest(),
                },
                auteur,
            )
        return analysis_id

    def latest_analysis(self) -> str | None:
        """JSON text of the most recently recorded analysis, or None if there is none."""
        row = self._conn.execute("SELECT resultat FROM analyses ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    # ------------------------------------------------------------------ commission scoring

    def ensure_evaluator(self, nom: str, auteur: str) -> bool:
        """Add an evaluator if absent (logs `evaluateur.ajout`); returns whether it was added."""
        with self.transaction() as conn:
            cursor = conn.execute("INSERT INTO evaluateurs (nom) VALUES (?) ON CONFLICT DO NOTHING", (nom,))
            if cursor.rowcount != 1:
                return False
            self._log("evaluateur.ajout", f"evaluateurs/{nom}", None, {"nom": nom}, auteur)
        return True

    def evaluators(self) -> list[str]:
        return [row[0] for row in self._conn.execute("SELECT nom FROM evaluateurs ORDER BY nom")]

    def set_note(self, note: NoteRow, auteur: str) -> Change:
        """Record one evaluator's level; a changed level or justification is logged with before and after."""
        key = (note.offre, note.sous_critere, note.evaluateur)
        after = {"niveau": note.niveau, "justification": note.justification}
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT niveau, justification FROM notes WHERE offre = ? AND sous_critere = ? AND evaluateur = ?",
                key,
            ).fetchone()
            objet = f"notes/{note.offre}/{note.sous_critere}/{note.evaluateur}"
            if row is None:
                conn.execute(
                    "INSERT INTO notes (offre, sous_critere, evaluateur, niveau, justification) VALUES (?, ?, ?, ?, ?)",
                    (*key, note.niveau, note.justification),
                )
                self._log("note.ajout", objet, None, after, auteur)
                return "ajout"
            before = {"niveau": row[0], "justification": row[1]}
            if before == after:
                return "inchange"
            conn.execute(
                "UPDATE notes SET niveau = ?, justification = ?"
                " WHERE offre = ? AND sous_critere = ? AND evaluateur = ?",
                (note.niveau, note.justification, *key),
            )
            self._log("note.modification", objet, before, after, auteur)
        return "modification"

    def notes(self) -> list[NoteRow]:
        """Every evaluator's level, sorted by offer, sub-criterion and evaluator."""
        rows = self._conn.execute(
            "SELECT offre, sous_critere, evaluateur, niveau, justification FROM notes"
            " ORDER BY offre, sous_critere, evaluateur"
        )
        return [NoteRow(*row) for row in rows]

    def set_consensus(self, consensus: ConsensusRow, auteur: str) -> Change:
        """Set the commission lead's level for one offer and sub-criterion, logged with before and after."""
        key = (consensus.offre, consensus.sous_critere)
        after = {"niveau": consensus.niveau, "justification": consensus.justification, "auteur": consensus.auteur}
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT niveau, justification, auteur FROM consensus WHERE offre = ? AND sous_critere = ?", key
            ).fetchone()
            objet = f"consensus/{consensus.offre}/{consensus.sous_critere}"
            if row is None:
                conn.execute(
                    "INSERT INTO consensus (offre, sous_critere, niveau, justification, auteur) VALUES (?, ?, ?, ?, ?)",
                    (*key, consensus.niveau, consensus.justification, consensus.auteur),
                )
                self._log("consensus.ajout", objet, None, after, auteur)
                return "ajout"
            before = {"niveau": row[0], "justification": row[1], "auteur": row[2]}
            if before == after:
                return "inchange"
            conn.execute(
                "UPDATE consensus SET niveau = ?, justification = ?, auteur = ? WHERE offre = ? AND sous_critere = ?",
                (consensus.niveau, consensus.justification, consensus.auteur, *key),
            )
            self._log("consensus.modification", objet, before, after, auteur)
        return "modification"

    def consensus(self) -> list[ConsensusRow]:
        """Every consensus level, sorted by offer and sub-criterion."""
        rows = self._conn.execute(
            "SELECT offre, sous_critere, niveau, justification, auteur FROM consensus ORDER BY offre, sous_critere"
        )
        return [ConsensusRow(*row) for row in rows]

    def record_export(self, record: ExportRecord, auteur: str) -> bool:
        """Remember an exported workbook by its fingerprint; returns False if it was already known."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO exports (empreinte, evaluateur, reference, grille, fichier, exporte_le, cellules)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (record.empreinte, record.evaluateur, record.reference, record.grille, record.fichier,
                 record.exporte_le, record.cellules),
            )
            if cursor.rowcount != 1:
                return False
            self._log(
                "notation.export",
                f"exports/{record.empreinte}",
                None,
                {"evaluateur": record.evaluateur, "fichier": record.fichier, "grille": record.grille,
                 "reference": record.reference},
                auteur,
            )
        return True

    def export(self, empreinte: str) -> ExportRecord | None:
        """The exported workbook with this fingerprint, or None if this store never exported it."""
        row = self._conn.execute(
            "SELECT empreinte, evaluateur, reference, grille, fichier, exporte_le, cellules FROM exports"
            " WHERE empreinte = ?",
            (empreinte,),
        ).fetchone()
        return None if row is None else ExportRecord(*row)

    def log_event(self, action: str, objet: str, avant: object, apres: object, auteur: str) -> None:
        """Append one event of the caller's own (e.g. the summary of an import), in its own transaction."""
        with self.transaction():
            self._log(action, objet, avant, apres, auteur)

    def protection_secret(self, auteur: str) -> str:
        """A random secret of this consultation, created once, from which sheet passwords are derived.

        The journal records that it was created, never its value.
        """
        with self.transaction() as conn:
            current = self.get_meta("secret_protection")
            if current is not None:
                return current
            value = secrets.token_hex(16)
            conn.execute("INSERT INTO meta (cle, valeur) VALUES ('secret_protection', ?)", (value,))
            self._log("meta.ajout", "meta/secret_protection", None, {"valeur": "(secret non journalisé)"}, auteur)
        return value

    # ------------------------------------------------------------------ health

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity and foreign-key checks, and missing schema objects.

        Returns an empty list for a healthy store; messages are in French.
        """
        problems: list[str] = []
        try:
            for (message,) in self._conn.execute("PRAGMA integrity_check"):
                if message != "ok":
                    problems.append(f"intégrité : {message}")
            for table, rowid, parent, _fkid in self._conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"table {table}, ligne {rowid} : référence absente dans la table {parent}")
            present = {
                name
                for (name,) in self._conn.execute(
                    "SELECT name FROM sqlite_schema WHERE type IN ('table', 'trigger')"
                )
            }
        except sqlite3.DatabaseError as exc:
            # Damage bad enough that SQLite cannot even run the checks.
            problems.append(f"intégrité : la vérification a échoué ({exc})")
            return problems
        for name in (*_TABLES, *_TRIGGERS):
            if name not in present:
                problems.append(f"schéma : {name} est absent, la base a été modifiée hors de l'outil")
        return problems

"""Tests of the consultation store (consultation.db)."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import evaluation.store.db as db
from evaluation.errors import StoreError
from evaluation.model.document import Block, ReadDocument
from evaluation.store import SCHEMA_VERSION, ConsensusRow, Event, ExportRecord, NoteRow, Store, utc_now

SHA_A = "a" * 64
SHA_B = "b" * 64


def fixed_clock() -> Callable[[], str]:
    """A clock that ticks one second per call, so events are distinguishable and predictable."""
    seconds = itertools.count()
    return lambda: f"2025-01-01T00:00:{next(seconds):02d}+00:00"


def document(fichier: str = "memoire.pdf", sha256: str = SHA_A, **fields: object) -> ReadDocument:
    values: dict[str, object] = {
        "fichier": fichier,
        "sha256": sha256,
        "format": "pdf",
        "statut": "ok",
        "pages": 2,
        "blocs": [Block(texte="Nous réduirons nos émissions", page=1, paragraphe=1)],
    }
    values.update(fields)
    return ReadDocument.model_validate(values)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "consultation.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, clock=fixed_clock()) as opened:
        yield opened


@pytest.fixture
def store_with_offer(store: Store) -> Store:
    store.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
    return store


def event_count(store: Store) -> int:
    return len(store.events())


# ---------------------------------------------------------------- opening and connection settings


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("journal_mode", "wal"), ("synchronous", 2), ("foreign_keys", 1), ("busy_timeout", 5000)],
)
@pytest.mark.parametrize("reopened", [False, True], ids=["nouvelle", "rouverte"])
def test_connection_settings(db_path: Path, pragma: str, expected: object, reopened: bool) -> None:
    if reopened:
        Store.open(db_path).close()
    with Store.open(db_path) as store:
        assert store.conn.execute(f"PRAGMA {pragma}").fetchone()[0] == expected


def test_new_store_has_current_schema_version(store: Store) -> None:
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2


def test_reopening_keeps_data(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
    with Store.open(db_path) as store:
        assert store.offers() == {"O1": "Entreprise A"}


def test_in_memory_store_works() -> None:
    with Store.open(Path(":memory:")) as store:
        store.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
        assert store.offers() == {"O1": "Entreprise A"}


def test_non_sqlite_file_gives_store_error_naming_file(db_path: Path) -> None:
    db_path.write_text("ceci n'est pas une base de données\n" * 20, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert "consultation.db n'est pas une base SQLite valide" in message
    assert str(db_path) in message


def test_newer_schema_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as raw:
        raw.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="version plus récente"):
        Store.open(db_path)


def test_foreign_sqlite_database_is_refused(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE autre (x)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="n'a pas été créée par l'outil"):
        Store.open(db_path)


def test_missing_folder_gives_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="impossible d'ouvrir"):
        Store.open(tmp_path / "absent" / "consultation.db")


def test_default_clock_is_utc_to_the_second() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", utc_now())


# ---------------------------------------------------------------- constraints


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.conn.execute(
            "INSERT INTO documents (offre, fichier, sha256, statut, mots, format)"
            " VALUES ('inconnue', 'a.pdf', ?, 'ok', 0, 'pdf')",
            (SHA_A,),
        )


def test_strict_rejects_text_in_integer_column(store_with_offer: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="cannot store TEXT value in INTEGER column"):
        store_with_offer.conn.execute(
            "INSERT INTO documents (offre, fichier, sha256, statut, pages, mots, format)"
            " VALUES ('O1', 'a.pdf', ?, 'ok', 'beaucoup', 0, 'pdf')",
            (SHA_A,),
        )


@pytest.mark.parametrize(
    ("column", "value"),
    [("statut", "perdu"), ("sha256", "A" * 64), ("sha256", "abc"), ("mots", -1)],
)
def test_check_rejects_bad_document_value(store_with_offer: Store, column: str, value: object) -> None:
    row: dict[str, object] = {"offre": "O1", "fichier": "a.pdf", "sha256": SHA_A, "statut": "ok", "mots": 0}
    row["format"] = "pdf"
    row[column] = value
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        store_with_offer.conn.execute(
            f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            tuple(row.values()),
        )


def test_note_needs_a_justification(store_with_offer: Store) -> None:
    store_with_offer.conn.execute("INSERT INTO evaluateurs (nom) VALUES ('Claire')")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        store_with_offer.conn.execute(
            "INSERT INTO notes (offre, sous_critere, evaluateur, niveau, justification)"
            " VALUES ('O1', 'SC1', 'Claire', 2, '   ')"
        )


@pytest.mark.parametrize(
    ("sql", "verb"),
    [("UPDATE evenements SET auteur = 'pirate'", "modifié"), ("DELETE FROM evenements", "supprimé")],
    ids=["update", "delete"],
)
def test_events_are_append_only(store_with_offer: Store, sql: str, verb: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match=f"ajout seul : un événement ne peut pas être {verb}"):
        store_with_offer.conn.execute(sql)
    assert event_count(store_with_offer) == 1


# ---------------------------------------------------------------- transactions


def test_failed_transaction_leaves_nothing_written(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
        store.set_meta("nom", "Nettoyage des locaux", auteur="acheteur")
        raise RuntimeError("import interrompu")
    assert store.offers() == {}
    assert store.get_meta("nom") is None
    assert store.events() == []


def test_failed_inner_step_is_undone_alone(store: Store) -> None:
    with store.transaction():
        store.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
        with pytest.raises(sqlite3.IntegrityError):
            store.record_documents("inconnue", [document()], auteur="acheteur")
    assert store.offers() == {"O1": "Entreprise A"}
    assert store.documents() == []
    assert [e.action for e in store.events()] == ["offre.ajout"]


def test_transaction_commits_on_success(db_path: Path, store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO evaluateurs (nom) VALUES ('Claire')")
    with Store.open(db_path) as other:
        assert other.conn.execute("SELECT nom FROM evaluateurs").fetchall() == [("Claire",)]


# ---------------------------------------------------------------- offers


def test_sync_offers_logs_each_addition(store: Store) -> None:
    store.sync_offers({"O2": "Entreprise B", "O1": "Entreprise A"}, auteur="acheteur")
    assert store.events() == [
        Event(1, "2025-01-01T00:00:00+00:00", "acheteur", "offre.ajout", "offres/O1", None,
              '{"soumissionnaire":"Entreprise A"}'),
        Event(2, "2025-01-01T00:00:01+00:00", "acheteur", "offre.ajout", "offres/O2", None,
              '{"soumissionnaire":"Entreprise B"}'),
    ]  # fmt: skip


def test_sync_offers_logs_rename_with_before_and_after(store_with_offer: Store) -> None:
    store_with_offer.sync_offers({"O1": "Entreprise A SAS"}, auteur="Claire")
    last = store_with_offer.events()[-1]
    assert (last.auteur, last.action, last.objet) == ("Claire", "offre.modification", "offres/O1")
    assert json.loads(last.avant or "") == {"soumissionnaire": "Entreprise A"}
    assert json.loads(last.apres or "") == {"soumissionnaire": "Entreprise A SAS"}
    assert store_with_offer.offers() == {"O1": "Entreprise A SAS"}


def test_sync_offers_unchanged_logs_nothing(store_with_offer: Store) -> None:
    store_with_offer.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
    assert event_count(store_with_offer) == 1


def test_sync_offers_keeps_offers_absent_from_the_list(store_with_offer: Store) -> None:
    store_with_offer.sync_offers({"O2": "Entreprise B"}, auteur="acheteur")
    assert store_with_offer.offers() == {"O1": "Entreprise A", "O2": "Entreprise B"}


# ---------------------------------------------------------------- documents


def test_record_documents_stores_status_and_counts(store_with_offer: Store) -> None:
    store_with_offer.record_documents("O1", [document()], auteur="acheteur")
    assert store_with_offer.documents("O1") == [
        {"offre": "O1", "fichier": "memoire.pdf", "sha256": SHA_A, "statut": "ok", "motif": None,
         "pages": 2, "mots": 4, "format": "pdf"},
    ]  # fmt: skip


def test_record_documents_logs_one_event_per_new_document(store_with_offer: Store) -> None:
    store_with_offer.record_documents("O1", [document(), document("annexe.odt")], auteur="acheteur")
    events = store_with_offer.events()[1:]
    assert [(e.action, e.objet) for e in events] == [
        ("document.ajout", "documents/O1/memoire.pdf"),
        ("document.ajout", "documents/O1/annexe.odt"),
    ]
    assert json.loads(events[0].apres or "")["sha256"] == SHA_A


def test_record_documents_is_idempotent(store_with_offer: Store) -> None:
    assert store_with_offer.record_documents("O1", [document()], auteur="acheteur") == 1
    before = event_count(store_with_offer)
    assert store_with_offer.record_documents("O1", [document()], auteur="acheteur") == 0
    assert len(store_with_offer.documents()) == 1
    assert event_count(store_with_offer) == before


def test_record_documents_keeps_each_version_of_a_file(store_with_offer: Store) -> None:
    store_with_offer.record_documents("O1", [document(sha256=SHA_A)], auteur="acheteur")
    store_with_offer.record_documents("O1", [document(sha256=SHA_B)], auteur="acheteur")
    assert [d["sha256"] for d in store_with_offer.documents()] == [SHA_A, SHA_B]


def test_record_documents_for_unknown_offer_writes_nothing(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.record_documents("inconnue", [document()], auteur="acheteur")
    assert store.documents() == []
    assert store.events() == []


def test_rejected_document_keeps_its_reason(store_with_offer: Store) -> None:
    rejected = document(statut="rejete", motif="PDF chiffré", pages=None, blocs=[])
    store_with_offer.record_documents("O1", [rejected], auteur="acheteur")
    [row] = store_with_offer.documents()
    assert (row["statut"], row["motif"], row["pages"], row["mots"]) == ("rejete", "PDF chiffré", None, 0)


# ---------------------------------------------------------------- analyses and meta


def test_latest_analysis_is_none_on_new_store(store: Store) -> None:
    assert store.latest_analysis() is None


def test_latest_analysis_returns_last_recorded(store: Store) -> None:
    versions = {"version_outil": "0.1.0", "grille": "nettoyage.v1", "modele": "fr_core_news_sm-3.8.0"}
    first = store.record_analysis('{"n":1}', auteur="acheteur", **versions)
    second = store.record_analysis('{"n":2}', auteur="acheteur", **versions)
    assert second > first
    assert store.latest_analysis() == '{"n":2}'


def test_record_analysis_logs_provenance(store: Store) -> None:
    analysis_id = store.record_analysis(
        '{"offres":[]}', version_outil="0.1.0", grille="nettoyage.v1", modele="aucun", auteur="acheteur"
    )
    [event] = store.events()
    assert (event.action, event.objet) == ("analyse.ajout", f"analyses/{analysis_id}")
    assert json.loads(event.apres or "") == {
        "produite_le": "2025-01-01T00:00:00+00:00",
        "version_outil": "0.1.0",
        "grille": "nettoyage.v1",
        "modele": "aucun",
        "sha256": hashlib.sha256(b'{"offres":[]}').hexdigest(),
    }


def test_record_analysis_rejects_invalid_json(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        store.record_analysis("{pas du json", version_outil="0.1.0", grille="g", modele="m", auteur="a")
    assert store.events() == []


def test_meta_round_trip_logs_before_and_after(store: Store) -> None:
    store.set_meta("nom", "Nettoyage", auteur="acheteur")
    store.set_meta("nom", "Nettoyage des locaux", auteur="acheteur")
    assert store.get_meta("nom") == "Nettoyage des locaux"
    last = store.events()[-1]
    assert (last.avant, last.apres) == ('{"valeur":"Nettoyage"}', '{"valeur":"Nettoyage des locaux"}')


def test_get_meta_unknown_key_is_none(store: Store) -> None:
    assert store.get_meta("absente") is None


# ---------------------------------------------------------------- check


def test_check_is_clean_on_new_store(store: Store) -> None:
    assert store.check() == []


def test_check_reports_dangling_reference(store: Store) -> None:
    store.conn.execute("PRAGMA foreign_keys=OFF")
    store.conn.execute(
        "INSERT INTO documents (offre, fichier, sha256, statut, mots, format)"
        " VALUES ('fantome', 'a.pdf', ?, 'ok', 0, 'pdf')",
        (SHA_A,),
    )
    store.conn.execute("PRAGMA foreign_keys=ON")
    assert store.check() == ["table documents, ligne 1 : référence absente dans la table offres"]


def test_check_reports_removed_trigger(store: Store) -> None:
    store.conn.execute("DROP TRIGGER evenements_sans_suppression")
    assert store.check() == [
        "schéma : evenements_sans_suppression est absent, la base a été modifiée hors de l'outil"
    ]


# ---------------------------------------------------------------- schema migration


def make_version_1(db_path: Path) -> None:
    """A store as version 1 of the tool left it: without the consensus and exports tables."""
    with Store.open(db_path) as store:
        store.sync_offers({"O1": "Entreprise A"}, auteur="acheteur")
        store.conn.execute("INSERT INTO evaluateurs (nom) VALUES ('Claire')")
        store.conn.execute(
            "INSERT INTO notes (offre, sous_critere, evaluateur, niveau, justification)"
            " VALUES ('O1', 'SC1', 'Claire', 2, 'Justification de Claire.')"
        )
        store.conn.execute("DROP TABLE consensus")
        store.conn.execute("DROP TABLE exports")
        store.conn.execute("PRAGMA user_version=1")


def test_version_1_store_is_migrated_and_keeps_its_data(db_path: Path) -> None:
    make_version_1(db_path)
    with Store.open(db_path, clock=fixed_clock()) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert store.check() == []
        assert store.offers() == {"O1": "Entreprise A"}
        assert [(n.evaluateur, n.niveau) for n in store.notes()] == [("Claire", 2)]
        migration = store.events()[-1]
        assert (migration.action, migration.avant, migration.apres) == (
            "schema.migration", '{"version":1}', '{"version":2}')
        store.set_consensus(ConsensusRow("O1", "SC1", 3, "Accord de la commission.", "Présidente"), auteur="p")
        assert store.consensus()[0].niveau == 3


def test_failed_migration_leaves_the_version_1_store_untouched(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_version_1(db_path)
    monkeypatch.setattr(db, "_MIGRATIONS", {2: "schema_absent.sql"})
    with pytest.raises(FileNotFoundError):
        Store.open(db_path)
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        assert "consensus" not in tables and "exports" not in tables
    finally:
        raw.close()


def test_check_reports_missing_version_2_table(store: Store) -> None:
    store.conn.execute("DROP TABLE exports")
    assert store.check() == ["schéma : exports est absent, la base a été modifiée hors de l'outil"]


# ---------------------------------------------------------------- commission scoring


@pytest.fixture
def scoring_store(store_with_offer: Store) -> Store:
    store_with_offer.ensure_evaluator("Claire", auteur="acheteur")
    return store_with_offer


def test_ensure_evaluator_is_idempotent(scoring_store: Store) -> None:
    assert scoring_store.ensure_evaluator("Claire", auteur="acheteur") is False
    assert scoring_store.evaluators() == ["Claire"]
    assert [e.action for e in scoring_store.events()].count("evaluateur.ajout") == 1


def test_set_note_logs_addition_then_change_with_before_and_after(scoring_store: Store) -> None:
    note = NoteRow("O1", "SC1", "Claire", 2, "Objectifs chiffrés page 3.")
    assert scoring_store.set_note(note, auteur="secretariat") == "ajout"
    assert scoring_store.set_note(note, auteur="secretariat") == "inchange"
    changed = NoteRow("O1", "SC1", "Claire", 3, "Objectifs chiffrés et datés page 3.")
    assert scoring_store.set_note(changed, auteur="secretariat") == "modification"
    last = scoring_store.events()[-1]
    assert (last.action, last.objet, last.auteur) == ("note.modification", "notes/O1/SC1/Claire", "secretariat")
    assert json.loads(last.avant or "") == {"niveau": 2, "justification": "Objectifs chiffrés page 3."}
    assert json.loads(last.apres or "") == {"niveau": 3, "justification": "Objectifs chiffrés et datés page 3."}
    assert scoring_store.notes() == [changed]


def test_note_for_unknown_evaluator_is_refused(store_with_offer: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store_with_offer.set_note(NoteRow("O1", "SC1", "Inconnu", 2, "Justification."), auteur="a")
    assert store_with_offer.notes() == []


def test_consensus_needs_a_justification(store_with_offer: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        store_with_offer.set_consensus(ConsensusRow("O1", "SC1", 2, "  ", "Présidente"), auteur="p")


def test_export_is_recorded_once(scoring_store: Store) -> None:
    record = ExportRecord("c" * 64, "Claire", "REF", "grille.v1", "notation/claire.xlsx", "2025-01-01",
                          '{"feuilles":[]}')
    assert scoring_store.record_export(record, auteur="acheteur") is True
    assert scoring_store.record_export(record, auteur="acheteur") is False
    assert scoring_store.export("c" * 64) == record
    assert scoring_store.export("d" * 64) is None
    assert [e.action for e in scoring_store.events()].count("notation.export") == 1


def test_protection_secret_is_stable_and_never_journaled(store: Store) -> None:
    secret = store.protection_secret(auteur="acheteur")
    assert store.protection_secret(auteur="acheteur") == secret and len(secret) == 32
    assert all(secret not in (e.apres or "") for e in store.events())


def test_migrated_store_has_the_same_schema_as_a_new_one(tmp_path: Path) -> None:
    def schema(path: Path) -> set[tuple[str, str, str]]:
        with Store.open(path) as store:
            return set(store.conn.execute("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL"))

    migrated = tmp_path / "ancienne.db"
    make_version_1(migrated)
    assert schema(migrated) == schema(tmp_path / "neuve.db")

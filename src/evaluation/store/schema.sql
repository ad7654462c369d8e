-- Schema of consultation.db, version 2 (PRAGMA user_version = 2), for a new store.
-- Applied by evaluation.store.db inside one BEGIN IMMEDIATE transaction; user_version is set there too.
-- A store of an older version is upgraded by migration_<version>.sql instead: keep both in step.
-- STRICT tables: SQLite refuses a value of the wrong type instead of silently storing it.

CREATE TABLE meta (
    cle    TEXT NOT NULL PRIMARY KEY CHECK (length(trim(cle)) > 0),
    valeur TEXT NOT NULL
) STRICT;

CREATE TABLE offres (
    id              TEXT NOT NULL PRIMARY KEY CHECK (length(trim(id)) > 0),
    soumissionnaire TEXT NOT NULL CHECK (length(trim(soumissionnaire)) > 0)
) STRICT;

-- One row per version of a file: a file replaced by the bidder gets a new sha256, hence a new row.
CREATE TABLE documents (
    offre   TEXT NOT NULL REFERENCES offres (id),
    fichier TEXT NOT NULL CHECK (length(trim(fichier)) > 0),
    sha256  TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    statut  TEXT NOT NULL CHECK (statut IN ('ok', 'partiel', 'rejete', 'sans_texte')),
    motif   TEXT,
    pages   INTEGER CHECK (pages >= 0),
    mots    INTEGER NOT NULL CHECK (mots >= 0),
    format  TEXT NOT NULL,
    PRIMARY KEY (offre, fichier, sha256)
) STRICT;

CREATE TABLE analyses (
    id            INTEGER PRIMARY KEY,
    produite_le   TEXT NOT NULL,
    version_outil TEXT NOT NULL CHECK (length(trim(version_outil)) > 0),
    grille        TEXT NOT NULL CHECK (length(trim(grille)) > 0),
    modele        TEXT NOT NULL CHECK (length(trim(modele)) > 0),
    resultat      TEXT NOT NULL CHECK (json_valid(resultat))
) STRICT;

CREATE TABLE evaluateurs (
    nom TEXT NOT NULL PRIMARY KEY CHECK (length(trim(nom)) > 0)
) STRICT;

CREATE TABLE notes (
    offre         TEXT NOT NULL REFERENCES offres (id),
    sous_critere  TEXT NOT NULL CHECK (length(trim(sous_critere)) > 0),
    evaluateur    TEXT NOT NULL REFERENCES evaluateurs (nom),
    niveau        INTEGER NOT NULL CHECK (niveau >= 0),
    justification TEXT NOT NULL CHECK (length(trim(justification)) > 0),
    PRIMARY KEY (offre, sous_critere, evaluateur)
) STRICT;

CREATE INDEX notes_evaluateur ON notes (evaluateur);

-- Since version 2 (migration_2.sql).
-- The level the commission lead sets for one offer and sub-criterion; it replaces the evaluators' aggregate.
CREATE TABLE consensus (
    offre         TEXT NOT NULL REFERENCES offres (id),
    sous_critere  TEXT NOT NULL CHECK (length(trim(sous_critere)) > 0),
    niveau        INTEGER NOT NULL CHECK (niveau >= 0),
    justification TEXT NOT NULL CHECK (length(trim(justification)) > 0),
    auteur        TEXT NOT NULL CHECK (length(trim(auteur)) > 0),
    PRIMARY KEY (offre, sous_critere)
) STRICT;

-- Since version 2. One row per evaluator workbook exported: its fingerprint (SHA-256 of the locked cells)
-- and the locked cells themselves (JSON), so that an import can name any cell that was changed.
CREATE TABLE exports (
    empreinte  TEXT NOT NULL PRIMARY KEY
               CHECK (length(empreinte) = 64 AND empreinte NOT GLOB '*[^0-9a-f]*'),
    evaluateur TEXT NOT NULL REFERENCES evaluateurs (nom),
    reference  TEXT NOT NULL CHECK (length(trim(reference)) > 0),
    grille     TEXT NOT NULL CHECK (length(trim(grille)) > 0),
    fichier    TEXT NOT NULL CHECK (length(trim(fichier)) > 0),
    exporte_le TEXT NOT NULL CHECK (length(trim(exporte_le)) > 0),
    cellules   TEXT NOT NULL CHECK (json_valid(cellules))
) STRICT;

CREATE INDEX exports_evaluateur ON exports (evaluateur);

-- Audit trail: who did what, when, with the state before and after (compact JSON).
CREATE TABLE evenements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    horodatage TEXT NOT NULL CHECK (length(trim(horodatage)) > 0),
    auteur     TEXT NOT NULL CHECK (length(trim(auteur)) > 0),
    action     TEXT NOT NULL CHECK (length(trim(action)) > 0),
    objet      TEXT NOT NULL CHECK (length(trim(objet)) > 0),
    avant      TEXT CHECK (avant IS NULL OR json_valid(avant)),
    apres      TEXT CHECK (apres IS NULL OR json_valid(apres))
) STRICT;

-- Append-only: the journal is evidence for the buyer, so no row may be changed or removed.
CREATE TRIGGER evenements_sans_modification
BEFORE UPDATE ON evenements
BEGIN
    SELECT RAISE(ABORT, 'Le journal des événements est en ajout seul : un événement ne peut pas être modifié.');
END;

CREATE TRIGGER evenements_sans_suppression
BEFORE DELETE ON evenements
BEGIN
    SELECT RAISE(ABORT, 'Le journal des événements est en ajout seul : un événement ne peut pas être supprimé.');
END;

-- Upgrade of consultation.db from schema version 1 to 2: commission consensus and workbook exports.
-- Applied by evaluation.store.db inside the same BEGIN IMMEDIATE transaction that sets user_version = 2.

-- The level the commission lead sets for one offer and sub-criterion; it replaces the evaluators' aggregate.
CREATE TABLE consensus (
    offre         TEXT NOT NULL REFERENCES offres (id),
    sous_critere  TEXT NOT NULL CHECK (length(trim(sous_critere)) > 0),
    niveau        INTEGER NOT NULL CHECK (niveau >= 0),
    justification TEXT NOT NULL CHECK (length(trim(justification)) > 0),
    auteur        TEXT NOT NULL CHECK (length(trim(auteur)) > 0),
    PRIMARY KEY (offre, sous_critere)
) STRICT;

-- One row per evaluator workbook exported: its fingerprint (SHA-256 of the locked cells)
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


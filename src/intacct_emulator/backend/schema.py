"""SQLite tables of the backend (the wire layer keeps its own tables in the same file)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS companies (
    company_id     TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    web_services   INTEGER NOT NULL DEFAULT 1,
    allowed_ips    TEXT,              -- JSON list, NULL = any address
    closed_through TEXT,              -- ISO date, NULL = nothing closed
    next_recordno  INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS senders (
    sender_id TEXT PRIMARY KEY,
    password  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sender_authorizations (
    sender_id  TEXT NOT NULL,
    company_id TEXT NOT NULL,
    PRIMARY KEY (sender_id, company_id)
);
CREATE TABLE IF NOT EXISTS users (
    company_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    password    TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    permissions TEXT NOT NULL DEFAULT '["*"]',
    PRIMARY KEY (company_id, user_id)
);
-- A user with rows here may reach only these entities (and not the top level); none: every entity.
CREATE TABLE IF NOT EXISTS user_entities (
    company_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    PRIMARY KEY (company_id, user_id, entity_id)
);
CREATE TABLE IF NOT EXISTS entities (
    company_id     TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    name           TEXT NOT NULL,
    recordno       INTEGER NOT NULL,
    closed_through TEXT,
    PRIMARY KEY (company_id, entity_id)
);
CREATE TABLE IF NOT EXISTS records (
    company_id TEXT NOT NULL,
    object     TEXT NOT NULL,
    recordno   INTEGER NOT NULL,
    entity_id  TEXT,                  -- MEGAENTITYID, NULL = top level
    id_value   TEXT,                  -- the object's id field (ACCOUNTNO, CUSTOMERID, ...)
    name_value TEXT,                  -- the object's name field (TITLE, NAME, ...)
    ref_value  TEXT,                  -- a natural lookup key (GLBATCH REFERENCENO, ...)
    fields     TEXT NOT NULL,         -- JSON object of the stored field values
    PRIMARY KEY (company_id, object, recordno)
);
-- recordno ends each key index so that a lookup also reads its rows in RECORDNO order
CREATE INDEX IF NOT EXISTS records_id_recordno ON records (company_id, object, id_value, recordno);
CREATE INDEX IF NOT EXISTS records_name_recordno ON records (company_id, object, name_value, recordno);
CREATE INDEX IF NOT EXISTS records_ref_recordno ON records (company_id, object, ref_value, recordno);
CREATE TABLE IF NOT EXISTS result_sets (
    result_id     TEXT PRIMARY KEY,
    company_id    TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    object        TEXT NOT NULL,
    where_sql     TEXT NOT NULL,
    params        TEXT NOT NULL,      -- JSON list
    fields        TEXT NOT NULL,      -- JSON list
    pagesize      INTEGER NOT NULL,
    last_recordno INTEGER NOT NULL,
    max_recordno  INTEGER NOT NULL,
    remaining     INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS result_sets_by_caller ON result_sets (company_id, user_id, object, created_at);
CREATE TABLE IF NOT EXISTS seeds_applied (
    name       TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
);
"""

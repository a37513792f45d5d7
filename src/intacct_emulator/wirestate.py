"""The wire layer's own tables in the backend's SQLite file, and the idempotency ledger.

The tables live next to the backend's so that one `backend.transaction()` covers
a function's effects *and* its idempotency record: either both commit or neither
does, which is what makes a retried `uniqueid` function safe (reference §6).
"""

from __future__ import annotations

import sqlite3

from lxml import etree

from intacct_emulator.xmlsafe import parse_document

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS wire_sessions (
        sessionid TEXT PRIMARY KEY,
        company_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        entity_id TEXT,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS wire_idempotency (
        company_id TEXT NOT NULL,
        controlid TEXT NOT NULL,
        function TEXT NOT NULL,
        result_xml BLOB NOT NULL,
        executed_at REAL NOT NULL,
        PRIMARY KEY (company_id, controlid)
    )""",
    """CREATE TABLE IF NOT EXISTS wire_usage (
        company_id TEXT NOT NULL,
        counter TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (company_id, counter)
    )""",
)


def create_tables(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA:
        conn.execute(statement)


def executed_result(conn: sqlite3.Connection, company_id: str, controlid: str) -> etree._Element | None:
    """The stored `<result>` of a function already executed under this controlid, if any."""
    row = conn.execute(
        "SELECT result_xml FROM wire_idempotency WHERE company_id = ? AND controlid = ?",
        (company_id, controlid),
    ).fetchone()
    return parse_document(bytes(row[0])) if row else None


def remember_result(
    conn: sqlite3.Connection, company_id: str, controlid: str, function: str, result: etree._Element, now: float
) -> None:
    """Record a successful function's answer; call inside the function's own savepoint."""
    conn.execute(
        "INSERT INTO wire_idempotency (company_id, controlid, function, result_xml, executed_at) VALUES (?, ?, ?, ?, ?)",
        (company_id, controlid, function, etree.tostring(result), now),
    )

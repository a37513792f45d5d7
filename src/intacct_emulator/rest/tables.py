"""The REST wire's own tables beside the backend's: OAuth clients, grants, tokens and idempotency keys.

Like `wirestate`, they live in the backend's SQLite file, so a write and its
idempotency record commit in one transaction, and tokens survive a restart.
Tokens are stored as SHA-256 digests only: the emulator never keeps a bearer secret it could leak.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from intacct_emulator.backend.seeds import demo

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rest_clients (
        client_id TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        redirect_uris TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS rest_grants (
        code_digest TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        company_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        entity_id TEXT,
        redirect_uri TEXT NOT NULL,
        code_challenge TEXT,
        scope TEXT NOT NULL,
        expires_at REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS rest_tokens (
        digest TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        client_id TEXT NOT NULL,
        company_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        entity_id TEXT,
        issued_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE IF NOT EXISTS rest_idempotency (
        company_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_digest TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (company_id, user_id, idempotency_key)
    )""",
)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_tables(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA:
        conn.execute(statement)


def add_client(conn: sqlite3.Connection, client_id: str, secret: str, sender_id: str,
               redirect_uris: tuple[str, ...]) -> None:
    """Register an OAuth client under a Web Services sender (its company authorizations are the sender's)."""
    conn.execute("INSERT OR IGNORE INTO rest_clients (client_id, secret, sender_id, redirect_uris) VALUES (?,?,?,?)",
                 (client_id, secret, sender_id, json.dumps(list(redirect_uris))))


def seed_demo_clients(conn: sqlite3.Connection) -> None:
    """The demo seed's OAuth clients (ARCHITECTURE.md §1.4): the bridge's and a rogue one."""
    add_client(conn, demo.CLIENT_ID, demo.CLIENT_SECRET, demo.SENDER_ID, demo.CLIENT_REDIRECT_URIS)
    add_client(conn, demo.ROGUE_CLIENT_ID, demo.ROGUE_CLIENT_SECRET, demo.ROGUE_SENDER_ID, demo.CLIENT_REDIRECT_URIS)

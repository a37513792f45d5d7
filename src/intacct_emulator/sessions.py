"""API sessions (reference §2): creation, lookup with a sliding timeout, expiry.

Sessions are rows of `wire_sessions`, so they survive a restart on a file
database. Every successful use pushes `expires_at` forward by the configured
length; a session not used before `expires_at` is gone.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Session:
    sessionid: str
    company_id: str
    user_id: str
    entity_id: str | None  # None: top level
    expires_at: datetime


def _epoch(moment: datetime) -> float:
    return moment.timestamp()


def new_session_id() -> str:
    """Opaque and unguessable; the trailing `..` mimics the shape of real session IDs."""
    return secrets.token_urlsafe(24) + ".."


def create(
    conn: sqlite3.Connection, company_id: str, user_id: str, entity_id: str | None, now: datetime, minutes: float
) -> Session:
    session = Session(new_session_id(), company_id, user_id, entity_id or None, now + timedelta(minutes=minutes))
    conn.execute(
        "INSERT INTO wire_sessions (sessionid, company_id, user_id, entity_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (session.sessionid, company_id, user_id, session.entity_id, _epoch(now), _epoch(session.expires_at)),
    )
    return session


def company_of(conn: sqlite3.Connection, sessionid: str) -> str | None:
    """The company a session belongs to (valid or not): it picks the concurrency slot."""
    row = conn.execute("SELECT company_id FROM wire_sessions WHERE sessionid = ?", (sessionid,)).fetchone()
    return row[0] if row else None


def use(conn: sqlite3.Connection, sessionid: str, now: datetime, minutes: float) -> Session | None:
    """The live session for `sessionid`, its timeout slid forward; None when unknown or expired."""
    row = conn.execute(
        "SELECT company_id, user_id, entity_id, expires_at FROM wire_sessions WHERE sessionid = ?", (sessionid,)
    ).fetchone()
    if row is None:
        return None
    company_id, user_id, entity_id, expires_at = row
    if expires_at <= _epoch(now):
        drop(conn, sessionid)
        return None
    new_expiry = now + timedelta(minutes=minutes)
    conn.execute("UPDATE wire_sessions SET expires_at = ? WHERE sessionid = ?", (_epoch(new_expiry), sessionid))
    return Session(sessionid, company_id, user_id, entity_id, new_expiry)


def drop(conn: sqlite3.Connection, sessionid: str) -> None:
    conn.execute("DELETE FROM wire_sessions WHERE sessionid = ?", (sessionid,))


def expire_all(conn: sqlite3.Connection) -> int:
    """End every session (admin knob for tests); returns how many there were."""
    return conn.execute("DELETE FROM wire_sessions").rowcount


"""The backend: one SQLite database holding companies, users, senders, entities and records.

Moto-style: this module knows nothing about XML. The wire layer and the function
handlers call it with an open connection obtained from :meth:`Backend.transaction`,
so a whole request (or one function inside a savepoint) commits or rolls back as a unit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .models import Company, Entity, Sender, User
from .schema import SCHEMA
from .seeds import SEEDS
from .sqlfuncs import register as register_sql_functions
from .writemarks import TrackedConnection, rolled_back

DEFAULT_RESULT_SET_MINUTES = 30


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=TrackedConnection)
    conn.row_factory = sqlite3.Row
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    register_sql_functions(conn)
    return conn


def _upgrade(conn: sqlite3.Connection) -> None:
    """Bring a database file written by an earlier emulator up to the current tables."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(result_sets)")}
    if "total" not in columns:
        conn.execute("ALTER TABLE result_sets ADD COLUMN total INTEGER NOT NULL DEFAULT 0")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Backend:
    """State of every emulated company, behind a single writer lock.

    One connection serves all threads; the lock makes each transaction exclusive,
    which SQLite needs anyway (one writer at a time) and which keeps ``:memory:``
    databases shared between the server threads.
    """

    def __init__(self, conn: sqlite3.Connection, path: str, result_set_minutes: int) -> None:
        self._conn = conn
        self.path = path
        self.result_set_minutes = result_set_minutes
        self._lock = threading.RLock()
        self._savepoints = itertools.count(1)

    @classmethod
    def open(cls, path: str | Path = ":memory:", *, result_set_minutes: int = DEFAULT_RESULT_SET_MINUTES) -> Backend:
        """Open (and create the tables of) the database at ``path`` or in memory."""
        path = str(path)
        conn = _connect(path)
        conn.executescript(SCHEMA)
        _upgrade(conn)
        return cls(conn, path, result_set_minutes)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                rolled_back(conn)
                raise
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def savepoint(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """A nested unit inside a transaction that rolls back alone when the block raises."""
        name = f"sp{next(self._savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            rolled_back(conn)
            raise
        conn.execute(f"RELEASE {name}")

    def seed(self, name: str) -> None:
        """Load a named data set once; seeding again changes nothing."""
        if name not in SEEDS:
            raise ValueError(f"unknown seed {name!r}; known: {', '.join(sorted(SEEDS))}")
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM seeds_applied WHERE name = ?", (name,)).fetchone():
                return
            SEEDS[name](self, conn)
            now = dt.datetime.now(dt.timezone.utc).isoformat()
            conn.execute("INSERT INTO seeds_applied (name, applied_at) VALUES (?, ?)", (name, now))

    # -- account-level actors -------------------------------------------------------------

    def sender(self, conn: sqlite3.Connection, sender_id: str) -> Sender | None:
        row = conn.execute("SELECT sender_id, password FROM senders WHERE sender_id = ?", (sender_id,)).fetchone()
        return Sender(row["sender_id"], row["password"]) if row else None

    def sender_authorized(self, conn: sqlite3.Connection, sender_id: str, company_id: str) -> bool:
        row = conn.execute(
            "SELECT 1 FROM sender_authorizations WHERE sender_id = ? AND company_id = ?", (sender_id, company_id)
        ).fetchone()
        return row is not None

    def company(self, conn: sqlite3.Connection, company_id: str) -> Company | None:
        row = conn.execute("SELECT * FROM companies WHERE company_id = ?", (company_id,)).fetchone()
        if row is None:
            return None
        ips = json.loads(row["allowed_ips"]) if row["allowed_ips"] else None
        return Company(row["company_id"], row["name"], bool(row["web_services"]), ips, _date(row["closed_through"]))

    def user(self, conn: sqlite3.Connection, company_id: str, user_id: str) -> User | None:
        row = conn.execute(
            "SELECT * FROM users WHERE company_id = ? AND user_id = ?", (company_id, user_id)
        ).fetchone()
        if row is None:
            return None
        perms = frozenset(json.loads(row["permissions"]))
        reach = conn.execute(
            "SELECT entity_id FROM user_entities WHERE company_id = ? AND user_id = ?", (company_id, user_id)
        ).fetchall()
        entities = frozenset(r["entity_id"] for r in reach) or None
        return User(row["company_id"], row["user_id"], row["password"], bool(row["active"]), perms, entities)

    def entity(self, conn: sqlite3.Connection, company_id: str, locationid: str) -> Entity | None:
        row = conn.execute(
            "SELECT * FROM entities WHERE company_id = ? AND entity_id = ?", (company_id, locationid)
        ).fetchone()
        if row is None:
            return None
        return Entity(row["company_id"], row["entity_id"], row["name"], row["recordno"], _date(row["closed_through"]))

    def entities(self, conn: sqlite3.Connection, company_id: str) -> list[Entity]:
        rows = conn.execute("SELECT entity_id FROM entities WHERE company_id = ? ORDER BY entity_id", (company_id,))
        return [e for r in rows.fetchall() if (e := self.entity(conn, company_id, r["entity_id"])) is not None]

    def is_multi_entity(self, conn: sqlite3.Connection, company_id: str) -> bool:
        """True when the company has entities (then journal lines need a LOCATION)."""
        return conn.execute("SELECT 1 FROM entities WHERE company_id = ? LIMIT 1", (company_id,)).fetchone() is not None

    def closed_through(self, conn: sqlite3.Connection, company_id: str, entity_id: str | None) -> dt.date | None:
        """The last closed day for postings at the entity (or the company when top level)."""
        if entity_id is not None:
            entity = self.entity(conn, company_id, entity_id)
            if entity is not None and entity.closed_through is not None:
                return entity.closed_through
        company = self.company(conn, company_id)
        return company.closed_through if company else None

    def set_closed_through(
        self, conn: sqlite3.Connection, company_id: str, entity_id: str | None, date: dt.date | None
    ) -> None:
        """Admin knob: close the books through ``date`` (None reopens everything)."""
        value = date.isoformat() if date else None
        if entity_id is None:
            conn.execute("UPDATE companies SET closed_through = ? WHERE company_id = ?", (value, company_id))
        else:
            conn.execute(
                "UPDATE entities SET closed_through = ? WHERE company_id = ? AND entity_id = ?",
                (value, company_id, entity_id),
            )

    # -- writers used by seeds and admin ------------------------------------------------------

    def add_company(
        self,
        conn: sqlite3.Connection,
        company_id: str,
        name: str,
        *,
        web_services: bool = True,
        allowed_ips: list[str] | None = None,
        closed_through: dt.date | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO companies (company_id, name, web_services, allowed_ips, closed_through) VALUES (?,?,?,?,?)",
            (
                company_id,
                name,
                int(web_services),
                json.dumps(allowed_ips) if allowed_ips is not None else None,
                closed_through.isoformat() if closed_through else None,
            ),
        )

    def add_sender(self, conn: sqlite3.Connection, sender_id: str, password: str, companies: list[str]) -> None:
        conn.execute("INSERT INTO senders (sender_id, password) VALUES (?, ?)", (sender_id, password))
        for company_id in companies:
            conn.execute(
                "INSERT INTO sender_authorizations (sender_id, company_id) VALUES (?, ?)", (sender_id, company_id)
            )

    def add_user(
        self,
        conn: sqlite3.Connection,
        company_id: str,
        user_id: str,
        password: str,
        *,
        permissions: frozenset[str] = frozenset({"*"}),
        active: bool = True,
        entities: frozenset[str] | None = None,
    ) -> None:
        """`entities`: restrict the user to these entities (Company > Admin > Users > entity access)."""
        conn.execute(
            "INSERT INTO users (company_id, user_id, password, active, permissions) VALUES (?,?,?,?,?)",
            (company_id, user_id, password, int(active), json.dumps(sorted(permissions))),
        )
        conn.executemany(
            "INSERT INTO user_entities (company_id, user_id, entity_id) VALUES (?,?,?)",
            [(company_id, user_id, entity_id) for entity_id in sorted(entities or ())],
        )

    def add_entity(self, conn: sqlite3.Connection, company_id: str, entity_id: str, name: str, recordno: int) -> None:
        conn.execute(
            "INSERT INTO entities (company_id, entity_id, name, recordno) VALUES (?,?,?,?)",
            (company_id, entity_id, name, recordno),
        )

    # -- records ------------------------------------------------------------------------------

    def records(
        self, conn: sqlite3.Connection, company_id: str, object_name: str, entity_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Every stored record of an object, for the admin ledger (JSON-able, amounts as strings).

        ``entity_id=None`` lists the records of every entity and the top level;
        an entity id lists only the records stamped with that entity.
        """
        sql = "SELECT fields FROM records WHERE company_id = ? AND object = ?"
        params: list[Any] = [company_id, object_name.upper()]
        if entity_id is not None:
            sql += " AND entity_id = ?"
            params.append(entity_id)
        rows = conn.execute(sql + " ORDER BY recordno", params).fetchall()
        return [json.loads(r["fields"]) for r in rows]

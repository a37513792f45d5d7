"""Opening the store: engine set-up per backend, migrations on first use, sessions.

SQLite gets WAL, foreign keys and a busy timeout, and real transactions (pysqlite's implicit
BEGIN is replaced by an explicit one so SELECTs and SAVEPOINTs behave). PostgreSQL is used as is;
a `search_path` can be set with `?options=-csearch_path%3Dmyschema` in the URL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from intacct_bridge.private_files import create_private_file
from intacct_bridge.settings import OperatorSettings

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Any fixed number: the key of the PostgreSQL advisory lock that serializes concurrent upgrades.
_PG_MIGRATION_LOCK = 724_311_905
_migrated: set[str] = set()
_migrated_guard = threading.Lock()


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _install_sqlite_hooks(engine: Engine) -> None:
    """Pragmas on every new connection, and an explicit BEGIN (IMMEDIATE when asked) per transaction."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_store_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An engine configured for the backend the URL names."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            engine_kwargs.setdefault("poolclass", StaticPool)
            engine_kwargs.setdefault("connect_args", {"check_same_thread": False})
        else:
            # Created here, before SQLite would make it 0644: only its owner may read the store (the
            # -wal and -shm files SQLite adds take the database file's mode).
            if not parsed.query.get("uri"):  # a `file:` URI names its file in its own way: left to SQLite
                create_private_file(Path(parsed.database))
            engine_kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(parsed, **engine_kwargs)
        _install_sqlite_hooks(engine)
        return engine
    engine_kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **engine_kwargs)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision`, serialized against other processes doing the same."""
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    with writer.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(_alembic_config(connection), revision)


def ensure_migrated(engine: Engine) -> None:
    """Upgrade to head once per process and URL; cheap when the schema is already current."""
    key = engine.url.render_as_string(hide_password=False)
    with _migrated_guard:
        if key in _migrated:
            return
        if current_revision(engine) != head_revision():
            upgrade(engine)
        _migrated.add(key)


class Store:
    """The engine and a session factory. Sessions commit on success and roll back on error."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writer_sessions = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work. On SQLite the transaction starts DEFERRED: readers never wait."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A unit of work that takes SQLite's write lock up front (no upgrade-to-writer BUSY error)."""
        with self._writer_sessions.begin() as session:
            yield session

    def new_session(self) -> Session:
        """A session the caller manages (long-lived readers such as the candidates stream)."""
        return self._sessions()

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"


def open_store(url: str | None = None, *, migrate: bool = True, **engine_kwargs: Any) -> Store:
    """Open the store at `url` (default: operator settings) and bring its schema to head."""
    engine = create_store_engine(url or OperatorSettings().resolved_database_url(), **engine_kwargs)
    if migrate:
        ensure_migrated(engine)
    return Store(engine)

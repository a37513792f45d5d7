"""Shared test fixtures: real services when they are up, a clear skip when not (never under CI=true).

The suite runs in parallel (pytest-xdist, `-n` in pyproject's addopts), so every fixture here
gives a test something no other test, worker or concurrent run shares: ports are picked by
the OS (port 0), files live under `tmp_path`, PostgreSQL work happens in a schema of its own
inside the worker's own database, Redis work under a key prefix of its own in the worker's
own database number. The rules for writing tests are in tests/README.md.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

# The CLI's Rich consoles are made at import and keep a COLUMNS/LINES found then (an xdist worker inherits 80x24):
# without them they read the COLUMNS a test sets with monkeypatch, in a worker as in a serial run.
for _size in ("COLUMNS", "LINES"):
    os.environ.pop(_size, None)

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# "gw0", "gw1", ... in an xdist worker; "" when pytest runs the tests itself (-n 0, -p no:xdist).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# argon2id at its lowest cost: the same code path as production, without 64 MiB and 3 passes per hash.
TEST_PASSWORD_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def worker_number() -> int:
    """0 for gw0 or a run without workers, 1 for gw1, ..."""
    return int(WORKER[2:]) if WORKER.startswith("gw") else 0


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip (or, under CI=true, fail) when a service a test needs is not listening."""
    if _port_open(host, port):
        return
    message = f"{name} is not running on {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message}; under CI=true this test must run (.ci/run starts it)")
    pytest.skip(f"{message}; start it to run this test")


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """With pytest-xdist turned off (`-p no:xdist`), accept pyproject's `--numprocesses`/`--dist` and run serially."""
    if pluginmanager.has_plugin("xdist"):
        return
    group = parser.getgroup("xdist-off", "pytest-xdist is turned off")
    group.addoption("--numprocesses", dest="numprocesses", default=None, help="ignored: xdist is off")
    group.addoption("--dist", dest="dist", default="no", help="ignored: xdist is off")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long tests first, `slow` then `browser` (a stable sort, the same in every worker): none of them
    starts last and keeps one worker busy while the others are idle."""
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None, item.get_closest_marker("browser") is None))


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> None:
    """Console users in this process are hashed with argon2's lowest cost (CLI subprocesses keep the real one)."""
    from intacct_bridge.web.access import use_password_hasher

    use_password_hasher(TEST_PASSWORD_HASHER)


# --- PostgreSQL: a database per xdist worker, a schema per test ------------------------------------------


def _create_database_once(base_url: str, name: str) -> None:
    """CREATE DATABASE `name` from a connection to `base_url` unless it exists (another run may race us)."""
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
    try:
        with admin.connect() as connection:
            if connection.scalar(exists, {"name": name}):
                return
            try:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            except DBAPIError:
                if not connection.scalar(exists, {"name": name}):
                    raise
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def worker_postgres_url() -> str:
    """This worker's own database (`test_gw0`, ...; `test` itself without workers), created when missing."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    if not WORKER:
        return POSTGRES_URL
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_{WORKER}"
    _create_database_once(POSTGRES_URL, name)
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def postgres_url(worker_postgres_url: str) -> str:
    """The URL of this worker's database; tests that write use `pg_url` (a schema of their own) instead."""
    return worker_postgres_url


def pg_schema_url(base_url: str, schema: str) -> str:
    """A URL whose connections use `schema` as their search_path, named after it (`application_name`) so the
    teardown can find any the test left open."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}&application_name={schema}"


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A URL on a fresh, empty PostgreSQL schema in the worker's database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(postgres_url, schema)
    finally:
        with admin.connect() as connection:
            # A failed test may leave a session idle in a transaction on the schema: DROP SCHEMA would wait on
            # its locks until the suite's timeout. End whatever the test left connected first.
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE application_name = :schema AND pid <> pg_backend_pid()"),
                               {"schema": schema})
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_store(pg_url: str):
    """The product's store, migrated, in a fresh PostgreSQL schema."""
    from intacct_bridge.store.database import open_store

    opened = open_store(pg_url)
    try:
        yield opened
    finally:
        opened.dispose()


# --- SQLite: migrated once per worker, copied per test ---------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store file migrated to head once per worker (the source of every test's copy)."""
    from intacct_bridge.store.database import open_store

    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    open_store(f"sqlite:///{path}").dispose()  # the last connection closed: the WAL is checkpointed away
    assert not Path(f"{path}-wal").exists(), "the template must be one self-contained file"
    return path


@pytest.fixture
def sqlite_copy(sqlite_template: Path) -> Callable[[Path], str]:
    """`sqlite_copy(path)`: a migrated store file at `path` (0600, as the product makes it); returns its URL."""
    from intacct_bridge.private_files import create_private_file

    def copy(path: Path) -> str:
        create_private_file(path)
        shutil.copyfile(sqlite_template, path)  # into the 0600 file: the mode stays
        return f"sqlite:///{path}"

    return copy


@pytest.fixture
def migrated_sqlite_url(tmp_path: Path, sqlite_copy: Callable[[Path], str]) -> str:
    """A SQLite store at head in this test's tmp_path (`bridge.db`), without running the migrations again."""
    return sqlite_copy(tmp_path / "bridge.db")


# --- Redis: a database number per worker, a key prefix per test ------------------------------------------


@pytest.fixture
def redis_url() -> str:
    """TEST_REDIS_URL; in an xdist worker its database number is 1-15 by worker. Other runs may share it:
    never FLUSHDB, keep every key under `redis_namespace`."""
    require_service("Redis", "127.0.0.1", 6379)
    if not WORKER:
        return REDIS_URL
    return make_url(REDIS_URL).set(database=str(1 + worker_number() % 15)).render_as_string(hide_password=False)


@pytest.fixture
def redis_namespace(redis_url: str) -> Iterator[str]:
    """A Redis key prefix (and Dramatiq namespace) of this test alone; its keys are deleted afterwards."""
    import redis

    namespace = f"ib-test-{WORKER or 'main'}-{uuid.uuid4().hex[:10]}"
    yield namespace
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{namespace}*"))
    if keys:
        client.delete(*keys)
    client.close()


# --- The emulator ----------------------------------------------------------------------------------------


@pytest.fixture
def emu():
    """A demo-seeded emulator over real HTTP on a free 127.0.0.1 port."""
    from intacct_emulator.harness import start_emulator

    with start_emulator(seed="demo") as running:
        yield running

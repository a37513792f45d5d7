"""Store fixtures: a fresh SQLite file per test (empty, or a migrated copy), and a fresh PostgreSQL schema per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from intacct_bridge.store.database import Store, open_store


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str, sqlite_copy) -> Iterator[Store]:
    """The store at `store_url`, at head: SQLite as a copy of the worker's migrated template."""
    parsed = make_url(store_url)
    if parsed.get_backend_name() == "sqlite":
        sqlite_copy(Path(parsed.database))
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.dispose()

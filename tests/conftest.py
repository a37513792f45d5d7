"""Shared test fixtures: real services when they are up, a clear skip when not (never under CI=true)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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


@pytest.fixture
def postgres_url() -> str:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


@pytest.fixture
def redis_url() -> str:
    require_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


def pg_schema_url(base_url: str, schema: str) -> str:
    """A URL whose connections use `schema` as their search_path."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A URL on a fresh PostgreSQL schema for one test, dropped afterwards, so runs never collide."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(postgres_url, schema)
    finally:
        with admin.connect() as connection:
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


@pytest.fixture
def emu():
    """A demo-seeded emulator over real HTTP on a free 127.0.0.1 port."""
    from intacct_emulator.harness import start_emulator

    with start_emulator(seed="demo") as running:
        yield running

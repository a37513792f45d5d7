"""Fixtures for the engine: a real emulator over HTTP, a store on a SQLite file (or PostgreSQL), a workspace."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_emulator.harness import RunningEmulator, start_emulator


@pytest.fixture
def emu() -> Iterator[RunningEmulator]:
    with start_emulator(seed="demo") as running:
        yield running


@pytest.fixture
def operator(emu: RunningEmulator, tmp_path, monkeypatch) -> OperatorSettings:
    """Operator configuration pointing at the emulator; a throwaway secret key."""
    for name, value in emu.credentials.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
    return OperatorSettings()


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'bridge.db'}")
    yield opened
    opened.dispose()


@pytest.fixture
def pg_store(postgres_url: str) -> Iterator[Store]:
    """A fresh schema in the test database, dropped afterwards."""
    schema = f"sync_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    opened = open_store(f"{postgres_url}?options=-csearch_path%3D{schema}")
    yield opened
    opened.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()

"""Fixtures for the engine: a real emulator over HTTP, a store on a SQLite file (or PostgreSQL), a workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_emulator.harness import RunningEmulator


@pytest.fixture
def operator(emu: RunningEmulator, tmp_path, monkeypatch) -> OperatorSettings:
    """Operator configuration pointing at the emulator; a throwaway secret key."""
    for name, value in emu.credentials.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
    return OperatorSettings()


@pytest.fixture(params=["xml", "rest"])
def wire(request: pytest.FixtureRequest) -> str:
    """The API a workspace speaks: tests taking this fixture run over the XML gateway and over the REST API."""
    return request.param


@pytest.fixture
def store(migrated_sqlite_url: str) -> Iterator[Store]:
    opened = open_store(migrated_sqlite_url)
    yield opened
    opened.dispose()


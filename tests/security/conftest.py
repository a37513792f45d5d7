"""Fixtures of the endpoint tests: the emulator (allowed: it is the operator's INTACCT_ENDPOINT), a capture
server on another 127.0.0.1 port (not allowed), a store on a SQLite file and a workspace connected to the
emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from capture_servers import RunningServer, capture_server
from endpoint_helpers import SENDER_PASSWORD
from intacct_bridge.crypto import SecretBox
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_bridge.sync.sample_load import create_connected_workspace
from intacct_emulator.harness import RunningEmulator


@pytest.fixture
def capture() -> Iterator[RunningServer]:
    with capture_server() as server:
        yield server


@pytest.fixture
def database_url(migrated_sqlite_url: str) -> str:
    return migrated_sqlite_url


@pytest.fixture
def operator(emu: RunningEmulator, tmp_path, monkeypatch, database_url) -> OperatorSettings:
    """The operator's environment: the emulator as INTACCT_ENDPOINT, the default allow-list otherwise."""
    for name, value in emu.credentials.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("INTACCT_BRIDGE_ALLOWED_ENDPOINTS", raising=False)
    monkeypatch.delenv("INTACCT_BRIDGE_WORKSPACE", raising=False)
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTACCT_BRIDGE_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    settings = OperatorSettings()
    assert settings.sender_password.get_secret_value() == SENDER_PASSWORD
    return settings


@pytest.fixture
def store(database_url) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def workspace_id(store: Store, emu: RunningEmulator, operator: OperatorSettings) -> int:
    return create_connected_workspace(store, "Helping Hands", emu.credentials, SecretBox.from_settings(operator))


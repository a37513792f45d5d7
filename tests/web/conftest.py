"""Fixtures of the web tests: a store on a SQLite file, the app in-process, tokens, and the emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_bridge.web.app import create_app
from intacct_emulator.harness import RunningEmulator
from web_helpers import FAST_CLIENT, Api, make_workspace


@pytest.fixture
def store(migrated_sqlite_url: str) -> Iterator[Store]:
    opened = open_store(migrated_sqlite_url)
    yield opened
    opened.dispose()


@pytest.fixture
def pg_client(pg_store: Store, operator: OperatorSettings) -> Iterator[TestClient]:
    with TestClient(create_app(store=pg_store, operator=operator, client_options=FAST_CLIENT)) as test_client:
        yield test_client


def _operator(monkeypatch, tmp_path, credentials: dict[str, str]) -> OperatorSettings:
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
    return OperatorSettings()


@pytest.fixture
def operator(monkeypatch, tmp_path) -> OperatorSettings:
    """Operator settings with a sender but no reachable Intacct (for tests that never call it)."""
    return _operator(monkeypatch, tmp_path, {"INTACCT_SENDER_ID": "intacct-bridge",
                                             "INTACCT_SENDER_PASSWORD": "bridge-sender-pw",
                                             "INTACCT_ENDPOINT": "http://127.0.0.1:9/ia/xml/xmlgw.phtml"})


@pytest.fixture(params=["xml", "rest"])
def wire(request: pytest.FixtureRequest) -> str:
    """The API a workspace speaks: end-to-end tests taking this fixture run over the XML gateway and over REST."""
    return request.param


@pytest.fixture
def emu_operator(emu: RunningEmulator, monkeypatch, tmp_path) -> OperatorSettings:
    return _operator(monkeypatch, tmp_path, emu.credentials)


@pytest.fixture
def client(store: Store, operator: OperatorSettings) -> Iterator[TestClient]:
    with TestClient(create_app(store=store, operator=operator, client_options=FAST_CLIENT)) as test_client:
        yield test_client


@pytest.fixture
def emu_client(store: Store, emu_operator: OperatorSettings) -> Iterator[TestClient]:
    with TestClient(create_app(store=store, operator=emu_operator, client_options=FAST_CLIENT)) as test_client:
        yield test_client


@pytest.fixture
def admin(client: TestClient, store: Store) -> Api:
    return Api.admin(client, store)


@pytest.fixture
def two_workspaces(client: TestClient, store: Store) -> tuple[Api, Api]:
    """Two workspaces, each with its own token."""
    return make_workspace(client, store, "Alpha Org"), make_workspace(client, store, "Beta Org")

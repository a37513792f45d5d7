"""Fixtures for scale-out: real Redis (a namespace per test, `redis_namespace` in tests/conftest.py), PostgreSQL
(a schema per test), the fleet emulator, and `intacct-bridge worker` processes started and stopped by the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_emulator.harness import RunningEmulator, start_emulator
from worker_helpers import Workers


@pytest.fixture
def fleet_emu() -> Iterator[RunningEmulator]:
    """The emulator with the `fleet` seed: the demo companies and fleet-01 … fleet-12, limit 2 each."""
    with start_emulator(seed="fleet", concurrency=2) as running:
        yield running


@pytest.fixture
def scale_operator(fleet_emu: RunningEmulator, pg_url: str, redis_url: str, redis_namespace: str, tmp_path,
                   monkeypatch) -> OperatorSettings:
    """The operator settings of a scaled-out deployment, in this process's environment (workers inherit it)."""
    values = {
        **{k: fleet_emu.credentials[k] for k in ("INTACCT_ENDPOINT", "INTACCT_SENDER_ID", "INTACCT_SENDER_PASSWORD")},
        "INTACCT_BRIDGE_SECRET_KEY": Fernet.generate_key().decode(),
        "INTACCT_BRIDGE_DATA_DIR": str(tmp_path / "data"),
        "INTACCT_BRIDGE_DATABASE_URL": pg_url,
        "INTACCT_BRIDGE_BROKER_URL": redis_url,
        "INTACCT_BRIDGE_BROKER_NAMESPACE": redis_namespace,
        "INTACCT_BRIDGE_BROKER_HEARTBEAT_MS": "2000",  # a killed worker is found dead within seconds
        "INTACCT_BRIDGE_BROKER_MAINTENANCE_CHANCE": "1000000",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return OperatorSettings()


@pytest.fixture
def scale_store(scale_operator: OperatorSettings) -> Iterator[Store]:
    opened = open_store(scale_operator.resolved_database_url())
    yield opened
    opened.dispose()


@pytest.fixture
def workers(scale_operator: OperatorSettings, tmp_path) -> Iterator[Workers]:
    """Starts worker processes on request; every one still running is killed at the end."""
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()

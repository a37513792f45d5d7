"""Fixtures of the sync CLI tests: an emulator, a store file and the operator environment of a real user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from intacct_bridge.cli import app
from intacct_bridge.crypto import SecretBox
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_bridge.sync.sample_load import create_connected_workspace
from intacct_emulator.harness import RunningEmulator, start_emulator


@dataclass
class Cli:
    emu: RunningEmulator
    store: Store
    runner: CliRunner

    def __call__(self, *args: str, workspace: str | None = None):
        extra = ["--workspace", workspace] if workspace else []
        return self.runner.invoke(app, [*args, *extra], catch_exceptions=False)

    def workspace(self, name: str, **overrides: str) -> int:
        creds = {**self.emu.credentials, **overrides}
        return create_connected_workspace(self.store, name, creds, SecretBox.from_settings(OperatorSettings()))


@pytest.fixture
def cli(tmp_path, monkeypatch, sqlite_copy) -> Iterator[Cli]:
    with start_emulator(seed="demo") as emu:
        for name in ("INTACCT_ENDPOINT", "INTACCT_SENDER_ID", "INTACCT_SENDER_PASSWORD"):
            monkeypatch.setenv(name, emu.credentials[name])
        url = sqlite_copy(tmp_path / "cli.db")  # the store this fixture opens anyway, migrated once per worker
        monkeypatch.setenv("INTACCT_BRIDGE_DATABASE_URL", url)
        monkeypatch.setenv("INTACCT_BRIDGE_SECRET_KEY", Fernet.generate_key().decode())
        monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.delenv("INTACCT_BRIDGE_WORKSPACE", raising=False)
        monkeypatch.setenv("COLUMNS", "200")
        store = open_store(url)
        yield Cli(emu, store, CliRunner())
        store.dispose()

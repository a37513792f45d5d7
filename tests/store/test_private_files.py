"""The store's folder and files are readable by their owner only, whatever the umask."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from intacct_bridge.crypto import SecretBox
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import open_store


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_default_database_and_its_folder_are_private(tmp_path, monkeypatch, open_umask):
    monkeypatch.delenv("INTACCT_BRIDGE_DATABASE_URL", raising=False)
    monkeypatch.delenv("INTACCT_BRIDGE_SECRET_KEY", raising=False)
    data = tmp_path / "deep" / "data"
    operator = OperatorSettings(data_dir=data, database_url=None, secret_key=None)
    store = open_store(operator.resolved_database_url())
    try:
        with store.write_session() as session:
            session.execute(text("CREATE TABLE probe (x INTEGER)"))  # makes SQLite write its -wal file
    finally:
        store.dispose()
    SecretBox.from_settings(operator)
    assert _mode(data) == 0o700 and _mode(data.parent) == 0o700
    assert _mode(data / "intacct-bridge.db") == 0o600
    assert _mode(data / "secret.key") == 0o600
    for extra in data.glob("intacct-bridge.db-*"):
        assert _mode(extra) == 0o600, extra.name


def test_a_given_sqlite_url_gets_a_private_file_and_an_existing_folder_keeps_its_mode(tmp_path, open_umask):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    store = open_store(f"sqlite:///{shared / 'bridge.db'}")
    store.dispose()
    assert _mode(shared / "bridge.db") == 0o600 and _mode(shared) == 0o755

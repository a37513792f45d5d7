"""Running the CLI in-process against a fresh SQLite store and data directory."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from intacct_bridge.cli import app
from intacct_bridge.domain.vocabulary import STANDARD_DIMENSIONS, Dimension
from intacct_bridge.store.database import open_store
from intacct_bridge.store.models import utcnow


class Cli:
    def __init__(self, runner: CliRunner, url: str) -> None:
        self.runner = runner
        self.url = url

    def __call__(self, *args: str, input: str | None = None, code: int | None = 0):
        result = self.runner.invoke(app, list(args), input=input)
        if code is not None:
            assert result.exit_code == code, f"exit {result.exit_code}: {result.output}\n{result.exception!r}"
        return result

    def store(self):
        return open_store(self.url)

    def pull_accounts(self, workspace_id: int, values: dict[str, str]) -> None:
        """Create account campaigns the way a pull does (the engine's reconciliation)."""
        from intacct_bridge.sync.reconcile import reconcile_stream
        from intacct_bridge.sync.streams import PulledValue

        store = self.store()
        pulled = [PulledValue(key=k, name=v, active=True) for k, v in values.items()]
        reconcile_stream(store, workspace_id, STANDARD_DIMENSIONS[Dimension.ACCOUNT], pulled, utcnow())
        store.dispose()


@pytest.fixture
def cli(tmp_path, monkeypatch) -> Cli:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTACCT_BRIDGE_DATABASE_URL", url)
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path / "data"))
    for name in ("INTACCT_BRIDGE_SECRET_KEY", "INTACCT_BRIDGE_WORKSPACE", "INTACCT_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return Cli(CliRunner(), url)

"""`sync --queue`, the API and the Python API hand runs to the workers; `worker` needs a broker."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from intacct_bridge.api import Bridge
from intacct_bridge.cli import app
from intacct_bridge.store.models import SyncRun
from intacct_bridge.web.access import create_token
from intacct_bridge.sync.sample_fleet import prepare_fleet
from intacct_bridge.web.app import create_app
from worker_helpers import settled, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def test_the_cli_api_and_python_api_queue_runs_for_the_workers(fleet_emu, scale_operator, scale_store, workers):
    fleet = prepare_fleet(scale_store, scale_operator, fleet_emu.credentials, ["fleet-01", "fleet-02"], 3, 2)
    first, second, third = fleet
    cli = CliRunner().invoke(app, ["sync", "--queue", "--workspace", str(first)], catch_exceptions=False)
    assert cli.exit_code == 0 and "Queued" in cli.output  # no worker yet: queued, not opened
    with scale_store.write_session() as session:
        token, _ = create_token(session, second, "tests")
    with TestClient(create_app(store=scale_store, operator=scale_operator)) as client:
        answer = client.post(f"/api/v1/workspaces/{second}/runs", headers={"Authorization": f"Bearer {token}"},
                             json={})
    assert answer.status_code == 202 and answer.json()["queued"] is True
    Bridge(scale_store, third, scale_operator).queue_sync()

    workers.start(threads=2)
    wait_for("the three queued runs", lambda: settled(scale_store, list(fleet)), 120, workers)
    with scale_store.session() as session:
        runs = session.scalars(select(SyncRun)).all()
    assert sorted((run.workspace_id, run.trigger, run.status) for run in runs) == [
        (first, "queue", "succeeded"), (second, "api", "succeeded"), (third, "queue", "succeeded")]


def test_worker_without_a_broker_says_what_to_set(monkeypatch, tmp_path):
    monkeypatch.delenv("INTACCT_BRIDGE_BROKER_URL", raising=False)
    monkeypatch.setenv("INTACCT_BRIDGE_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["worker"])
    assert result.exit_code == 1 and "INTACCT_BRIDGE_BROKER_URL" in result.output

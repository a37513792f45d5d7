"""The Python API's `Bridge`: it only shows its own workspace, and it refuses options it would not use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet

from intacct_bridge.api import Bridge
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.models import Action, RunItem, SyncRun
from intacct_bridge.store.repositories.workspaces import create_workspace


@pytest.fixture
def offline_operator(tmp_path) -> OperatorSettings:
    return OperatorSettings(data_dir=tmp_path / "data", secret_key=Fernet.generate_key().decode(), workspace=None)


def _run_with_one_item(store, workspace_id: int) -> int:
    now = datetime.now(UTC)
    with store.write_session() as session:
        action = Action(workspace_id=workspace_id, external_id="A-1", type="donation", created_at=now)
        run = SyncRun(workspace_id=workspace_id, started_at=now)
        session.add_all([action, run])
        session.flush()
        session.add(RunItem(run_id=run.id, action_id=action.id, outcome="posted", created_at=now))
        return run.id


def test_a_bridge_does_not_show_another_workspaces_run_log(store, offline_operator):
    with store.write_session() as session:
        ours, theirs = create_workspace(session, "Ours").id, create_workspace(session, "Theirs").id
    their_run = _run_with_one_item(store, theirs)

    assert [line.outcome for line in Bridge(store, theirs, offline_operator).run_log(their_run)] == ["posted"]
    assert Bridge(store, ours, offline_operator).run_log(their_run) == []
    assert Bridge(store, ours, offline_operator).run(their_run) is None


def test_an_unknown_client_option_is_refused_not_ignored(tmp_path, offline_operator):
    url = f"sqlite:///{tmp_path / 'api.db'}"
    with pytest.raises(TypeError, match="unknown client option.*tiemout"):
        Bridge.open(database_url=url, operator=offline_operator, tiemout=5)
    with pytest.raises(TypeError, match="endpoint"):
        Bridge.open(database_url=url, operator=offline_operator, endpoint="https://elsewhere.example")

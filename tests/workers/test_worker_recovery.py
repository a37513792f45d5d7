"""A worker SIGKILLed in the middle of a run: its message is delivered again, another worker completes the
work, and nothing is posted twice (real Redis, PostgreSQL and the emulator over HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intacct_bridge.store.models import Posting, SyncRun
from intacct_bridge.sync.sample_fleet import prepare_fleet
from intacct_bridge.workers.queue import RunQueue
from worker_helpers import settled, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
ACTIONS = 300  # three requests of 100; 20 ms a function makes each about two seconds


def sent_postings(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Posting).where(Posting.sent_at.is_not(None))) or 0


def test_a_killed_worker_s_run_is_completed_by_another_without_a_duplicate(fleet_emu, scale_operator, scale_store,
                                                                           workers):
    fleet = prepare_fleet(scale_store, scale_operator, fleet_emu.credentials, ["fleet-01"], 1, ACTIONS)
    (workspace_id,) = fleet
    fleet_emu.admin.set_config(per_function_ms=20)
    first = workers.start()
    queued = RunQueue(scale_operator).enqueue(workspace_id, trigger="queue")
    wait_for("the first worker to send postings", lambda: sent_postings(scale_store), 60, workers)
    killed_run = RunQueue(scale_operator).opened(queued)
    workers.kill(first)
    assert killed_run is not None
    with scale_store.session() as session:
        assert session.get(SyncRun, killed_run).status == "running"  # it died mid-run, unrecorded

    workers.start()  # finds the dead worker's message (heartbeat gone) and runs it again
    wait_for("the second worker to post everything", lambda: settled(scale_store, [workspace_id]), 120, workers)

    with scale_store.session() as session:
        runs = {run.id: run for run in session.scalars(select(SyncRun).where(SyncRun.workspace_id == workspace_id))}
        posted = session.scalar(select(func.count()).select_from(Posting).where(Posting.state == "posted"))
    assert runs[killed_run].status == "failed" and "interrupted" in runs[killed_run].message
    completed = [run for run in runs.values() if run.id != killed_run and run.trigger == "queue"]
    assert [run.status for run in completed] == ["succeeded"]
    assert posted == ACTIONS
    references = fleet_emu.admin.references("fleet-01", prefix="ib-")
    assert len(references) == ACTIONS and max(references.values()) == 1  # each action once in the ledger

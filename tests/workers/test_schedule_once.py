"""A scheduled slot fires once with three scheduler processes running (as three `serve`s would), and the one
run it starts goes to a worker (real Redis and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from intacct_bridge.store.models import ScheduleSlot, SyncRun, WorkspaceSettings
from intacct_bridge.sync.sample_fleet import prepare_fleet
from worker_helpers import settled, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

SCHEDULER = """
import sys, time
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import open_store
from intacct_bridge.web.runner import RunManager
from intacct_bridge.web.scheduler import Scheduler
from intacct_bridge.workers.queue import RunQueue

operator = OperatorSettings()
store = open_store(operator.resolved_database_url())
runner = RunManager(store, operator, queue=RunQueue(operator))
scheduler = Scheduler(runner, every_seconds=0.5)
while time.time() < float(sys.argv[1]):  # start together: the first refresh runs at start
    time.sleep(0.01)
scheduler.start()
time.sleep(3)  # several refreshes each
scheduler.stop()
runner.shutdown()
"""


def test_a_slot_fires_once_across_three_processes(fleet_emu, scale_operator, scale_store, workers):
    (workspace_id,) = prepare_fleet(scale_store, scale_operator, fleet_emu.credentials, ["fleet-01"], 1, 3)
    now = datetime.now(UTC)
    with scale_store.write_session() as session:  # due 5 minutes ago, set two days ago: the server was down
        session.execute(update(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id).values(
            schedule_time=(now - timedelta(minutes=5)).time().replace(microsecond=0), timezone="UTC",
            updated_at=now - timedelta(days=2)))
    start_at = str(datetime.now(UTC).timestamp() + 4)
    schedulers = [subprocess.Popen([sys.executable, "-c", SCHEDULER, start_at]) for _ in range(3)]
    for process in schedulers:
        assert process.wait(timeout=60) == 0
    workers.start()
    wait_for("the scheduled run", lambda: settled(scale_store, [workspace_id]), 90, workers)

    with scale_store.session() as session:
        runs = session.scalars(select(SyncRun).where(SyncRun.workspace_id == workspace_id)).all()
        slots = session.scalars(select(ScheduleSlot)).all()
    assert [(run.trigger, run.status) for run in runs] == [("schedule", "succeeded")]
    assert len(slots) == 1 and slots[0].workspace_id == workspace_id

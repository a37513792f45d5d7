"""The nightly schedule: when a run is due (time zones, catching up, not on the spot), and the tick itself."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update

from intacct_bridge.crypto import SecretBox
from intacct_bridge.store.models import SyncRun, WorkspaceSettings
from intacct_bridge.sync.sample_load import create_connected_workspace
from intacct_bridge.web.runner import RunManager
from intacct_bridge.web.scheduler import Scheduler, is_due, latest_moment
from web_helpers import FAST_CLIENT, TERMINAL

NY = "America/New_York"
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_latest_moment_is_in_the_workspace_time_zone():
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(NY)
    assert latest_moment(time(2, 0), zone, at("2026-11-22T08:00:00+00:00")) == at("2026-11-22T02:00:00-05:00")
    assert latest_moment(time(2, 0), zone, at("2026-11-22T06:59:00+00:00")) == at("2026-11-21T02:00:00-05:00")


def test_due_once_per_night_and_never_on_the_spot():
    now = at("2026-11-22T07:30:00+00:00")  # 02:30 in New York
    assert is_due(time(2, 0), NY, now, None, LONG_AGO)
    assert not is_due(time(3, 0), NY, now, at("2026-11-21T08:01:00+00:00"), LONG_AGO)  # ran last night
    assert not is_due(time(2, 0), NY, now, at("2026-11-22T07:00:05+00:00"), LONG_AGO)  # ran tonight
    assert is_due(time(2, 0), NY, now + timedelta(hours=9), at("2026-11-21T07:00:05+00:00"), LONG_AGO)  # catch up
    assert not is_due(time(2, 0), NY, now, None, at("2026-11-22T07:20:00+00:00"))  # set after tonight's moment
    assert not is_due(time(2, 0), "Nowhere/Land", now, None, LONG_AGO)


def test_tick_starts_the_due_run_once(store, emu, emu_operator):
    workspace_id = create_connected_workspace(store, "Helping Hands", emu.credentials,
                                              SecretBox.from_settings(emu_operator))
    now = datetime.now(UTC)
    with store.write_session() as session:
        session.execute(update(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id).values(
            schedule_time=(now - timedelta(minutes=5)).time().replace(microsecond=0), timezone="UTC",
            updated_at=now - timedelta(days=2)))
    runner = RunManager(store, emu_operator, client_options=FAST_CLIENT)
    scheduler = Scheduler(runner)
    try:
        started = scheduler.tick(now)
        assert len(started) == 1
        runner.shutdown(wait=True)
        with store.session() as session:
            run = session.get(SyncRun, started[0])
            assert run.trigger == "schedule" and run.status in TERMINAL
        runner = scheduler.runner = RunManager(store, emu_operator, client_options=FAST_CLIENT)
        assert scheduler.tick(now + timedelta(minutes=1)) == []
        assert scheduler.tick(now + timedelta(days=1)) != []  # the next night
    finally:
        runner.shutdown(wait=True)
    with store.session() as session:
        assert len(session.scalars(select(SyncRun)).all()) == 2

"""The nightly schedule: when a run is due (time zones, DST, catching up, not on the spot), the APScheduler
jobs following the store, and the refresh (`tick`) starting a due run once."""

from __future__ import annotations

import logging
import time as clock
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from intacct_bridge.crypto import SecretBox
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import SyncRun, WorkspaceSettings
from intacct_bridge.store.repositories.workspaces import create_workspace
from intacct_bridge.sync.sample_load import create_connected_workspace
from intacct_bridge.web.runner import RunManager
from intacct_bridge.web.scheduler import Schedule, Scheduler, is_due, latest_fire_time
from web_helpers import FAST_CLIENT, TERMINAL

NY = "America/New_York"
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def schedule(hour: int, minute: int = 0, zone: str = NY, *, last_run: datetime | None = None,
             changed_at: datetime = LONG_AGO) -> Schedule:
    return Schedule(1, time(hour, minute), zone, changed_at, last_run)


def due(plan: Schedule, now: datetime) -> bool:
    trigger = plan.trigger()
    assert trigger is not None
    return is_due(plan, trigger, now)


def set_schedule(store: Store, workspace_id: int, **values) -> None:
    """Change the settings row directly, as another process (the CLI, the API) would."""
    with store.write_session() as session:
        session.execute(update(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id)
                        .values(**values))


def test_the_latest_fire_time_is_in_the_workspace_time_zone():
    trigger = schedule(2).trigger()
    assert latest_fire_time(trigger, at("2026-11-22T08:00:00+00:00")) == at("2026-11-22T02:00:00-05:00")
    assert latest_fire_time(trigger, at("2026-11-22T06:59:00+00:00")) == at("2026-11-21T02:00:00-05:00")
    assert latest_fire_time(trigger, at("2026-07-01T06:00:00+00:00")) == at("2026-07-01T02:00:00-04:00")


def test_due_once_per_night_and_never_on_the_spot():
    now = at("2026-11-22T07:30:00+00:00")  # 02:30 in New York
    assert due(schedule(2), now)
    assert not due(schedule(3, last_run=at("2026-11-21T08:01:00+00:00")), now)  # ran last night
    assert not due(schedule(2, last_run=at("2026-11-22T07:00:05+00:00")), now)  # ran tonight
    assert due(schedule(2, last_run=at("2026-11-21T07:00:05+00:00")), now + timedelta(hours=9))  # catch up
    assert not due(schedule(2, changed_at=at("2026-11-22T07:20:00+00:00")), now)  # set after tonight's moment


def test_dst_nights_keep_one_run_each():
    # Spring forward (2026-03-08): 02:30 does not exist in New York; the night's run is at 03:30 EDT.
    spring = schedule(2, 30).trigger()
    assert latest_fire_time(spring, at("2026-03-08T12:00:00+00:00")) == at("2026-03-08T03:30:00-04:00")
    assert latest_fire_time(spring, at("2026-03-09T12:00:00+00:00")) == at("2026-03-09T02:30:00-04:00")
    # Fall back (2026-11-01): 01:30 comes round twice on the wall clock; only the first one counts.
    first = at("2026-11-01T01:30:00-04:00")
    fall = schedule(1, 30, last_run=first + timedelta(seconds=5))
    assert latest_fire_time(fall.trigger(), at("2026-11-01T12:00:00+00:00")) == first
    assert not due(fall, at("2026-11-01T01:45:00-05:00"))  # after the repeat: still the one run
    assert due(fall, at("2026-11-02T01:31:00-05:00"))  # the next night


def test_an_unknown_time_zone_is_ignored_with_a_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="intacct_bridge.web.scheduler"):
        assert schedule(2, zone="Nowhere/Land").trigger() is None
    assert "unknown time zone 'Nowhere/Land'" in caplog.text


def test_the_jobs_follow_settings_changed_in_the_store(store, operator, caplog):
    with store.write_session() as session:
        first, second = create_workspace(session, "North").id, create_workspace(session, "South").id
    set_schedule(store, first, schedule_time=time(2, 0), timezone=NY)
    runner = RunManager(store, operator, client_options=FAST_CLIENT)
    scheduler = Scheduler(runner)
    scheduler.start(paused=True)  # jobs get their next run times; nothing runs but the ticks below
    try:
        now = datetime.now(UTC)
        assert scheduler.tick(now) == []  # the time was just set: no run on the spot
        job = scheduler.job(first)
        assert job.id == f"sync-ws-{first}" and scheduler.job(second) is None
        assert job.next_run_time.astimezone(job.trigger.timezone).time() == time(2, 0)
        assert str(job.trigger.timezone) == NY
        assert (job.coalesce, job.max_instances) == (True, 1) and job.misfire_grace_time >= 3600

        set_schedule(store, first, journal="CASH")  # not the time nor the zone: the job is left as it is
        scheduler.tick(now)
        assert scheduler.job(first).next_run_time == job.next_run_time

        set_schedule(store, first, schedule_time=time(23, 15), timezone="Europe/Paris")
        set_schedule(store, second, schedule_time=time(4, 0), timezone="UTC")
        assert scheduler.tick(now) == []
        moved = scheduler.job(first)
        assert moved.next_run_time.astimezone(moved.trigger.timezone).time() == time(23, 15)
        assert str(moved.trigger.timezone) == "Europe/Paris"
        assert scheduler.job(second).next_run_time.astimezone(UTC).time() == time(4, 0)

        with caplog.at_level(logging.WARNING, logger="intacct_bridge.web.scheduler"):
            set_schedule(store, first, timezone="Nowhere/Land")
            scheduler.tick(now)
            scheduler.tick(now)
        assert scheduler.job(first) is None
        assert caplog.text.count("unknown time zone 'Nowhere/Land'") == 1  # logged once, not every minute

        set_schedule(store, first, timezone="UTC")
        set_schedule(store, second, schedule_time=None)
        scheduler.tick(now)
        assert scheduler.job(first) is not None and scheduler.job(second) is None
    finally:
        scheduler.stop()
        runner.shutdown(wait=True)


def test_tick_starts_the_due_run_once(store, emu, emu_operator):
    workspace_id = create_connected_workspace(store, "Helping Hands", emu.credentials,
                                              SecretBox.from_settings(emu_operator))
    now = datetime.now(UTC)
    set_schedule(store, workspace_id, schedule_time=(now - timedelta(minutes=5)).time().replace(microsecond=0),
                 timezone="UTC", updated_at=now - timedelta(days=2))
    runner = RunManager(store, emu_operator, client_options=FAST_CLIENT)
    scheduler = Scheduler(runner)
    try:
        started = scheduler.tick(now)  # the server was down at that time: it catches up once
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


def test_the_nightly_job_starts_a_run_when_it_fires(store, emu, emu_operator):
    workspace_id = create_connected_workspace(store, "Helping Hands", emu.credentials,
                                              SecretBox.from_settings(emu_operator))
    tonight = datetime.now(UTC) + timedelta(hours=12)
    set_schedule(store, workspace_id, schedule_time=tonight.time().replace(microsecond=0), timezone="UTC")
    runner = RunManager(store, emu_operator, client_options=FAST_CLIENT)
    scheduler = Scheduler(runner)
    scheduler.start()
    try:
        deadline = clock.monotonic() + 30
        while scheduler.job(workspace_id) is None:  # the first refresh runs at start
            assert clock.monotonic() < deadline, "the first refresh did not schedule the workspace"
            clock.sleep(0.05)
        with store.session() as session:  # the last moment came before the time was set: no catch-up
            assert session.scalars(select(SyncRun)).all() == []
        # Fast-forward the clock to the job's fire time, the settings having changed days before it.
        fire = scheduler.job(workspace_id).next_run_time
        set_schedule(store, workspace_id, updated_at=fire - timedelta(days=3))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("intacct_bridge.web.scheduler.utcnow", lambda: fire + timedelta(seconds=1))
            scheduler.job(workspace_id).modify(next_run_time=datetime.now(UTC))
            while True:
                with store.session() as session:
                    runs = session.scalars(select(SyncRun)).all()
                if runs:
                    break
                assert clock.monotonic() < deadline, "the nightly job did not start a run"
                clock.sleep(0.05)
        assert [run.trigger for run in runs] == ["schedule"]
    finally:
        scheduler.stop()
        runner.shutdown(wait=True)


def test_serve_retries_due_notifications_on_a_timer(store, operator):
    from intacct_bridge.store.repositories import notifications as notification_store
    from intacct_bridge.web.scheduler import DELIVERY_JOB

    with store.write_session() as session:
        ws = create_workspace(session, "North").id
        config = notification_store.save_config(session, ws, notification_store.NotificationChange(
            ["ap@example.org"]), None, allow_private=False)
        notification_store.enqueue(session, ws, config, "run.failed", {"event": "run.failed", "workspace": "north"},
                                   dedupe_key="run-1-failed", run_id=None)
    scheduler = Scheduler(RunManager(store, operator, client_options=FAST_CLIENT))
    scheduler.start(paused=True)
    try:
        job = scheduler._apscheduler.get_job(DELIVERY_JOB)
        assert job.executor == "notifications"  # never waits behind (nor delays) a nightly run's start
        job.func()
    finally:
        scheduler.stop()
    with store.session() as session:
        (row,) = notification_store.list_deliveries(session, ws)
    assert row.attempts == 1 and "no SMTP server is configured" in row.last_error  # tried; retried later

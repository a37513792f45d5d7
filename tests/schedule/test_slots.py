"""Every-N-hours slots in the workspace's zone, one catch-up for many missed slots, and the claim taken once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from intacct_bridge.schedule.slots import Schedule, due_slot, latest_fire_time
from intacct_bridge.store.database import open_store
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.repositories.schedule_slots import claim_slot, release_slot
from intacct_bridge.store.repositories.settings import SettingsChange, load_sync_settings, update_settings
from intacct_bridge.store.repositories.workspaces import create_workspace

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def every(hours: int, zone: str = "America/New_York", last_run: datetime | None = None) -> Schedule:
    return Schedule(1, None, zone, LONG_AGO, last_run, every_hours=hours)


def test_every_six_hours_is_on_the_local_clock():
    plan = every(6)
    assert latest_fire_time(plan.trigger(), at("2026-11-22T13:30:00-05:00")) == at("2026-11-22T12:00:00-05:00")
    assert latest_fire_time(plan.trigger(), at("2026-11-22T05:59:00-05:00")) == at("2026-11-22T00:00:00-05:00")


def test_hours_not_dividing_the_day_count_from_a_fixed_local_midnight():
    plan = every(5, zone="UTC")
    first = latest_fire_time(plan.trigger(), at("2026-11-22T13:30:00+00:00"), plan.look_back())
    assert first is not None and (at("2026-11-22T13:30:00+00:00") - first) < timedelta(hours=5)
    assert (first - datetime(2000, 1, 1, tzinfo=UTC)) % timedelta(hours=5) == timedelta(0)


def test_a_week_of_missed_slots_runs_once_for_the_latest():
    now = at("2026-11-22T13:30:00-05:00")
    plan = every(2, last_run=now - timedelta(days=7))  # everything was down for a week
    assert due_slot(plan, plan.trigger(), now) == at("2026-11-22T12:00:00-05:00")
    caught_up = every(2, last_run=at("2026-11-22T12:00:05-05:00"))
    assert due_slot(caught_up, caught_up.trigger(), now) is None  # until the next slot
    assert due_slot(caught_up, caught_up.trigger(), now + timedelta(hours=1)) == at("2026-11-22T14:00:00-05:00")


def test_a_weekly_schedule_looks_back_far_enough():
    plan = every(168, zone="UTC")
    assert due_slot(plan, plan.trigger(), at("2026-11-22T13:30:00+00:00")) is not None


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'bridge.db'}")
    yield opened
    opened.dispose()


def test_a_slot_is_claimed_once_and_can_be_given_back(store):
    with store.write_session() as session:
        workspace_id = create_workspace(session, "Helping Hands").id
    slot = at("2026-11-22T12:00:00-05:00")
    assert claim_slot(store, workspace_id, slot, "server-a")
    assert not claim_slot(store, workspace_id, slot, "server-b")
    assert claim_slot(store, workspace_id, slot + timedelta(hours=6), "server-b")  # the next slot is free
    release_slot(store, workspace_id, slot)  # its run could not start: a later refresh tries again
    assert claim_slot(store, workspace_id, slot, "server-b")


def test_the_two_kinds_of_schedule_replace_each_other(store):
    with store.write_session() as session:
        workspace_id = create_workspace(session, "Helping Hands").id
        update_settings(session, workspace_id, SettingsChange(schedule_time=time(2, 0)))
        settings = update_settings(session, workspace_id, SettingsChange(schedule_every_hours=6))
        assert (settings.schedule_time, settings.schedule_every_hours) == (None, 6)
        with pytest.raises(Conflict, match="1 to 168 hours"):
            update_settings(session, workspace_id, SettingsChange(schedule_every_hours=200))
        with pytest.raises(Conflict, match="not both"):
            update_settings(session, workspace_id, SettingsChange(schedule_time=time(3, 0), schedule_every_hours=4))
        update_settings(session, workspace_id, SettingsChange(clear_schedule=True))
        cleared = load_sync_settings(session, workspace_id)
    assert (cleared.schedule_time, cleared.schedule_every_hours) == (None, None)

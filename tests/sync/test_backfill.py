"""Backfill: a first sync from a look-back date two years of history back, 5,000 actions, with progress, exactly
once under every fault the emulator injects; what was recorded before the start date is never sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.progress import Phase
from intacct_bridge.sync.sample_history import history
from intacct_bridge.sync.sample_load import load_sample

from engine_helpers import COMPANY, EVERY_FAULT, assert_ledger_matches, ledger_by_reference, make_engine, make_workspace, \
    run_until_settled

ACTIONS = 5000


@pytest.mark.slow
def test_a_first_sync_from_a_look_back_date_works_through_two_years_exactly_once(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator, max_retries=6)
    engine.run()                                                  # pulls the accounts and dimensions
    now = datetime.now(UTC)
    data = history(31, ACTIONS, days=730, now=now)
    start = (now - timedelta(days=540)).date()                    # look back 18 months of the two years
    cut = datetime.combine(start, time.min, tzinfo=UTC)
    expected = sum(1 for a in data.actions if a.created_at >= cut)
    assert 3000 < expected < ACTIONS
    load_sample(store, ws, data)
    # The demo's books are closed through 2025: a backfill into closed periods is refused (or moved to the next open
    # day with closed_period_policy = next_open, tested apart); here the accountant opened the history first.
    emu.admin.set_closed_through(COMPANY, None, now.date() - timedelta(days=3 * 365))
    with store.write_session() as session:
        update_settings(session, ws, SettingsChange(start_date=start))

    events = []
    emu.admin.set_config(idempotency_mode="reject")
    emu.admin.set_faults(EVERY_FAULT, seed=41)
    first = engine.run(progress=events.append)
    reports = [first, *run_until_settled(engine)]
    emu.admin.set_faults("")

    posting = [e for e in events if e.phase is Phase.POST]
    assert posting and posting[-1].total == first.tally.candidates == expected
    assert [e.done for e in posting] == sorted(e.done for e in posting)       # progress only moves forward
    assert posting[-1].done == expected
    assert sum(r.tally.already_posted for r in reports) > 0                  # lost answers, settled by lookup
    assert_ledger_matches(emu, store, ws, expected)                          # once each, as built
    days = sorted(date.fromisoformat(e["BATCH_DATE"]) for e in ledger_by_reference(emu).values())
    assert days[0] >= start - timedelta(days=1) and days[0] < start + timedelta(days=7)
    assert days[-1] >= (now - timedelta(days=2)).date()

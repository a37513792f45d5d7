"""Closed periods end to end against the emulator (issue 12): rejected and classed closed_period by default,
with the fixes; with `closed_period_policy = next_open` posted on the first open day read from Intacct (per
entity at the entity level), the original date in the description, the posting and the run log. SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.error_classes import ErrorClass
from intacct_bridge.domain.vocabulary import ClosedPeriodPolicy, PostedChanges, RunStatus
from intacct_bridge.store.models import Action, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings

from test_multi_entity import GROUP, any_store, at, group_bridge, posting_of  # noqa: F401  (any_store: fixture)
from engine_helpers import COMPANY, action, good_tags, make_workspace, now, seed_actions
from intacct_bridge.sync.sample import entity


def _by_action(emu, company: str, store, workspace_id: int) -> dict[str, dict]:
    """The company's journal entries by the external id of the action each was posted for."""
    held = {e["REFERENCENO"]: e for e in emu.admin.ledger(company, "GLBATCH")}
    return {ext: held[posting_of(store, workspace_id, ext).reference_no] for ext in ("T-00001", "T-00002")}


def test_rejected_by_default_with_the_fixes_then_moved_to_the_next_open_day(emu, operator, any_store, wire):
    store = any_store
    ws = make_workspace(store, emu, operator, wire)
    bridge = Bridge(store, ws, operator, {"backoff_base": 0.01, "backoff_max": 0.05})
    bridge.pull()
    closed = (now() - timedelta(days=20)).date()
    emu.admin.set_closed_through(COMPANY, None, closed)
    seed_actions(store, ws, [action(1, good_tags(), days_ago=40), action(2, good_tags(), days_ago=2)])
    original = (now() - timedelta(days=40)).date()

    rejected = bridge.sync()  # reject, the default: Intacct refuses it, the queue classes it
    assert rejected.status is RunStatus.COMPLETED_WITH_ERRORS and rejected.tally.posted == 1
    (item,) = bridge.errors(classes=[ErrorClass.CLOSED_PERIOD])
    fix = item.reasons[0]["fix"]
    assert "change the record's date" in fix and "reopen the period" in fix and "closed_period_policy" in fix

    assert bridge.set_closed_period_policy("next_open") is ClosedPeriodPolicy.NEXT_OPEN
    assert bridge.retry_errors([item.id]).count == 1
    moved = bridge.sync()
    assert moved.status is RunStatus.SUCCEEDED and moved.tally.posted == 1
    entries = _by_action(emu, COMPANY, store, ws)
    assert entries["T-00001"]["BATCH_DATE"] == (closed + timedelta(days=1)).isoformat()
    assert entries["T-00001"]["BATCH_TITLE"].startswith(f"(dated {original.isoformat()}, period closed) ")
    assert entries["T-00002"]["BATCH_DATE"] == (now() - timedelta(days=2)).date().isoformat()  # open: unmoved
    assert posting_of(store, ws, "T-00001").request_summary["original_date"] == original.isoformat()
    (line,) = bridge.run_log(moved.run_id)
    (note,) = line.defaults_used
    assert note["original_date"] == original.isoformat() and "closed through" in note["note"]

    assert bridge.sync().tally.posted == 0 and len(emu.admin.ledger(COMPANY, "GLBATCH")) == 2  # once each
    assert bridge.reconcile().drift is False  # what was recorded is what Intacct holds


def test_each_entity_moves_past_its_own_closed_through_date(emu, operator, store, wire):
    bridge = group_bridge(store, emu, operator, wire=wire)
    bridge.pull()
    bridge.pull_reference()
    bridge.set_posting_level("entity", "E100")
    bridge.set_closed_period_policy(ClosedPeriodPolicy.NEXT_OPEN)
    closed = (now() - timedelta(days=10)).date()
    emu.admin.set_closed_through(GROUP, "E200", closed)   # E100 keeps the company's (last year end)
    seed_actions(bridge.store, bridge.workspace_id, [action(1, at("100-HQ"), days_ago=20),
                                                     action(2, at("200-HQ", entity("E200")), days_ago=20)])
    report = bridge.sync()
    assert report.status is RunStatus.SUCCEEDED and report.tally.posted == 2
    entries = _by_action(emu, GROUP, store, bridge.workspace_id)
    assert entries["T-00001"]["BATCH_DATE"] == (now() - timedelta(days=20)).date().isoformat()
    assert not entries["T-00001"]["BATCH_TITLE"].startswith("[dated")
    assert entries["T-00002"]["BATCH_DATE"] == (closed + timedelta(days=1)).isoformat()
    assert entries["T-00002"]["BATCH_TITLE"].startswith("(dated ")


def test_a_reversal_and_its_corrected_entry_move_out_of_the_closed_period(emu, operator, store, wire):
    ws = make_workspace(store, emu, operator, wire)
    bridge = Bridge(store, ws, operator, {"backoff_base": 0.01, "backoff_max": 0.05})
    bridge.pull()
    seed_actions(store, ws, [action(1, good_tags(), days_ago=5)])
    assert bridge.sync().tally.posted == 1
    first = posting_of(store, ws, "T-00001").reference_no
    closed = (now() - timedelta(days=2)).date()
    emu.admin.set_closed_through(COMPANY, None, closed)
    with store.write_session() as session:
        update_settings(session, ws, SettingsChange(posted_changes=PostedChanges.REVERSE,
                                                    closed_period_policy=ClosedPeriodPolicy.NEXT_OPEN))
        (edited,) = session.scalars(select(Action).where(Action.workspace_id == ws))
        supersede(session, ws, edited, CHANGED, utcnow())
        edited.amount = edited.amount + Decimal("1.00")
    report = bridge.sync()
    assert report.status is RunStatus.SUCCEEDED and report.tally.posted == 2
    held = {e["REFERENCENO"]: e for e in emu.admin.ledger(COMPANY, "GLBATCH")}
    (reversal,) = [e for ref, e in held.items() if "-rev" in ref]
    assert reversal["BATCH_DATE"] == held[f"{first}-v2"]["BATCH_DATE"] == (closed + timedelta(days=1)).isoformat()
    assert reversal["BATCH_TITLE"].startswith("(dated ") and held[first]["BATCH_DATE"] < closed.isoformat()
    assert bridge.reconcile().drift is False

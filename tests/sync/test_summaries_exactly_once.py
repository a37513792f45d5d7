"""Summaries exactly once: under every fault the emulator injects, under SIGKILLs, and across a crash between
assembling a summary and sending it; edits after posting reverse each action's share once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import ActionStatus, PostedChanges
from intacct_bridge.store.models import Action, JournalReversal, JournalSummary, Posting, Workspace, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede, withdraw_or_refuse
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.kinds import RunScope
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample
from intacct_bridge.sync.summary_kind import JournalSummaries

from engine_helpers import (EVERY_FAULT_FEW_REQUESTS, ledger_by_reference, make_engine, make_workspace,
                            run_under_every_fault, run_until_settled, sigkill_syncs)

SUMMARIZED = ("donation", "membership")


def _summarizing_workspace(emu, operator, store, count: int, **client_config) -> tuple[int, object]:
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator, **client_config)
    engine.run()
    with store.write_session() as session:
        update_settings(session, ws, SettingsChange(summary_action_types=list(SUMMARIZED),
                                                    posted_changes=PostedChanges.REVERSE))
    load_sample(store, ws, generate(17, actions=count, invalid=0, excluded=0))
    return ws, engine


def assert_each_action_posted_once(emu, store, operator, ws: int, *, withdrawn: int = 0) -> None:
    """Every action posted once (alone, or in exactly one posted summary); one Intacct entry per reference, equal
    line by line to what the summary row says; and reconciliation finds no drift."""
    ledger = ledger_by_reference(emu)   # fails on two entries under one reference
    with store.session() as session:
        uid = session.get(Workspace, ws).uid
        actions = list(session.scalars(select(Action).where(Action.workspace_id == ws)))
        summaries = {s.id: s for s in session.scalars(select(JournalSummary).where(JournalSummary.workspace_id == ws))}
        reversals = session.scalar(select(func.count()).select_from(JournalReversal)
                                   .where(JournalReversal.workspace_id == ws, JournalReversal.status == "posted"))
        posted = session.scalar(select(func.count()).select_from(Posting).where(Posting.workspace_id == ws,
                                                                                 Posting.state == "posted"))
    statuses = {a.status for a in actions}
    assert statuses <= {ActionStatus.POSTED.value, ActionStatus.WITHDRAWN.value}
    assert sum(a.status == ActionStatus.WITHDRAWN.value for a in actions) == withdrawn
    held: dict[int, int] = {}
    for a in actions:
        if a.status != ActionStatus.POSTED.value:
            continue
        if a.type in SUMMARIZED:
            assert a.summary_id is not None and summaries[a.summary_id].status == "posted", a.external_id
            assert a.intacct_recordno == summaries[a.summary_id].intacct_recordno
            held[a.summary_id] = held.get(a.summary_id, 0) + 1
        else:
            assert a.summary_id is None
    for summary in summaries.values():
        assert summary.status == "posted"
        entry = ledger[summary.reference]
        assert entry["RECORDNO"] == summary.intacct_recordno
        got = sorted((l["ACCOUNTNO"], l["TR_TYPE"], l["TRX_AMOUNT"]) for l in entry["ENTRIES"])
        want = sorted((l["account"], "1" if l["side"] == "debit" else "-1", f"{Decimal(l['amount']):.2f}")
                      for l in summary.lines)
        assert got == want
        # what it holds now, plus the shares reversed since (edited or deleted actions)
        assert held.get(summary.id, 0) <= summary.action_count
    detail = sum(1 for a in actions if a.type not in SUMMARIZED and a.status == ActionStatus.POSTED.value)
    ours = [ref for ref in ledger if ref.startswith(f"ib-{uid}-")]
    assert len(ours) == len(summaries) + detail + reversals == posted
    report = Bridge(store, ws, operator).reconcile()
    assert not report.drift and report.matched == len(ours)


def _edit_some(store, ws: int, edited: int, deleted: int) -> None:
    with store.write_session() as session:
        summarized = list(session.scalars(select(Action).where(Action.workspace_id == ws,
                                                               Action.summary_id.is_not(None)).order_by(Action.id)))
        for action in summarized[:edited]:
            supersede(session, ws, action, CHANGED, utcnow())
            action.amount = action.amount + Decimal("1.00")
        for action in summarized[edited:edited + deleted]:
            withdraw_or_refuse(session, ws, action, utcnow())


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_summaries_and_share_reversals_under_every_fault_post_each_once(emu, operator, store, mode):
    ws, engine = _summarizing_workspace(emu, operator, store, 300, max_retries=6, batch_size=3)
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=31, faults=EVERY_FAULT_FEW_REQUESTS)
    assert_each_action_posted_once(emu, store, operator, ws)

    _edit_some(store, ws, edited=30, deleted=10)
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=32, faults=EVERY_FAULT_FEW_REQUESTS)
    assert_each_action_posted_once(emu, store, operator, ws, withdrawn=10)


@pytest.mark.slow
def test_summaries_under_sigkills_post_each_action_once(emu, operator, store):
    ws, engine = _summarizing_workspace(emu, operator, store, 2400)
    emu.admin.set_config(latency_ms=20, per_function_ms=25)   # a request of 100 writes takes seconds: kills land
    emu.admin.set_faults("drop_after_commit=0.05,timeout524=0.05", seed=5)
    sigkill_syncs(store, ws, seed=5, enough=4, max_delay=1.5)
    emu.admin.set_faults("")
    emu.admin.set_config(latency_ms=0, per_function_ms=0)
    run_until_settled(engine)
    assert_each_action_posted_once(emu, store, operator, ws)


def test_a_summary_assembled_by_a_run_that_died_is_posted_once_by_the_next(emu, operator, store):
    ws, engine = _summarizing_workspace(emu, operator, store, 40)
    with store.session() as session:
        uid = session.get(Workspace, ws).uid
    from intacct_bridge.sync.context import load_context
    context = load_context(store, ws)
    for _ in range(2):   # assembled, then the process died before sending; assembling again adds nothing
        kind = JournalSummaries()
        scope = RunScope(ws, uid, utcnow())
        kind.prepare(store, scope, context)
        kind.assemble(store, scope)
    with store.session() as session:
        assembled = {s.id: s.reference for s in session.scalars(select(JournalSummary))}
    assert assembled

    engine.run()

    with store.session() as session:
        assert {s.id: s.reference for s in session.scalars(select(JournalSummary))} == assembled
    assert_each_action_posted_once(emu, store, operator, ws)


@pytest.mark.postgres
def test_summaries_and_share_reversals_on_postgresql_under_faults(emu, operator, pg_store):
    ws, engine = _summarizing_workspace(emu, operator, pg_store, 150, max_retries=6, batch_size=3)
    run_under_every_fault(emu, engine, idempotency_mode="reject", seed=33, faults=EVERY_FAULT_FEW_REQUESTS)
    assert_each_action_posted_once(emu, pg_store, operator, ws)
    _edit_some(pg_store, ws, edited=10, deleted=5)
    run_until_settled(engine)
    assert_each_action_posted_once(emu, pg_store, operator, ws, withdrawn=5)

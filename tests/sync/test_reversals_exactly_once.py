"""Reversals and corrected versions exactly once: under every fault the emulator injects, and under SIGKILLs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import ActionStatus, PostedChanges
from intacct_bridge.store.models import Action, JournalReversal, Posting, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede, withdraw_or_refuse
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from engine_helpers import (idempotency_mode_for, kill_while_sending, ledger_by_reference, make_engine,
                            make_workspace, run_under_every_fault, run_until_settled)

COUNT, EDITED, DELETED = 200, 80, 20


def _posted_then_changed(emu, operator, store, wire: str = "xml") -> tuple[int, object]:
    """COUNT actions posted; then EDITED of them changed at the source and DELETED others deleted there."""
    ws = make_workspace(store, emu, operator, wire)
    engine = make_engine(store, ws, operator, max_retries=6, batch_size=5)   # many requests: many faults
    engine.run()
    load_sample(store, ws, generate(13, actions=COUNT, invalid=0, excluded=0))
    assert engine.run().tally.posted == COUNT
    with store.write_session() as session:
        update_settings(session, ws, SettingsChange(posted_changes=PostedChanges.REVERSE))
        actions = list(session.scalars(select(Action).where(Action.workspace_id == ws).order_by(Action.id)))
        for action in actions[:EDITED]:
            supersede(session, ws, action, CHANGED, utcnow())
            action.amount = action.amount + Decimal("1.00")
        for action in actions[EDITED:EDITED + DELETED]:
            withdraw_or_refuse(session, ws, action, utcnow())
    return ws, engine


def _assert_each_once(emu, store, operator, ws) -> None:
    entries = ledger_by_reference(emu)   # fails on two entries under one reference
    assert len(entries) == COUNT + 2 * EDITED + DELETED
    with store.session() as session:
        statuses = dict(session.execute(select(Action.status, func.count()).where(Action.workspace_id == ws)
                                        .group_by(Action.status)).all())
        assert statuses == {ActionStatus.POSTED.value: COUNT - DELETED, ActionStatus.WITHDRAWN.value: DELETED}
        assert session.scalar(select(func.count()).select_from(JournalReversal)
                              .where(JournalReversal.status != "posted")) == 0
        assert session.scalar(select(func.count()).select_from(Posting).where(Posting.state == "posted")) == \
            len(entries)
    report = Bridge(store, ws, operator).reconcile()
    assert not report.drift and report.matched == len(entries)


@pytest.mark.slow
def test_reversals_and_corrections_under_every_fault_post_each_once(emu, operator, store, wire):
    ws, engine = _posted_then_changed(emu, operator, store, wire)
    run_under_every_fault(emu, engine, idempotency_mode=idempotency_mode_for(wire), seed=21)
    _assert_each_once(emu, store, operator, ws)


@pytest.mark.slow
def test_reversals_and_corrections_under_sigkills_post_each_once(emu, operator, store, wire):
    ws, engine = _posted_then_changed(emu, operator, store, wire)
    emu.admin.set_config(latency_ms=20, per_function_ms=25)   # a request of 100 writes takes seconds: kills land
    emu.admin.set_faults("drop_after_commit=0.05,timeout524=0.05", seed=4)
    assert kill_while_sending(store, ws, rounds=3) >= 2
    emu.admin.set_faults("")
    emu.admin.set_config(latency_ms=0, per_function_ms=0)
    run_until_settled(engine)
    _assert_each_once(emu, store, operator, ws)

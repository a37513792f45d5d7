"""AP exactly once: bills and AP adjustments under every emulator fault, and under SIGKILLs at random moments,
end with Intacct holding each of them once (a bill by its number and vendor, an adjustment by its reference),
every bill's due and every vendor's balance equal to what the local records say (issue 10, "Done means")."""

from __future__ import annotations

import pytest

from intacct_bridge.api import Bridge

from engine_helpers import (
    EVERY_FAULT_FEW_REQUESTS,
    idempotency_mode_for,
    kill_syncs_then_rerun,
    make_engine,
    run_under_every_fault,
)
from payables_helpers import assert_payables_match, payables_workspace

FAULTS = EVERY_FAULT_FEW_REQUESTS


@pytest.mark.parametrize(("wire", "mode"), [("xml", "reject"), ("xml", "replay"), ("rest", "replay")])
def test_every_fault_leaves_each_bill_and_adjustment_once(emu, operator, store, wire, mode):
    ws = payables_workspace(store, emu, operator, seed=5, records=300, wire=wire)
    engine = make_engine(store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=13, faults=FAULTS)
    assert_payables_match(emu, store, ws)
    report = Bridge(store, ws, operator).reconcile(kinds=["bills", "ap-adjustments"])   # read back, line by line
    assert not report.drift and report.compared == report.matched > 0, [c.as_dict() for c in report.changed[:3]]


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_posts_every_bill_and_adjustment_once(emu, operator, store, wire):
    ws = payables_workspace(store, emu, operator, seed=8, records=600, wire=wire)  # fewer finish before a kill lands
    engine = make_engine(store, ws, operator)
    kill_syncs_then_rerun(emu, store, ws, engine, seed=6, enough=4)
    assert_payables_match(emu, store, ws)


@pytest.mark.postgres
def test_every_fault_leaves_each_bill_and_adjustment_once_on_postgresql(emu, operator, pg_store, wire):
    ws = payables_workspace(pg_store, emu, operator, seed=3, records=300, wire=wire)
    engine = make_engine(pg_store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode=idempotency_mode_for(wire), seed=17, faults=FAULTS)
    assert_payables_match(emu, pg_store, ws)

"""Exactly once under faults: every fault the emulator can inject, and SIGKILLs at random moments."""

from __future__ import annotations

import pytest

from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from engine_helpers import (
    assert_ledger_matches,
    kill_syncs_then_rerun,
    make_engine,
    make_workspace,
    run_under_every_fault,
)

@pytest.mark.slow
@pytest.mark.parametrize(("mode", "count"), [("reject", 2000), ("replay", 500)])
def test_every_fault_kind_leaves_exactly_one_entry_per_action(emu, operator, store, mode, count):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator, max_retries=6)
    engine.run()
    load_sample(store, ws, generate(11, actions=count, invalid=0, excluded=0))
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=20)
    assert_ledger_matches(emu, store, ws, count)


@pytest.mark.slow
def test_every_fault_kind_over_rest_leaves_exactly_one_entry_per_action(emu, operator, store):
    """The REST wire: every fault, each write under its Idempotency-Key; lost answers replayed or looked up."""
    ws = make_workspace(store, emu, operator, wire="rest")
    engine = make_engine(store, ws, operator, max_retries=6)
    engine.run()
    load_sample(store, ws, generate(12, actions=600, invalid=0, excluded=0))
    run_under_every_fault(emu, engine, idempotency_mode="replay", seed=21)
    assert_ledger_matches(emu, store, ws, 600)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_posts_each_action_once(emu, operator, store, tmp_path, wire):
    ws = make_workspace(store, emu, operator, wire=wire)
    engine = make_engine(store, ws, operator)
    engine.run()
    count = 1500
    load_sample(store, ws, generate(5, actions=count, invalid=0, excluded=0))
    kill_syncs_then_rerun(emu, store, ws, engine, seed=3)
    assert_ledger_matches(emu, store, ws, count)

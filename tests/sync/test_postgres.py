"""The engine end to end on PostgreSQL: the demo story, and exactly-once under faults."""

from __future__ import annotations

import pytest

from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.locks import RunLock
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import apply_fix, load_sample

from engine_helpers import EVERY_FAULT, assert_ledger_matches, make_engine, make_workspace, run_until_settled

pytestmark = pytest.mark.postgres


def test_halt_fix_and_sync_on_postgresql(emu, operator, pg_store):
    ws = make_workspace(pg_store, emu, operator)
    engine = make_engine(pg_store, ws, operator)
    assert engine.run().status is RunStatus.SUCCEEDED
    data = generate(3, actions=200, invalid=5, excluded=3)
    load_sample(pg_store, ws, data)

    halted = engine.run()
    assert halted.status is RunStatus.HALTED and halted.tally.invalid == 5
    assert emu.admin.ledger("helping-hands", "GLBATCH") == []

    for sample in data.actions:
        if sample.fix:
            apply_fix(pg_store, ws, sample.external_id, sample.fix)
    done = engine.run()

    assert done.status is RunStatus.SUCCEEDED and done.tally.posted == 197
    assert_ledger_matches(emu, pg_store, ws, 197)


def test_run_lock_and_faults_on_postgresql(emu, operator, pg_store, wire):
    ws = make_workspace(pg_store, emu, operator, wire=wire)
    engine = make_engine(pg_store, ws, operator)
    with RunLock(pg_store, ws, heartbeat_every=None):
        with pytest.raises(RunLocked):
            engine.run()
    engine.run()
    load_sample(pg_store, ws, generate(4, actions=400, invalid=0, excluded=0))
    emu.admin.set_faults(EVERY_FAULT, seed=9)

    run_until_settled(engine)

    emu.admin.set_faults("")
    assert_ledger_matches(emu, pg_store, ws, 400)

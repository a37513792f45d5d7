"""Exactly once under faults: every fault the emulator can inject, and SIGKILLs at random moments."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from intacct_bridge.store.models import Posting, SyncRun
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import load_sample

from engine_helpers import EVERY_FAULT, assert_ledger_matches, make_engine, make_workspace, run_until_settled

@pytest.mark.slow
@pytest.mark.parametrize(("mode", "count"), [("reject", 2000), ("replay", 500)])
def test_every_fault_kind_leaves_exactly_one_entry_per_action(emu, operator, store, mode, count):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator, max_retries=6)
    engine.run()
    load_sample(store, ws, generate(11, actions=count, invalid=0, excluded=0))
    emu.admin.set_config(idempotency_mode=mode)
    emu.admin.set_faults(EVERY_FAULT, seed=20)

    reports = run_until_settled(engine)

    emu.admin.set_faults("")
    assert_ledger_matches(emu, store, ws, count)
    if mode == "reject":  # (replay answers the first result again: the client cannot tell, nor need to)
        settled_by_lookup = sum(r.tally.already_posted for r in reports)
        assert settled_by_lookup > 0, "the faults should have made some outcomes ambiguous"


RUNNER = """
import sys
from intacct_bridge.api import Bridge
bridge = Bridge.open(int(sys.argv[2]), database_url=sys.argv[1], backoff_base=0.01, backoff_max=0.05, throttle_pause=0.01)
report = bridge.sync()
print(report.status.value, report.tally.posted, flush=True)
"""


def _reserved(store) -> int:
    """Posting rows in any state: they grow as soon as a sync reserves its first batch."""
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Posting)) or 0


def _posted(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Posting).where(Posting.state == "posted")) or 0


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_posts_each_action_once(emu, operator, store, tmp_path):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    count = 1500
    load_sample(store, ws, generate(5, actions=count, invalid=0, excluded=0))
    # Slow the gateway so a kill lands while requests are in flight, and add after-commit losses.
    emu.admin.set_config(latency_ms=15, per_function_ms=3)
    emu.admin.set_faults("drop_after_commit=0.05,timeout524=0.05", seed=3)
    url = str(store.engine.url.render_as_string(hide_password=False))
    rng = random.Random(1234)
    env = {**os.environ}
    kills = 0
    for _round in range(8):  # kill at a random moment after the child began posting, however slowly it started
        reserved_before = _reserved(store)
        child = subprocess.Popen([sys.executable, "-c", RUNNER, url, str(ws)], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while child.poll() is None and _reserved(store) == reserved_before and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.4))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait(timeout=30)
        if kills >= 5 and _posted(store) > 0:
            break
    assert kills >= 3, "the runs finished before they could be killed; slow the emulator down"
    assert _posted(store) > 0, "no kill landed after posting began"

    emu.admin.set_faults("")
    emu.admin.set_config(latency_ms=0, per_function_ms=0)
    run_until_settled(engine)
    assert_ledger_matches(emu, store, ws, count)
    with store.session() as session:  # the interrupted runs are closed as failed; none stays running
        assert session.scalar(select(func.count()).select_from(SyncRun).where(SyncRun.status == "running")) == 0

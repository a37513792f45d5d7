"""Helpers of the engine tests: workspaces, engines, actions, the emulator's ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
import os
import random
import signal
import subprocess
import sys
import time
import uuid

from sqlalchemy import func, select

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import Dimension, RunStatus
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Constituent, Posting, SyncRun, utcnow
from intacct_bridge.sync.context import client_factory
from intacct_bridge.sync.engine import SyncEngine
from intacct_bridge.sync.sample import SAMPLE_URL, SampleAction, SampleConstituent, SampleData, cr, dr
from intacct_bridge.sync.sample_load import create_connected_workspace, load_actions, load_sample
from intacct_emulator.harness import RunningEmulator

COMPANY = "helping-hands"


def make_workspace(store: Store, emu: RunningEmulator, operator: OperatorSettings, wire: str = "xml",
                   **kwargs) -> int:
    """A connected workspace speaking `wire` ("xml": the gateway; "rest": the REST API, OAuth client credentials)."""
    return create_connected_workspace(store, f"Helping Hands {uuid.uuid4().hex[:6]}", emu.credentials,
                                      SecretBox.from_settings(operator), api=wire, **kwargs)


def make_engine(store: Store, workspace_id: int, operator: OperatorSettings, **client_config) -> SyncEngine:
    client_config.setdefault("backoff_base", 0.01)
    client_config.setdefault("backoff_max", 0.05)
    client_config.setdefault("throttle_pause", 0.01)
    return SyncEngine(store, workspace_id, client_factory(store, workspace_id, operator, **client_config))


def now() -> datetime:
    return datetime.now(UTC)


def action(number: int, tags, *, amount: str = "100.00", kind: str = "donation", days_ago: int = 5,
           created: datetime | None = None, excluded: bool = False):
    """One sample action (`tags` as built by `sample.cr`/`sample.dr`)."""
    happened = now() - timedelta(days=days_ago)
    external_id = f"T-{number:05d}"
    return SampleAction(
        external_id=external_id, constituent_id="C-0001", type=kind, amount=Decimal(amount),
        happened_at=happened, created_at=created or happened + timedelta(minutes=5),
        summary=f"{kind.title()} of {amount} on {happened.date()} by Ana Test", url=SAMPLE_URL.format(external_id=external_id),
        tags=tuple(tags), excluded=excluded,
    )


def good_tags(credit: str = "4000", location: str = "100"):
    return [cr(Dimension.ACCOUNT, credit), dr(Dimension.ACCOUNT, "1100"),
            cr(Dimension.LOCATION, location), dr(Dimension.LOCATION, location)]


def seed_actions(store: Store, workspace_id: int, actions) -> None:
    """Insert a constituent (if missing) and the actions."""
    with store.session() as session:
        known = session.scalar(select(Constituent.id).where(Constituent.workspace_id == workspace_id))
    if known is None:
        load_sample(store, workspace_id, SampleData([SampleConstituent("C-0001", "Ana Test", "ana@example.org")], []))
    load_actions(store, workspace_id, list(actions))


def ledger_by_reference(emu: RunningEmulator) -> dict[str, dict]:
    entries = emu.admin.ledger(COMPANY, "GLBATCH")
    by_ref: dict[str, dict] = {}
    for entry in entries:
        assert entry["REFERENCENO"] not in by_ref, f"two entries for {entry['REFERENCENO']}"
        by_ref[entry["REFERENCENO"]] = entry
    return by_ref


def assert_ledger_matches(emu: RunningEmulator, store: Store, workspace_id: int, expected: int) -> None:
    """Exactly one GLBATCH per posted action, equal field by field to what the domain builds for it."""
    from intacct_bridge.domain.journal import build_journal_entry
    from intacct_bridge.domain.vocabulary import ActionStatus
    from intacct_bridge.store.models import Action, Workspace
    from intacct_bridge.store.repositories.settings import load_sync_settings
    from intacct_bridge.sync.candidates import to_view

    entries = ledger_by_reference(emu)
    with store.session() as session:
        uid = session.get(Workspace, workspace_id).uid
        settings = load_sync_settings(session, workspace_id)
        actions = list(session.scalars(select(Action).where(Action.workspace_id == workspace_id)))
        posted = [a for a in actions if a.status == ActionStatus.POSTED.value]
        views = [to_view(a) for a in posted]
        recordnos = {a.id: a.intacct_recordno for a in posted}
    ours = {ref: e for ref, e in entries.items() if ref.startswith(f"ib-{uid}-")}
    assert len(posted) == expected, f"{len(posted)} actions posted locally, expected {expected}"
    assert len(ours) == expected, f"{len(ours)} entries in the ledger, expected {expected}"
    for view in views:
        want = build_journal_entry(view, settings, workspace_uid=uid, run_started_at=now()).payload
        got = ours[want["REFERENCENO"]]
        assert recordnos[view.id] == got["RECORDNO"]
        for field in ("JOURNAL", "BATCH_TITLE", "REFERENCENO"):
            assert got[field] == want[field], (field, got[field], want[field])
        assert got["BATCH_DATE"] == want["BATCH_DATE"].isoformat()
        for got_line, want_line in zip(got["ENTRIES"], want["ENTRIES"]["GLENTRY"], strict=True):
            for field, value in want_line.items():
                assert got_line[field] == (str(value) if not isinstance(value, Decimal) else f"{value:.2f}"), (
                    field, got_line, want_line)


EVERY_FAULT = ",".join(f"{kind}={p}" for kind, p in [
    ("error500", 0.03), ("error502", 0.03), ("error503", 0.03), ("html_error", 0.03), ("rate429", 0.03),
    ("error500_after_commit", 0.04), ("drop_after_commit", 0.04), ("timeout524", 0.04), ("session_expiry", 0.03),
])
# Every fault, the after-commit losses likelier: a few hundred records make only a few dozen requests, and
# at EVERY_FAULT's odds a seed can leave them all unharmed.
EVERY_FAULT_FEW_REQUESTS = EVERY_FAULT.replace("error500_after_commit=0.04", "error500_after_commit=0.12").replace(
    "drop_after_commit=0.04", "drop_after_commit=0.12").replace("timeout524=0.04", "timeout524=0.1")


def run_under_every_fault(emu: RunningEmulator, engine: SyncEngine, *, idempotency_mode: str, seed: int,
                          faults: str = EVERY_FAULT) -> None:
    """Sync with every fault on until nothing is left; then the faults are off again.

    A small data set makes few requests: give it `faults` with the after-commit losses more likely.

    In `reject` mode the faults must have made some outcomes ambiguous (settled by looking them up);
    `replay` answers the first result again, which the client cannot tell, nor need to.
    """
    emu.admin.set_config(idempotency_mode=idempotency_mode)
    emu.admin.set_faults(faults, seed=seed)
    reports = run_until_settled(engine)
    emu.admin.set_faults("")
    if idempotency_mode == "reject":
        assert sum(r.tally.already_posted for r in reports) > 0, "the faults should have made some outcomes ambiguous"


def idempotency_mode_for(wire: str) -> str:
    """The XML gateway's reject mode (lost answers settled by lookups); the REST API always replays a key's
    first answer (reference §6), whatever the XML knob says."""
    return "reject" if wire == "xml" else "replay"


def run_until_settled(engine, attempts: int = 8):
    """Sync until nothing is left uncertain (a fault can exhaust the client's retries for a batch)."""
    reports = []
    for _ in range(attempts):
        report = engine.run()
        reports.append(report)
        if report.status is RunStatus.SUCCEEDED and report.tally.candidates == report.tally.posted + report.tally.already_posted:
            if engine.run().tally.candidates == 0:
                return reports
    raise AssertionError(f"not settled after {attempts} runs: {[r.status for r in reports]}")


# A sync in its own process, as `intacct-bridge sync` runs it: it can be SIGKILLed anywhere.
RUNNER = """
import sys
from intacct_bridge.api import Bridge
bridge = Bridge.open(int(sys.argv[2]), database_url=sys.argv[1], backoff_base=0.01, backoff_max=0.05, throttle_pause=0.01)
report = bridge.sync()
print(report.status.value, report.tally.posted, flush=True)
"""


def reserved_postings(store: Store) -> int:
    """Posting rows in any state: they grow as soon as a sync reserves its first batch."""
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Posting)) or 0


def posted_postings(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Posting).where(Posting.state == "posted")) or 0


def sigkill_syncs(store: Store, workspace_id: int, *, seed: int, rounds: int = 8, enough: int = 5,
                  max_delay: float = 0.4) -> int:
    """Start syncs in child processes and SIGKILL each at a random moment after it began reserving postings.

    Returns how many were killed. Stops after `enough` kills once something was posted, or when a
    sync finished before its kill (each start costs seconds of imports on a busy machine). Slow the
    emulator down first (latency, faults) so a kill lands while requests are in flight.
    """
    url = str(store.engine.url.render_as_string(hide_password=False))
    rng = random.Random(seed)
    kills = 0
    for _round in range(rounds):  # kill at a random moment after the child began posting, however slowly it started
        reserved_before = reserved_postings(store)
        child = subprocess.Popen([sys.executable, "-c", RUNNER, url, str(workspace_id)], env={**os.environ},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while child.poll() is None and reserved_postings(store) == reserved_before and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, max_delay))
        if child.poll() is not None:
            break  # it finished before the kill: everything is posted, later rounds would have nothing to do
        child.send_signal(signal.SIGKILL)
        kills += 1
        child.wait(timeout=30)
        if kills >= enough and posted_postings(store) > 0:
            break
    assert kills >= 3, "the runs finished before they could be killed; slow the emulator down"
    assert posted_postings(store) > 0, "no kill landed after posting began"
    return kills


def kill_syncs_then_rerun(emu: RunningEmulator, store: Store, workspace_id: int, engine: SyncEngine, *,
                          seed: int, enough: int = 5, max_delay: float = 0.4, latency_ms: int = 15) -> None:
    """SIGKILL syncs at random moments on a slowed, lossy gateway; then rerun until nothing is left.

    Afterwards the runs of the killed processes are closed as failed; none stays `running`.
    """
    emu.admin.set_config(latency_ms=latency_ms, per_function_ms=3)   # so a kill lands while requests are in flight
    emu.admin.set_faults("drop_after_commit=0.05,timeout524=0.05", seed=seed)   # and after-commit losses
    sigkill_syncs(store, workspace_id, seed=seed, enough=enough, max_delay=max_delay)
    emu.admin.set_faults("")
    emu.admin.set_config(latency_ms=0, per_function_ms=0)
    run_until_settled(engine)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(SyncRun).where(SyncRun.status == "running")) == 0


def kill_while_sending(store, ws: int, rounds: int) -> int:
    """SIGKILL syncs in child processes once each has reserved (or re-reserved) a batch, at a random moment after.

    (`sigkill_syncs` waits for new posting rows; here later runs may only re-send rows a killed run reserved
    (reversals, cancellations and corrected versions), so a run is seen sending by its postings' `sent_at`.)
    """
    url = str(store.engine.url.render_as_string(hide_password=False))
    rng, kills = random.Random(4), 0
    for _ in range(rounds):
        started = utcnow()
        child = subprocess.Popen([sys.executable, "-c", RUNNER, url, str(ws)], env={**os.environ},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while child.poll() is None and not sending_since(store, started):
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.8))
        if child.poll() is not None:
            break
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        kills += 1
    return kills


def sending_since(store, started) -> bool:
    with store.session() as session:
        return bool(session.scalar(select(func.count()).select_from(Posting).where(Posting.sent_at > started)))

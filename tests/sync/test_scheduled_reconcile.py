"""Reconciliation that runs by itself: daily at a time (driven through the scheduler's `tick` at chosen moments,
no sleeping), and after each sync; drift queues `reconcile.drift`, delivered to a real SMTP server and a real
webhook receiver on 127.0.0.1 with the counts and a link; no drift, no notification."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from intacct_bridge.api import Bridge
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import ReconcileSchedule
from intacct_bridge.notifications import events
from intacct_bridge.notifications.delivery import deliver_pending
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import ReconcileRun, WorkspaceSettings
from intacct_bridge.store.repositories import notifications as notification_store
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.web.runner import RunManager
from intacct_bridge.web.scheduler import Scheduler

from engine_helpers import COMPANY, make_engine
from notify_fixtures import SECRET, mailbox, operator, receiver  # noqa: F401 (fixtures)
from reconcile_kinds_helpers import held, posted_everything

FAST = {"backoff_base": 0.01, "backoff_max": 0.05, "throttle_pause": 0.01, "timeout": 10.0}


def _subscribe(store, ws, operator, receiver) -> None:
    change = notification_store.NotificationChange(["finance@example.org"], receiver.url, SecretStr(SECRET))
    with store.write_session() as session:
        notification_store.save_config(session, ws, change, SecretBox.from_settings(operator),
                                       allow_private=operator.webhook_allow_private)


def _set(store, ws, changed_at: datetime, **values) -> None:
    """The settings row changed directly, at `changed_at` (as another process would have)."""
    with store.write_session() as session:
        session.execute(update(WorkspaceSettings).where(WorkspaceSettings.workspace_id == ws)
                        .values(updated_at=changed_at, **values))


def _runs(store, ws) -> list[ReconcileRun]:
    with store.session() as session:
        return list(session.scalars(select(ReconcileRun).where(ReconcileRun.workspace_id == ws)
                                    .order_by(ReconcileRun.id)))


def test_a_daily_reconciliation_runs_once_per_slot_and_notifies_only_drift(emu, store, operator, mailbox,
                                                                         receiver, monkeypatch):
    box, _ = mailbox
    monkeypatch.setattr(operator, "console_url", "https://bridge.example.org")
    ws, _ = posted_everything(store, emu, operator)
    _subscribe(store, ws, operator, receiver)
    before = datetime(2026, 11, 30, 4, 59, tzinfo=UTC)           # 05:59 in Paris: not yet
    _set(store, ws, before - timedelta(hours=1), reconcile_schedule="daily", reconcile_time=time(6, 0),
         timezone="Europe/Paris")
    runner = RunManager(store, operator, client_options=FAST)
    first, second = Scheduler(runner), Scheduler(runner)   # two `serve` processes
    try:
        assert first.tick(before) == [] and first.reconciled == [] and _runs(store, ws) == []

        morning = datetime(2026, 11, 30, 5, 1, tzinfo=UTC)       # 06:01 in Paris
        first.tick(morning)
        second.tick(morning)
        (clean,) = _runs(store, ws)
        assert first.reconciled == [clean.id] and second.reconciled == []   # the slot reconciles once
        assert (clean.trigger, clean.status, clean.drift) == ("schedule", "done", False)
        assert clean.slot_at == datetime(2026, 11, 30, 5, 0, tzinfo=UTC) and clean.summary["compared"] == 11
        first.tick(morning + timedelta(minutes=5))
        assert len(_runs(store, ws)) == 1
        assert deliver_pending(store, operator).delivered == 0 and box.messages == [] and receiver.received == []

        vendor = held(emu, "VENDOR", "VENDORID")["RB-V2"]
        emu.admin.update_record(COMPANY, "VENDOR", vendor["RECORDNO"], fields={"NAME": "Renamed by hand"})
        emu.admin.delete_record(COMPANY, "ARADJUSTMENT", emu.admin.ledger(COMPANY, "ARADJUSTMENT")[0]["RECORDNO"])
        second.tick(morning + timedelta(days=1))
        drifted = _runs(store, ws)[-1]
        assert second.reconciled == [drifted.id] and drifted.drift is True
        assert drifted.summary["by_kind"]["vendor"]["changed"] == 1
        assert drifted.summary["by_kind"]["credit_memo"]["missing"] == 1
    finally:
        runner.shutdown(wait=True)

    assert len(box.messages) == 1
    assert " ".join(box.messages[0]["Subject"].split()).endswith("reconciliation found 2 records drifted in Intacct")
    text = box.messages[0].get_payload()
    assert "1 missing in Intacct, 1 changed there" in text and "vendor: 0 missing, 1 changed" in text
    assert "https://bridge.example.org/w/" in text and f"/reconcile/runs/{drifted.id}" in text
    (hook,) = [r.json() for r in receiver.received]
    assert hook["event"] == events.RECONCILE_DRIFT and (hook["missing"], hook["changed"], hook["unrecorded"]) == (1, 1, 0)
    assert hook["link"].endswith(f"/reconcile/runs/{drifted.id}") and hook["reconcile_id"] == drifted.id
    assert {d["what"] for d in hook["differences"]} == {"missing", "changed"}


def test_after_sync_reconciles_after_each_sync(emu, store, operator, mailbox, receiver):
    box, _ = mailbox
    ws, _ = posted_everything(store, emu, operator)
    _subscribe(store, ws, operator, receiver)
    with store.write_session() as session:
        update_settings(session, ws, SettingsChange(reconcile_schedule=ReconcileSchedule.AFTER_SYNC))
    engine = make_engine(store, ws, operator)

    clean = engine.run()
    (after,) = _runs(store, ws)
    assert (after.trigger, after.sync_run_id, after.drift) == ("after_sync", clean.run_id, False)
    engine.run(dry_run=True)
    assert len(_runs(store, ws)) == 1                       # a dry run reconciles nothing

    item = held(emu, "ITEM", "ITEMID")["RB-NS1"]
    emu.admin.update_record(COMPANY, "ITEM", item["RECORDNO"], fields={"BASEPRICE": "1.00"})
    drifted_run = engine.run()
    drifted = _runs(store, ws)[-1]
    assert drifted.sync_run_id == drifted_run.run_id and drifted.drift is True
    assert deliver_pending(store, operator).delivered == 2   # email and webhook
    assert len(box.messages) == 1 and "reconciliation found 1 records drifted" in " ".join(
        box.messages[0]["Subject"].split())
    assert [r.json()["event"] for r in receiver.received] == [events.RECONCILE_DRIFT]


def test_a_daily_reconciliation_needs_its_time(store, operator, emu):
    ws, _ = posted_everything(store, emu, operator)
    with store.write_session() as session, pytest.raises(Conflict, match="needs a time"):
        update_settings(session, ws, SettingsChange(reconcile_schedule=ReconcileSchedule.DAILY))
    with store.write_session() as session:
        settings = update_settings(session, ws, SettingsChange(reconcile_schedule=ReconcileSchedule.DAILY,
                                                               reconcile_time=time(6, 30)))
    assert (settings.reconcile_schedule, settings.reconcile_time) == (ReconcileSchedule.DAILY, time(6, 30))

    bridge = Bridge(store, ws, operator)                     # the Python API
    assert bridge.set_reconcile_schedule("daily", "07:45") is ReconcileSchedule.DAILY
    assert bridge.set_reconcile_schedule(ReconcileSchedule.AFTER_SYNC) is ReconcileSchedule.AFTER_SYNC
    with store.session() as session:
        row = session.scalar(select(WorkspaceSettings).where(WorkspaceSettings.workspace_id == ws))
        assert (row.reconcile_schedule, row.reconcile_time) == ("after_sync", time(7, 45))
    with pytest.raises(ValueError):
        bridge.set_reconcile_schedule("hourly")
    assert bridge.reconciliations() == []
    bridge.sync(dry_run=True)                                # a dry run: no reconciliation after it
    assert bridge.reconciliations() == []
    bridge.sync()                                            # nothing new to post, checked all the same
    (after,) = bridge.reconciliations()
    assert (after.trigger, after.drift, after.summary["compared"]) == ("after_sync", False, 11)


@pytest.mark.postgres
def test_on_postgresql_a_slot_is_claimed_once_and_every_kind_reconciles(emu, pg_store, operator, mailbox, receiver):
    from intacct_bridge.sync.context import client_factory
    from intacct_bridge.sync.scheduled_reconcile import AFTER_SYNC, SCHEDULED, run_reconciliation

    box, _ = mailbox
    ws, _ = posted_everything(pg_store, emu, operator)
    _subscribe(pg_store, ws, operator, receiver)
    factory = client_factory(pg_store, ws, operator, **FAST)
    slot = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    first = run_reconciliation(pg_store, ws, factory, trigger=SCHEDULED, slot_at=slot)
    assert first is not None
    assert run_reconciliation(pg_store, ws, factory, trigger=SCHEDULED, slot_at=slot) is None   # claimed once
    emu.admin.update_record(COMPANY, "ITEM", held(emu, "ITEM", "ITEMID")["RB-NS1"]["RECORDNO"],
                            fields={"BASEPRICE": "2.00"})
    after = [run_reconciliation(pg_store, ws, factory, trigger=AFTER_SYNC) for _ in range(2)]   # NULL slots
    runs = _runs(pg_store, ws)
    assert [r.id for r in runs] == [first, *after] and [r.drift for r in runs] == [False, True, True]
    assert runs[0].summary["compared"] == 11 and runs[1].summary["by_kind"]["item"]["changed"] == 1
    assert deliver_pending(pg_store, operator).delivered == 4 and len(box.messages) == 2

"""Reconciliation that runs by itself: daily at a time (`serve`'s scheduler) or after each sync (the engine).

The workspace setting `reconcile_schedule` (`off` | `daily` at `reconcile_time` | `after_sync`) decides.
Each one is recorded in `reconcile_runs` (counts by kind and the first differences) and, when it found
drift, queues the `reconcile.drift` notification (email and webhook, as the run events are) with the
counts and a link to the recorded reconciliation in the console. Like any reconciliation it changes
nothing in Intacct; here it writes only its own row and the notification's.

A daily slot is claimed by inserting its row ((workspace, slot) is unique), so however many `serve`
processes run the scheduler, each slot reconciles once. Slot arithmetic is `schedule.slots`' (the
latest slot after both the last scheduled reconciliation and the last settings change is due).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from intacct_bridge.domain.reconciliation import ReconcileReport
from intacct_bridge.domain.vocabulary import ReconcileSchedule
from intacct_bridge.notifications import events
from intacct_bridge.schedule.slots import Schedule, aware_utc, due_slot
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import NotificationSettingsRow, ReconcileRun, Workspace, WorkspaceSettings, utcnow
from intacct_bridge.store.repositories.notifications import enqueue, load_config
from intacct_bridge.sync.readback import reconcile

log = logging.getLogger(__name__)
SCHEDULED, AFTER_SYNC = "schedule", "after_sync"
LISTED = events.LISTED


def reconcile_link(console_url: str | None, slug: str, reconcile_id: int) -> str:
    """Where the console shows a recorded reconciliation (a path when the console's address is not set)."""
    return f"{(console_url or '').rstrip('/')}/w/{slug}/reconcile/runs/{reconcile_id}"


def summary_of(report: ReconcileReport) -> dict[str, Any]:
    """What a recorded reconciliation keeps: the counts, by kind, and the first differences of each sort."""
    listed: list[dict[str, Any]] = []
    for what, entries in (("missing", report.missing), ("unrecorded", report.unrecorded)):
        listed.extend({"what": what, "kind": e.kind, "reference": e.reference, "record_id": e.record_id,
                       "key": e.key} for e in entries[:LISTED])
    listed.extend({"what": "changed", "kind": c.ours.kind, "reference": c.ours.reference,
                   "record_id": c.ours.record_id, "key": c.theirs.key,
                   "differences": [d.as_dict() for d in c.differences]} for c in report.changed[:LISTED])
    return {"since": report.since.isoformat() if report.since else None, "compared": report.compared,
            "matched": report.matched, "missing": len(report.missing), "changed": len(report.changed),
            "unrecorded": len(report.unrecorded), "by_kind": report.by_kind(), "requests": report.requests,
            "api_transactions": report.api_transactions,
            "totals_that_differ": len(report.totals_rows(only_different=True)), "listed": listed}


def claim(store: Store, workspace_id: int, trigger: str, *, slot_at: datetime | None = None,
          sync_run_id: int | None = None, now: datetime | None = None) -> int | None:
    """Insert the reconciliation's row; None when another process already holds this slot."""
    with store.write_session() as session:
        module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        result = session.execute(module.insert(ReconcileRun).values(
            workspace_id=workspace_id, trigger=trigger, slot_at=slot_at, sync_run_id=sync_run_id,
            status="running", started_at=now or utcnow()).on_conflict_do_nothing().returning(ReconcileRun.id))
        row = result.first()
        return None if row is None else int(row[0])


def run_reconciliation(store: Store, workspace_id: int, client_factory: Callable[[], Any], *, trigger: str,
                       slot_at: datetime | None = None, sync_run_id: int | None = None,
                       console_url: str | None = None, now: Callable[[], datetime] = utcnow) -> int | None:
    """Claim, reconcile, record, notify on drift. The recorded row's id (None: the slot was claimed elsewhere).

    A failure (Intacct unreachable...) is recorded on the row, logged, and never raised: what started it
    (a sync, the scheduler) goes on.
    """
    reconcile_id = claim(store, workspace_id, trigger, slot_at=slot_at, sync_run_id=sync_run_id, now=now())
    if reconcile_id is None:
        return None
    try:
        with client_factory() as client:
            report = reconcile(store, workspace_id, client)
    except Exception as error:  # recorded, not raised: a scheduled job or a finished sync must not break
        log.warning("workspace %s: reconciliation %s failed: %s", workspace_id, reconcile_id, error)
        with store.write_session() as session:
            row = session.get(ReconcileRun, reconcile_id)
            row.status, row.message, row.finished_at = "failed", str(error)[:2000], now()
        return reconcile_id
    summary = summary_of(report)
    with store.write_session() as session:
        row = session.get(ReconcileRun, reconcile_id)
        row.status, row.drift, row.summary, row.finished_at = "done", report.drift, summary, now()
        if report.drift:
            _notify(session, workspace_id, reconcile_id, summary, sync_run_id, console_url, now())
    log.info("workspace %s: reconciliation %s (%s): %s compared, %s missing, %s changed, %s unrecorded",
             workspace_id, reconcile_id, trigger, report.compared, len(report.missing), len(report.changed),
             len(report.unrecorded))
    return reconcile_id


def _notify(session: Any, workspace_id: int, reconcile_id: int, summary: dict[str, Any], sync_run_id: int | None,
            console_url: str | None, now: datetime) -> None:
    if session.get(NotificationSettingsRow, workspace_id) is None:
        return
    config = load_config(session, workspace_id)
    if not config.wants(events.RECONCILE_DRIFT):
        return
    workspace = session.get(Workspace, workspace_id)
    counts = {k: summary[k] for k in ("compared", "matched", "missing", "changed", "unrecorded")}
    payload = {"event": events.RECONCILE_DRIFT, "workspace": workspace.slug, "workspace_id": workspace_id,
               "reconcile_id": reconcile_id, "run_id": sync_run_id, "occurred_at": now.isoformat(), **counts,
               "by_kind": {k: v for k, v in summary["by_kind"].items() if v["missing"] or v["changed"]
                           or v["unrecorded"]},
               "link": reconcile_link(console_url, workspace.slug, reconcile_id),
               "message": (f"{summary['missing']} missing in Intacct, {summary['changed']} changed there, "
                           f"{summary['unrecorded']} there but not recorded as posted here "
                           f"(of {summary['compared']} compared)"),
               "differences": summary["listed"]}
    enqueue(session, workspace_id, config, events.RECONCILE_DRIFT, payload, dedupe_key=f"reconcile-{reconcile_id}",
            run_id=sync_run_id, now=now)


def wants_after_sync(store: Store, workspace_id: int) -> bool:
    with store.session() as session:
        value = session.scalar(select(WorkspaceSettings.reconcile_schedule)
                               .where(WorkspaceSettings.workspace_id == workspace_id))
    return value == ReconcileSchedule.AFTER_SYNC.value


def daily_schedules(store: Store) -> list[Schedule]:
    """Every workspace reconciling daily, as a `schedule.slots.Schedule` (its last scheduled reconciliation)."""
    with store.session() as session:
        last = (select(ReconcileRun.workspace_id, func.max(ReconcileRun.slot_at).label("at"))
                .where(ReconcileRun.trigger == SCHEDULED).group_by(ReconcileRun.workspace_id).subquery())
        rows = session.execute(
            select(WorkspaceSettings.workspace_id, WorkspaceSettings.reconcile_time, WorkspaceSettings.timezone,
                   WorkspaceSettings.updated_at, last.c.at)
            .outerjoin(last, last.c.workspace_id == WorkspaceSettings.workspace_id)
            .where(WorkspaceSettings.reconcile_schedule == ReconcileSchedule.DAILY.value,
                   WorkspaceSettings.reconcile_time.is_not(None))).all()
    return [Schedule(row.workspace_id, row.reconcile_time, row.timezone, aware_utc(row.updated_at), aware_utc(row.at))
            for row in rows]


def due_reconciliations(store: Store, now: datetime) -> list[tuple[int, datetime]]:
    """(workspace, slot) of every daily reconciliation due at `now`."""
    due = []
    for schedule in daily_schedules(store):
        trigger = schedule.trigger()
        slot = due_slot(schedule, trigger, now) if trigger is not None else None
        if slot is not None:
            due.append((schedule.workspace_id, slot))
    return due


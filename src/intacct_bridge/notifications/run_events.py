"""Queue what a finished run has to tell: halted, failed, connection failing, rejected records, the
daily review digest, and one `record.posted` webhook per record posted (its RECORDNO and link).

Called by the engine once the run is recorded; it only writes rows to the store's outbox (nothing is
sent here), in one short transaction, so a run is never slowed or broken by a mail server or a webhook.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from intacct_bridge.domain.error_classes import FIXES, ErrorClass
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.notifications import events
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import (
    Action, CreditMemo, Customer, Invoice, NotificationSettingsRow, Payment, Posting, ReviewFlag, Workspace,
)
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories.notifications import NotificationConfig, enqueue, load_config
from intacct_bridge.sync.diagnosis import error_class

# The Intacct object each kind is posted as (the `record.posted` webhook's `intacct_object`), and the
# table holding the organization's own id for it. A kind added later without an entry still notifies.
INTACCT_OBJECTS = {"journal_entry": "GLBATCH", "customer": "CUSTOMER", "invoice": "ARINVOICE",
                   "payment": "ARPYMT", "credit_memo": "ARADJUSTMENT"}
SOURCE_TABLES: dict[str, Any] = {"journal_entry": Action, "customer": Customer, "invoice": Invoice,
                                 "payment": Payment, "credit_memo": CreditMemo}


def failure_class(error: BaseException | None) -> ErrorClass | None:
    """The class of what ended a run `failed`: the connection, a permission, or another cause."""
    if error is None:
        return None
    diagnosis = getattr(error, "diagnosis", None)
    if diagnosis is not None:
        return ErrorClass.PERMISSION if diagnosis.kind == "permission" else ErrorClass.CONNECTION
    return error_class(error)


def record_run(store: Store, workspace_id: int, run_id: int, status: RunStatus, message: str | None, *,
               error: BaseException | None, record_url_template: str, now: datetime) -> int:
    """Queue the run's notifications; returns how many rows were added (0 without settings)."""
    with store.write_session() as session:
        settings = session.get(NotificationSettingsRow, workspace_id)
        if settings is None:
            return 0
        config = load_config(session, workspace_id)
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        base = {"workspace": workspace.slug, "workspace_id": workspace_id, "run_id": run_id,
                "status": status.value, "occurred_at": now.isoformat()}
        added = 0

        def add(event: str, key: str, **extra: Any) -> None:
            nonlocal added
            added += enqueue(session, workspace_id, config, event, {"event": event, **base, **extra},
                             dedupe_key=key, run_id=run_id, now=now)

        if status is RunStatus.HALTED:
            add(events.RUN_HALTED, f"run-{run_id}-halted", message=message,
                fix=FIXES[ErrorClass.VALIDATION], records=_flagged(session, workspace_id, run_id, "invalid"))
        if status is RunStatus.FAILED:
            cls = failure_class(error)
            add(events.RUN_FAILED, f"run-{run_id}-failed", message=message,
                error_class=cls.value if cls else None, fix=FIXES[cls] if cls else None)
            if cls is ErrorClass.CONNECTION:
                add(events.CONNECTION_FAILING, f"run-{run_id}-connection", message=message,
                    error_class=cls.value, fix=FIXES[cls])
        rejected = _flagged(session, workspace_id, run_id, "rejected")
        if rejected:
            add(events.RECORDS_REJECTED, f"run-{run_id}-rejected", count=len(rejected), records=rejected,
                message=f"Intacct rejected {len(rejected)} records in run {run_id}")
        _digest(session, settings, config, add, workspace_id, now)
        if config.webhook_url and config.wants(events.RECORD_POSTED):
            for posted in _posted(session, workspace_id, run_id, record_url_template):
                add(events.RECORD_POSTED, f"posted-{posted['record_kind']}-{posted['record_id']}-"
                                          f"{posted['recordno']}", **posted)
        return added


def _flagged(session: Any, workspace_id: int, run_id: int, kind: str) -> list[dict[str, Any]]:
    flags = session.scalars(select(ReviewFlag).where(
        ReviewFlag.workspace_id == workspace_id, ReviewFlag.run_id == run_id, ReviewFlag.kind == kind,
        ReviewFlag.resolved_at.is_(None)).order_by(ReviewFlag.id).limit(events.LISTED))
    flags = list(flags)
    external = _external_ids(session, [(f.record_kind, f.record_id) for f in flags])
    out = []
    for flag in flags:
        cls = error_queue.stored_class(flag)
        out.append({"error_id": flag.id, "record_kind": flag.record_kind, "record_id": flag.record_id,
                    "external_id": external.get((flag.record_kind, flag.record_id)),
                    "error_class": cls.value, "fix": FIXES[cls],
                    "message": "; ".join(r.get("message", "") for r in flag.reasons or ())})
    return out


def _digest(session: Any, settings: NotificationSettingsRow, config: NotificationConfig, add: Any,
            workspace_id: int, now: datetime) -> None:
    """At most one digest a day of the records waiting for a person."""
    today = now.date()
    if settings.last_digest_on == today or not config.wants(events.REVIEW_DIGEST):
        return
    counts = error_queue.counts_by_class(session, workspace_id)
    waiting = session.scalar(select(ReviewFlag.id).where(
        ReviewFlag.workspace_id == workspace_id, ReviewFlag.resolved_at.is_(None),
        ReviewFlag.kind != "retrying").limit(1))
    if waiting is None:
        return
    total = sum(counts.values())
    add(events.REVIEW_DIGEST, f"digest-{today.isoformat()}", count=total, by_class=counts,
        message=f"{total} records wait in the error queue", run_id=None)
    settings.last_digest_on = today


def _posted(session: Any, workspace_id: int, run_id: int, template: str) -> list[dict[str, Any]]:
    rows = list(session.execute(select(Posting.record_kind, Posting.record_id, Posting.intacct_recordno,
                                       Posting.finished_at)
                                .where(Posting.workspace_id == workspace_id, Posting.run_id == run_id,
                                       Posting.state == "posted", Posting.intacct_recordno.is_not(None))
                                .order_by(Posting.id)))
    external = _external_ids(session, [(kind, record_id) for kind, record_id, _, _ in rows])
    out = []
    for kind, record_id, recordno, finished in rows:
        intacct_object = INTACCT_OBJECTS.get(kind, kind.upper())
        out.append({"record_kind": kind, "record_id": record_id, "external_id": external.get((kind, record_id)),
                    "intacct_object": intacct_object, "recordno": recordno,
                    "url": template.format(object=intacct_object, recordno=recordno),
                    "posted_at": finished.isoformat() if finished else None})
    return out


def _external_ids(session: Any, records: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The organization's own id of each record, one query per kind and thousand records."""
    by_kind: dict[str, list[int]] = {}
    for kind, record_id in records:
        by_kind.setdefault(kind, []).append(record_id)
    found: dict[tuple[str, int], str] = {}
    for kind, ids in by_kind.items():
        table = SOURCE_TABLES.get(kind)
        if table is None:
            continue
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            for record_id, external_id in session.execute(select(table.id, table.external_id)
                                                          .where(table.id.in_(chunk))):
                found[(kind, record_id)] = external_id
    return found

"""Read-only views the CLI, the Python API and the console show: runs, a run's log, status, review queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.store.models import (
    Action,
    JournalSummary,
    Connection,
    DocumentCancellation,
    ReviewFlag,
    RunItem,
    SyncRun,
    Workspace,
    WorkspaceLock,
)
from intacct_bridge.store.repositories.receivables_intake import MODELS

RECORD_MODELS = MODELS  # every kind but journal entries, by name: customers, invoices..., bills, AP adjustments


@dataclass(frozen=True)
class RunSummary:
    id: int
    status: str
    dry_run: bool
    trigger: str
    only_action_id: int | None
    started_at: datetime
    finished_at: datetime | None
    candidates: int
    invalid: int
    posted: int
    failed: int
    api_transactions: int
    message: str | None
    details: dict[str, Any] | None

    @property
    def seconds(self) -> float | None:
        return (self.finished_at - self.started_at).total_seconds() if self.finished_at else None


@dataclass(frozen=True)
class LogLine:
    action_id: int            # the record's id (an action's for journal entries)
    external_id: str
    outcome: str
    message: str | None
    defaults_used: list[dict[str, str]] | None
    record_kind: str = "journal_entry"
    summary: str | None = None  # the record's one-line summary (what a person recognises it by)


@dataclass(frozen=True)
class ReviewEntry:
    action_id: int            # the record's id (an action's for journal entries)
    external_id: str
    summary: str | None
    amount: Any
    kind: str
    reasons: list[dict[str, str]]
    record_kind: str = "journal_entry"


@dataclass(frozen=True)
class Status:
    workspace: str
    connected: bool
    company_id: str | None
    user_id: str | None
    endpoint: str | None
    last_test_ok: bool | None
    last_test_message: str | None
    last_sync_at: datetime | None
    last_run: RunSummary | None
    running: str | None
    actions_by_status: dict[str, int]
    needs_review: int


def _summary(run: SyncRun) -> RunSummary:
    return RunSummary(run.id, run.status, run.dry_run, run.trigger, run.only_action_id, run.started_at,
                      run.finished_at, run.candidates, run.invalid, run.posted, run.failed, run.api_transactions,
                      run.message, run.details)


def list_runs(session: Session, workspace_id: int, limit: int = 20) -> list[RunSummary]:
    rows = session.scalars(select(SyncRun).where(SyncRun.workspace_id == workspace_id)
                           .order_by(SyncRun.id.desc()).limit(limit))
    return [_summary(r) for r in rows]


def get_run(session: Session, workspace_id: int, run_id: int) -> RunSummary | None:
    run = session.get(SyncRun, run_id)
    return _summary(run) if run is not None and run.workspace_id == workspace_id else None


def run_log(session: Session, workspace_id: int, run_id: int, outcome: str | None = None,
            limit: int | None = None) -> list[LogLine]:
    """Every record's outcome in one of the workspace's runs (nothing for another workspace's run)."""
    query = (select(RunItem.record_kind, RunItem.record_id, RunItem.outcome, RunItem.message, RunItem.defaults_used)
             .join(SyncRun, SyncRun.id == RunItem.run_id)
             .where(RunItem.run_id == run_id, SyncRun.workspace_id == workspace_id).order_by(RunItem.id))
    if outcome:
        query = query.where(RunItem.outcome == outcome)
    if limit:
        query = query.limit(limit)
    rows = session.execute(query).all()
    names = record_names(session, [(r.record_kind, r.record_id) for r in rows])
    lines = []
    for r in rows:
        external_id, summary, _ = names.get((r.record_kind, r.record_id), ("?", None, None))
        lines.append(LogLine(r.record_id, external_id, r.outcome, r.message, r.defaults_used, r.record_kind, summary))
    return lines


def outcome_counts(session: Session, run_id: int) -> dict[str, int]:
    rows = session.execute(select(RunItem.outcome, func.count()).where(RunItem.run_id == run_id)
                           .group_by(RunItem.outcome))
    return {outcome: count for outcome, count in rows}


def review_queue(session: Session, workspace_id: int, limit: int | None = None) -> list[ReviewEntry]:
    """Every flagged record of any kind with its reasons: actions first (by id), then the other kinds."""
    query = (select(ReviewFlag.record_kind, ReviewFlag.record_id, ReviewFlag.kind, ReviewFlag.reasons)
             .where(ReviewFlag.workspace_id == workspace_id, ReviewFlag.resolved_at.is_(None))
             .order_by(ReviewFlag.record_kind != "journal_entry", ReviewFlag.record_kind, ReviewFlag.record_id))
    if limit:
        query = query.limit(limit)
    rows = session.execute(query).all()
    names = record_names(session, [(r.record_kind, r.record_id) for r in rows])
    entries = []
    for r in rows:
        external_id, summary, amount = names.get((r.record_kind, r.record_id), ("?", None, None))
        entries.append(ReviewEntry(r.record_id, external_id, summary, amount, r.kind,
                                   with_fixes(r.reasons, r.record_kind), r.record_kind))
    return entries


def record_names(session: Session, records: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str | None, Any]]:
    """(kind, id) → (external id, a one-line summary, an amount) for records of any kind."""
    by_kind: dict[str, list[int]] = {}
    for kind, record_id in records:
        by_kind.setdefault(kind, []).append(record_id)
    found: dict[tuple[str, int], tuple[str, str | None, Any]] = {}
    for kind, ids in by_kind.items():
        if kind == "journal_entry":
            for row in session.execute(select(Action.id, Action.external_id, Action.summary, Action.amount)
                                       .where(Action.id.in_(ids))):
                found[(kind, row.id)] = (row.external_id, row.summary, row.amount)
            continue
        if kind == "document_cancellation":   # named after the invoice or bill whose version it cancels
            for c in session.scalars(select(DocumentCancellation).where(DocumentCancellation.id.in_(ids))):
                document = session.get(RECORD_MODELS[c.record_kind], c.record_id)
                external_id = document.external_id if document is not None else "?"
                found[(kind, c.id)] = (external_id, f"cancellation of {c.record_kind} {external_id}, version "
                                                    f"{c.version} ({c.reason} at the source)", None)
        if kind == "journal_summary":
            for row in session.execute(select(JournalSummary.id, JournalSummary.reference, JournalSummary.description,
                                              JournalSummary.debit_total).where(JournalSummary.id.in_(ids))):
                found[(kind, row.id)] = (row.reference, row.description, row.debit_total)
            continue
        model = RECORD_MODELS.get(kind)
        if model is None:
            continue
        for row in session.scalars(select(model).where(model.id.in_(ids))):
            found[(kind, row.id)] = (row.external_id, f"{kind.replace('_', ' ')} {row.external_id}",
                                     getattr(row, "amount", None))
    return found


def workspace_status(session: Session, workspace_id: int) -> Status:
    workspace = session.get(Workspace, workspace_id)
    assert workspace is not None
    connection = session.get(Connection, workspace_id)
    last = session.scalar(select(SyncRun).where(SyncRun.workspace_id == workspace_id, SyncRun.dry_run.is_(False))
                          .order_by(SyncRun.id.desc()).limit(1))
    lock = session.get(WorkspaceLock, workspace_id)
    counts = {status: n for status, n in session.execute(
        select(Action.status, func.count()).where(Action.workspace_id == workspace_id).group_by(Action.status))}
    flagged = session.scalar(select(func.count()).select_from(ReviewFlag)
                             .where(ReviewFlag.workspace_id == workspace_id, ReviewFlag.resolved_at.is_(None))) or 0
    return Status(
        workspace=workspace.slug,
        connected=connection is not None,
        company_id=connection.company_id if connection else None,
        user_id=connection.user_id if connection else None,
        endpoint=connection.endpoint if connection else None,
        last_test_ok=connection.last_test_ok if connection else None,
        last_test_message=connection.last_test_message if connection else None,
        last_sync_at=workspace.last_sync_at,
        last_run=_summary(last) if last else None,
        running=f"{lock.purpose} since {lock.acquired_at:%Y-%m-%d %H:%M:%S} UTC" if lock and lock.holder else None,
        actions_by_status=counts,
        needs_review=flagged,
    )

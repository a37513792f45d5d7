"""The run history as a list: filters (status, trigger, dry runs, when it started), sort, numbered pages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import SyncRun

RUN_SORTS = {"id": SyncRun.id, "started": SyncRun.started_at, "status": SyncRun.status,
             "posted": SyncRun.posted, "failed": SyncRun.failed, "candidates": SyncRun.candidates}


@dataclass(frozen=True)
class RunFilter:
    status: str | None = None
    trigger: str | None = None
    dry_run: bool | None = None
    started_from: datetime | None = None   # [from, to) aware instants (`actions.day_range` for days)
    started_to: datetime | None = None


def _filtered(workspace_id: int, f: RunFilter) -> Select[tuple[SyncRun]]:
    query = select(SyncRun).where(SyncRun.workspace_id == workspace_id)
    if f.status:
        query = query.where(SyncRun.status == f.status)
    if f.trigger:
        query = query.where(SyncRun.trigger == f.trigger)
    if f.dry_run is not None:
        query = query.where(SyncRun.dry_run.is_(f.dry_run))
    if f.started_from is not None:
        query = query.where(SyncRun.started_at >= f.started_from)
    if f.started_to is not None:
        query = query.where(SyncRun.started_at < f.started_to)
    return query


def _order(sort: str, descending: bool) -> tuple[Any, ...]:
    if sort not in RUN_SORTS:
        raise Conflict(f"runs cannot be sorted by {sort!r}: use one of {', '.join(RUN_SORTS)}")
    column = RUN_SORTS[sort]
    return (column.desc(), SyncRun.id.desc()) if descending else (column, SyncRun.id)


def sorted_runs(session: Session, workspace_id: int, f: RunFilter = RunFilter(), *, sort: str = "id",
                descending: bool = True, offset: int = 0, limit: int = 50) -> Sequence[SyncRun]:
    """A page of runs (newest first unless told otherwise)."""
    return session.scalars(_filtered(workspace_id, f).order_by(*_order(sort, descending))
                           .offset(offset).limit(limit)).all()


def runs_before(session: Session, workspace_id: int, f: RunFilter = RunFilter(), *, before_id: int | None = None,
                limit: int = 20) -> Sequence[SyncRun]:
    """Newest first, keyset by id (the REST API's cursor pages)."""
    query = _filtered(workspace_id, f)
    if before_id is not None:
        query = query.where(SyncRun.id < before_id)
    return session.scalars(query.order_by(SyncRun.id.desc()).limit(limit)).all()


def count_runs(session: Session, workspace_id: int, f: RunFilter = RunFilter()) -> int:
    return session.scalar(select(func.count()).select_from(_filtered(workspace_id, f).subquery())) or 0


def iter_runs(session: Session, workspace_id: int, f: RunFilter = RunFilter(), *, sort: str = "id",
              descending: bool = True, batch: int = 1000) -> Iterator[SyncRun]:
    query = _filtered(workspace_id, f).order_by(*_order(sort, descending))
    for offset in count(0, batch):
        rows = session.scalars(query.offset(offset).limit(batch)).all()
        yield from rows
        if len(rows) < batch:
            return

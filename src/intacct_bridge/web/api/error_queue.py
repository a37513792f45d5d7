"""The error queue over REST: list errors by class and record kind, retry or resolve many at once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from intacct_bridge.api_queue import selection
from intacct_bridge.domain.error_classes import LABELS, ErrorClass
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories.actions import day_range
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.web.api.deps import Caller, PathId, ReadSession, State, WorkspaceId
from intacct_bridge.web.api.pagination import Cursor, Limit, decode_cursor, next_cursor
from intacct_bridge.web.api.schemas_records import Page
from intacct_bridge.web.state import API_PREFIX

router = APIRouter(prefix="/workspaces/{workspace}", tags=["errors"])


class ErrorOut(BaseModel):
    id: int
    record_kind: str
    record_id: int
    status: str = Field(description="invalid, rejected (held for a person), retrying (a later run sends it "
                                    "again after next_attempt_at) or resolved")
    error_class: ErrorClass
    label: str
    fix: str = Field(description="What to do about this class of failure")
    reasons: list[dict[str, str]]
    attempts: int
    next_attempt_at: datetime | None
    held: bool
    run_id: int | None
    updated_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None


class ErrorCounts(BaseModel):
    open_by_class: dict[str, int]
    labels: dict[str, str]


class Bulk(BaseModel):
    """Which errors: `ids`, or every open one of `classes` / `kinds` (`all: true` for every open one)."""

    ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(default_factory=list, max_length=10_000)
    classes: list[ErrorClass] = Field(default_factory=list, max_length=8)
    kinds: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(default_factory=list, max_length=16)
    all: bool = False


class RetryRequest(Bulk):
    sync: bool = Field(default=True, description="Start a sync right away (202 with its run id)")


class ResolveRequest(Bulk):
    reason: Annotated[str, Field(min_length=1, max_length=2000, description="Why (kept with who and when)")]


class BulkOut(BaseModel):
    count: int
    records: list[tuple[str, int]]
    run_id: int | None = None
    status_url: str | None = None


def _chosen(body: Bulk) -> error_queue.Selection:
    if not (body.ids or body.classes or body.kinds or body.all):
        raise HTTPException(422, "name the errors (ids), or choose them by classes or kinds, or set all: true")
    if body.ids and (body.classes or body.kinds or body.all):
        raise HTTPException(422, "give either ids or classes/kinds/all, not both")
    try:
        return selection(body.ids or None, body.classes, body.kinds)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/errors", summary="The error queue: failed records with their class and fix, oldest first")
def list_errors(workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100, cursor: Cursor = None,
                error_class: Annotated[list[ErrorClass] | None, Query(alias="class")] = None,
                kind: Annotated[list[str] | None, Query(max_length=16)] = None,
                state: Annotated[str, Query(pattern="^(open|resolved|all)$")] = "open",
                date_from: Annotated[date | None, Query(alias="from", description="Last failed on or after this "
                                                        "day (the workspace's time zone)")] = None,
                date_to: Annotated[date | None, Query(alias="to", description="Last failed on or before this "
                                                      "day")] = None) -> Page[ErrorOut]:
    try:
        chosen = selection(None, error_class or [], kind or [])
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    updated_from, updated_to = day_range(load_sync_settings(session, workspace_id).zone(), date_from, date_to)
    items = error_queue.list_errors(session, workspace_id, classes=chosen.classes, record_kinds=chosen.record_kinds,
                                    state=state, limit=limit, after_id=decode_cursor(cursor) or 0,
                                    updated_from=updated_from, updated_to=updated_to)
    return Page[ErrorOut](items=[ErrorOut(**item.as_dict()) for item in items],
                          next_cursor=next_cursor([i.id for i in items], limit))


@router.get("/errors/counts", summary="Open errors per class")
def error_counts(workspace_id: WorkspaceId, session: ReadSession) -> ErrorCounts:
    return ErrorCounts(open_by_class=error_queue.counts_by_class(session, workspace_id),
                       labels={c.value: LABELS[c] for c in ErrorClass})


@router.get("/errors/{error_id}", summary="One error")
def get_error(error_id: PathId, workspace_id: WorkspaceId, session: ReadSession) -> ErrorOut:
    return ErrorOut(**error_queue.get_error(session, workspace_id, error_id).as_dict())


@router.post("/errors/retry", summary="Release errors so their records are sent again (now, with sync: true)")
def retry_errors(request: Request, body: RetryRequest, workspace_id: WorkspaceId, state: State) -> BulkOut:
    chosen = _chosen(body)
    with state.store.write_session() as session:  # committed before the run starts
        done = error_queue.retry(session, workspace_id, chosen)
    out = BulkOut(count=done.count, records=done.records)
    if body.sync and done.count:
        out.run_id = state.runner.start(workspace_id, trigger="retry")
        workspace = request.path_params["workspace"]
        out.status_url = f"{str(request.base_url).rstrip('/')}{API_PREFIX}/workspaces/{workspace}/runs/{out.run_id}"
    return out


@router.post("/errors/resolve", summary="Resolve (ignore) errors with a reason: no run sends them until retried")
def resolve_errors(body: ResolveRequest, workspace_id: WorkspaceId, state: State, caller: Caller) -> BulkOut:
    chosen = _chosen(body)
    with state.store.write_session() as session:
        done = error_queue.resolve(session, workspace_id, chosen, reason=body.reason,
                                   by=f"api-token:{caller.token_id}")
    return BulkOut(count=done.count, records=done.records)

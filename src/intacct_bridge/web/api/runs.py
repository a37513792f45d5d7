"""Runs (start a sync or dry run in the background, list, get with outcomes), review queue, pull, status."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from intacct_bridge.store.repositories.actions import list_review
from intacct_bridge.store.repositories.runs import RunFilter, runs_before
from intacct_bridge.sync import queries as sync_queries
from intacct_bridge.sync.overview import workspace_overview
from intacct_bridge.web import queries
from intacct_bridge.web.api.convert import money, run_out
from intacct_bridge.web.api.deps import PathId, ReadSession, State, WorkspaceId
from intacct_bridge.web.api.pagination import Cursor, Limit, decode_cursor, next_cursor
from intacct_bridge.web.api.schemas_records import Page
from intacct_bridge.web.state import API_PREFIX
from intacct_bridge.web.api.schemas_workspace import (
    PullOut,
    ReviewOut,
    RunDetail,
    RunItemOut,
    RunOut,
    RunRequest,
    RunStarted,
    StatusOut,
    SummaryPreviewOut,
)

router = APIRouter(prefix="/workspaces/{workspace}", tags=["runs"])


def _started(request: Request, run_id: int | None, queued: bool) -> RunStarted:
    workspace = request.path_params["workspace"]
    runs = f"{str(request.base_url).rstrip('/')}{API_PREFIX}/workspaces/{workspace}/runs"
    if run_id is None:  # queued for the workers, not opened yet
        return RunStarted(run_id=None, status_url=runs, queued=True)
    return RunStarted(run_id=run_id, status_url=f"{runs}/{run_id}", queued=queued)


@router.post("/runs", status_code=202, summary="Start a sync (or a dry run); it proceeds in the background")
def start_run(request: Request, workspace_id: WorkspaceId, state: State, body: RunRequest | None = None) -> RunStarted:
    dry_run = body.dry_run if body else False
    kinds = list(body.kinds) if body and body.kinds else None
    run_id = state.runner.start(workspace_id, dry_run=dry_run, trigger="api", kinds=kinds)
    return _started(request, run_id, state.runner.queue is not None)


@router.post("/actions/{action_id}/sync", status_code=202, summary="Sync this one action now, in the background")
def sync_action(request: Request, action_id: PathId, workspace_id: WorkspaceId, state: State,
                session: ReadSession) -> RunStarted:
    queries.get_action_by_id(session, workspace_id, action_id)
    run_id = state.runner.start(workspace_id, action_id=action_id, trigger="action")
    return _started(request, run_id, state.runner.queue is not None)


@router.get("/runs", summary="Run history, newest first")
def list_runs(workspace_id: WorkspaceId, state: State, session: ReadSession, limit: Limit = 20,
              cursor: Cursor = None,
              status: Annotated[str | None, Query(max_length=32, description="succeeded, halted, failed...")] = None,
              trigger: Annotated[str | None, Query(max_length=32, description="manual, schedule, api...")] = None,
              dry_run: bool | None = None,
              started_from: Annotated[datetime | None, Query()] = None,
              started_to: Annotated[datetime | None, Query()] = None) -> Page[RunOut]:
    found = RunFilter(status=status, trigger=trigger, dry_run=dry_run, started_from=_utc(started_from),
                      started_to=_utc(started_to))
    runs = runs_before(session, workspace_id, found, before_id=decode_cursor(cursor), limit=limit)
    return Page[RunOut](items=[run_out(r, state.runner.progress(r.id)) for r in runs],
                        next_cursor=next_cursor([r.id for r in runs], limit))


def _utc(moment: datetime | None) -> datetime | None:
    """A filter bound: naive means UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/runs/{run_id}", summary="One run with every action's outcome and Intacct's message")
def get_run(run_id: PathId, workspace_id: WorkspaceId, state: State, session: ReadSession, limit: Limit = 500,
            cursor: Cursor = None,
            outcome: Annotated[str | None, Query(max_length=32, description="posted, failed, invalid...")] = None,
            ) -> RunDetail:
    run = queries.run_of_workspace(session, workspace_id, run_id)
    rows = queries.run_items(session, run.id, after_id=decode_cursor(cursor) or 0, limit=limit, outcome=outcome)
    items = [RunItemOut(action_id=a, external_id=e, outcome=o, message=m) for _, a, e, o, m in rows]
    previews = (run.details or {}).get("previews") or []
    return RunDetail(**run_out(run, state.runner.progress(run.id)).model_dump(), items=items,
                     next_cursor=next_cursor([r[0] for r in rows], limit),
                     summaries=[SummaryPreviewOut.model_validate(p) for p in previews])


@router.get("/review-queue", summary="Actions that need review, with the reasons")
def review_queue(workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100,
                 cursor: Cursor = None) -> Page[ReviewOut]:
    rows = list_review(session, workspace_id, limit=limit, after_id=decode_cursor(cursor) or 0)
    items = [ReviewOut(action_id=r.action.id, external_id=r.action.external_id, summary=r.action.summary,
                       amount=money(r.action.amount), kind=r.flag.kind, reasons=list(r.flag.reasons or []))
             for r in rows]
    return Page[ReviewOut](items=items, next_cursor=next_cursor([r.action.id for r in rows], limit))


@router.post("/pull", summary="Pull accounts and dimensions from Intacct now (refreshes the campaigns)")
def pull_now(workspace_id: WorkspaceId, state: State) -> PullOut:
    return PullOut(**asdict(state.runner.pull(workspace_id)))


@router.get("/overview", summary="The dashboard's figures: money posted by period, account and fund; the next "
                                  "scheduled sync; the setup checklist")
def overview(workspace_id: WorkspaceId, state: State) -> dict[str, Any]:
    return workspace_overview(state.store, workspace_id)


@router.get("/status", summary="Connection status, the last run and its result, action counts")
def status(workspace_id: WorkspaceId, state: State, session: ReadSession) -> StatusOut:
    found = sync_queries.workspace_status(session, workspace_id)
    last = run_out(found.last_run) if found.last_run else None
    return StatusOut(workspace=found.workspace, connected=found.connected, company_id=found.company_id,
                     last_test_ok=found.last_test_ok, last_test_message=found.last_test_message,
                     last_sync_at=found.last_sync_at, last_run=last, running=found.running,
                     actions=found.actions_by_status, needs_review=found.needs_review)

"""The dashboard: connection status, the last sync and its result, action counts; Sync now with live progress.

A run started here proceeds on the app's workers; the page polls a small fragment
(htmx, every second) that shows the run's phase and progress and stops polling
once the run has ended, then asks the status panel to refresh itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.crypto import SecretKeyError
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.errors import RunLocked, StoreError
from intacct_bridge.sync import queries as sync_queries
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.sync.pull import PreflightError
from intacct_bridge.web import queries, services
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.runner import RunnerBusy

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
START_ERRORS = (NotConfigured, RunLocked, RunnerBusy, StoreError, SecretKeyError)


def _status(state, workspace_id: int):
    with state.store.session() as session:
        status = sync_queries.workspace_status(session, workspace_id)
        excluded = queries.excluded_unposted(session, workspace_id)
        live = next((r for r in sync_queries.list_runs(session, workspace_id, limit=5)
                     if r.status == RunStatus.RUNNING.value), None)
    return status, live, excluded


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, state: State, user: User, ws: Ws) -> Response:
    status, live, excluded = _status(state, ws.id)
    return page(request, "console/dashboard.html", user=user, workspace=ws, status=status, excluded=excluded,
                live_run=live,
                progress=state.runner.progress(live.id) if live else None, nav="dashboard")


@router.get("/status-panel", response_class=HTMLResponse)
def status_panel(request: Request, state: State, user: User, ws: Ws) -> Response:
    status, _, excluded = _status(state, ws.id)
    return page(request, "console/_status.html", user=user, workspace=ws, status=status, excluded=excluded)


@router.post("/sync")
def sync_now(request: Request, state: State, user: Editor, ws: Ws,
             dry_run: Annotated[bool, Form()] = False) -> Response:
    try:
        run_id = state.runner.start(ws.id, dry_run=dry_run, trigger="manual")
    except START_ERRORS as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=str(error), status_code=409)
    if run_id is None:  # queued for the workers: the run list shows it once one opens it
        return redirect(f"{ws.base}/runs")
    if request.headers.get("HX-Request") != "true":
        return redirect(f"{ws.base}/runs/{run_id}")
    return _progress(request, state, user, ws, run_id)


def _progress(request: Request, state, user, ws, run_id: int) -> Response:
    with state.store.session() as session:
        run = queries.run_of_workspace(session, ws.id, run_id)
    finished = run.status != RunStatus.RUNNING.value
    response = page(request, "console/_run_progress.html", user=user, workspace=ws, run=run,
                    progress=state.runner.progress(run.id), finished=finished)
    if finished:
        response.headers["HX-Trigger"] = "run-finished"
    return response


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def run_progress(request: Request, state: State, user: User, ws: Ws, run_id: Annotated[int, Path(ge=1, le=2**31)]) -> Response:
    return _progress(request, state, user, ws, run_id)


@router.post("/pull")
def pull_now(request: Request, state: State, user: Editor, ws: Ws) -> Response:
    try:
        totals = state.runner.pull(ws.id)
    except START_ERRORS as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=str(error), status_code=409)
    except (IntacctError, PreflightError) as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=services.explain(error),
                    status_code=502)
    message = (f"Pulled {totals.values} values from Intacct: {totals.created} campaigns created, "
               f"{totals.deactivated} marked inactive.")
    return page(request, "console/_notice.html", user=user, workspace=ws, message=message)

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
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.sync import overview
from intacct_bridge.sync import queries as sync_queries
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.sync.pull import PreflightError
from intacct_bridge.web import queries, services
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.runner import RunnerBusy
from intacct_bridge.web.scheduler import read_schedules

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
START_ERRORS = (NotConfigured, RunLocked, RunnerBusy, StoreError, SecretKeyError)
BUSY = "A sync or pull is already running for this workspace: try again when it has finished (see Runs)."


def start_problem(state, ws, error: Exception) -> dict[str, str]:
    """Why a run could not start, in the console's words, with a link to the page that fixes it: a lock's
    process id and host are the operator's business (the CLI shows them), and a browser user is never told
    to run a command (`intacct-bridge connect`)."""
    if isinstance(error, RunLocked):
        return {"error": BUSY, "fix_url": f"{ws.base}/runs", "fix_label": "See the runs"}
    if isinstance(error, SecretKeyError):
        return {"error": "The stored Intacct password cannot be read with the server's current key: enter the "
                         "password again in Settings.", "fix_url": f"{ws.base}/settings", "fix_label": "Open Settings"}
    if isinstance(error, NotConfigured):
        with state.store.session() as session:
            connected = sync_queries.workspace_status(session, ws.id).connected
        if not connected:
            return {"error": "This workspace is not connected to Sage Intacct yet: enter its credentials in "
                             "Settings, then test the connection.", "fix_url": f"{ws.base}/settings",
                    "fix_label": "Open Settings"}
    return {"error": str(error)}


def _live_run(session, workspace_id: int):
    return next((r for r in sync_queries.list_runs(session, workspace_id, limit=5)
                 if r.status == RunStatus.RUNNING.value), None)


def _status(state, workspace_id: int):
    with state.store.session() as session:
        status = sync_queries.workspace_status(session, workspace_id)
        excluded = queries.excluded_unposted(session, workspace_id)
        live = _live_run(session, workspace_id)
    return status, live, excluded


def overview_of(state, workspace_id: int) -> dict:
    """The dashboard's totals, next scheduled sync and setup checklist (`sync.overview`)."""
    schedules = read_schedules(state.store, workspace_id)
    with state.store.session() as session:
        return {"totals": overview.posted_totals(session, workspace_id),
                "next_sync": overview.next_sync(schedules[0] if schedules else None),
                "steps": overview.checklist(session, workspace_id),
                "error_counts": error_queue.counts_by_class(session, workspace_id),
                "exclude_id": queries.exclude_campaign_id(session, workspace_id)}


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, state: State, user: User, ws: Ws) -> Response:
    status, live, excluded = _status(state, ws.id)
    return page(request, "console/dashboard.html", user=user, workspace=ws, status=status, excluded=excluded,
                live_run=live, progress=state.runner.progress(live.id) if live else None, nav="dashboard",
                **overview_of(state, ws.id))


@router.get("/status-panel", response_class=HTMLResponse)
def status_panel(request: Request, state: State, user: User, ws: Ws) -> Response:
    status, _, excluded = _status(state, ws.id)
    return page(request, "console/_status.html", user=user, workspace=ws, status=status, excluded=excluded,
                **overview_of(state, ws.id))


@router.post("/sync")
def sync_now(request: Request, state: State, user: Editor, ws: Ws,
             dry_run: Annotated[bool, Form()] = False) -> Response:
    note = None
    try:
        run_id = state.runner.start(ws.id, dry_run=dry_run, trigger="manual")
    except RunLocked:  # a run goes on: keep showing its progress, never who holds the lock
        with state.store.session() as session:
            live = _live_run(session, ws.id)
        if live is None:
            return page(request, "console/_notice.html", user=user, workspace=ws, status_code=409,
                        error=BUSY)
        run_id, note = live.id, f"Run #{live.id} is already running: it goes on below, wait for it to finish."
    except START_ERRORS as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, status_code=409,
                    **start_problem(state, ws, error))
    if run_id is None:  # queued for the workers: the run list shows it once one opens it
        return redirect(f"{ws.base}/runs")
    if request.headers.get("HX-Request") != "true":
        return redirect(f"{ws.base}/runs/{run_id}")
    return _progress(request, state, user, ws, run_id, controls=True, note=note)


def _progress(request: Request, state, user, ws, run_id: int, *, controls: bool = False,
              note: str | None = None) -> Response:
    with state.store.session() as session:
        run = queries.run_of_workspace(session, ws.id, run_id)
    finished = run.status != RunStatus.RUNNING.value
    response = page(request, "console/_run_progress.html", user=user, workspace=ws, run=run, controls=controls,
                    note=note, progress=state.runner.progress(run.id), finished=finished)
    if finished:
        response.headers["HX-Trigger"] = "run-finished"
    return response


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def run_progress(request: Request, state: State, user: User, ws: Ws, run_id: Annotated[int, Path(ge=1, le=2**31)],
                 controls: bool = False) -> Response:
    return _progress(request, state, user, ws, run_id, controls=controls)


@router.post("/pull")
def pull_now(request: Request, state: State, user: Editor, ws: Ws) -> Response:
    try:
        totals = state.runner.pull(ws.id)
    except START_ERRORS as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, status_code=409,
                    **start_problem(state, ws, error))
    except (IntacctError, PreflightError) as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=services.explain(error),
                    status_code=502)
    message = (f"Pulled {totals.values} values from Intacct: {totals.created} campaigns created, "
               f"{totals.deactivated} marked inactive.")
    return page(request, "console/_notice.html", user=user, workspace=ws, message=message)

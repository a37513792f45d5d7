"""The console's Reconcile page: compare what was posted with what Intacct holds now (changes nothing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from sqlalchemy import select

from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.store.models import ReconcileRun
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.sync.readback import reconcilable_kinds
from intacct_bridge.web import services
from intacct_bridge.web.console.render import State, Ws, page
from intacct_bridge.web.console.runs_page import RECORD_PATHS
from intacct_bridge.web.console.session import Editor, User

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
TEMPLATE = "console/reconcile.html"
RECORDED_TEMPLATE = "console/reconcile_recorded.html"


@router.get("/reconcile", response_class=HTMLResponse)
def reconcile_form(request: Request, state: State, user: User, ws: Ws) -> Response:
    return page(request, TEMPLATE, user=user, workspace=ws, nav="reconcile", report=None, since="",
                kinds=list(reconcilable_kinds()), chosen=[], paths=RECORD_PATHS,
                recorded=recorded_reconciliations(state, ws.id))


@router.get("/reconcile/runs/{reconcile_id}", response_class=HTMLResponse)
def recorded_reconciliation(request: Request, state: State, user: User, ws: Ws, reconcile_id: int) -> Response:
    """One reconciliation that ran by itself (daily or after a sync): where `reconcile.drift` links to."""
    with state.store.session() as session:
        row = session.get(ReconcileRun, reconcile_id)
        if row is None or row.workspace_id != ws.id:
            raise HTTPException(404, "no such reconciliation in this workspace")
        session.expunge(row)
    return page(request, RECORDED_TEMPLATE, user=user, workspace=ws, nav="reconcile", run=row, paths=RECORD_PATHS)


def recorded_reconciliations(state: Any, workspace_id: int, limit: int = 20) -> list[ReconcileRun]:
    with state.store.session() as session:
        rows = list(session.scalars(select(ReconcileRun).where(ReconcileRun.workspace_id == workspace_id)
                                    .order_by(ReconcileRun.id.desc()).limit(limit)))
        for row in rows:
            session.expunge(row)
    return rows


@router.post("/reconcile", response_class=HTMLResponse)
def reconcile_run(request: Request, state: State, user: Editor, ws: Ws,
                  since: Annotated[date | None, Form()] = None,
                  kinds: Annotated[list[str], Form(max_length=16)] = [],  # noqa: B006 (FastAPI copies defaults)
                  all_totals: Annotated[bool, Form()] = False) -> Response:
    """Read back now and show the report (an Editor: it signs in to Intacct and spends API transactions)."""
    values = dict(user=user, workspace=ws, nav="reconcile", since=since.isoformat() if since else "",
                  kinds=list(reconcilable_kinds()), chosen=kinds, paths=RECORD_PATHS,
                  recorded=recorded_reconciliations(state, ws.id))
    try:
        report = services.reconcile_workspace(state, ws.id, since=since, kinds=kinds or None)
    except (NotConfigured, ValueError) as error:
        return page(request, TEMPLATE, report=None, error=str(error), status_code=409, **values)
    except IntacctError as error:
        return page(request, TEMPLATE, report=None, error=services.explain(error), status_code=502, **values)
    return page(request, TEMPLATE, report=report, totals=report.totals_rows(only_different=not all_totals),
                all_totals=all_totals, **values)

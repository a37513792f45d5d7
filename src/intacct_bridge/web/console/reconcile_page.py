"""The console's Reconcile page: compare what was posted with what Intacct holds now (changes nothing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.sync.readback import reconcilable_kinds
from intacct_bridge.web import services
from intacct_bridge.web.console.render import State, Ws, page
from intacct_bridge.web.console.runs_page import RECORD_PATHS
from intacct_bridge.web.console.session import Editor, User

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
TEMPLATE = "console/reconcile.html"


@router.get("/reconcile", response_class=HTMLResponse)
def reconcile_form(request: Request, user: User, ws: Ws) -> Response:
    return page(request, TEMPLATE, user=user, workspace=ws, nav="reconcile", report=None, since="",
                kinds=list(reconcilable_kinds()), chosen=[], paths=RECORD_PATHS)


@router.post("/reconcile", response_class=HTMLResponse)
def reconcile_run(request: Request, state: State, user: Editor, ws: Ws,
                  since: Annotated[date | None, Form()] = None,
                  kinds: Annotated[list[str], Form(max_length=16)] = [],  # noqa: B006 (FastAPI copies defaults)
                  all_totals: Annotated[bool, Form()] = False) -> Response:
    """Read back now and show the report (an Editor: it signs in to Intacct and spends API transactions)."""
    values = dict(user=user, workspace=ws, nav="reconcile", since=since.isoformat() if since else "",
                  kinds=list(reconcilable_kinds()), chosen=kinds, paths=RECORD_PATHS)
    try:
        report = services.reconcile_workspace(state, ws.id, since=since, kinds=kinds or None)
    except (NotConfigured, ValueError) as error:
        return page(request, TEMPLATE, report=None, error=str(error), status_code=409, **values)
    except IntacctError as error:
        return page(request, TEMPLATE, report=None, error=services.explain(error), status_code=502, **values)
    return page(request, TEMPLATE, report=report, totals=report.totals_rows(only_different=not all_totals),
                all_totals=all_totals, **values)

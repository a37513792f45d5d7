"""Campaigns: every campaign with its category, side, Intacct value and use, active and inactive, filtered;
and "Add campaign" for the organization's own campaigns.

Accounts and dimension values are Sage Intacct's: they arrive with a pull, turn inactive (greyed here,
never offered by a picker) when Intacct retires them, and are not written to Intacct by this product
(no record kind creates them), so the page says where to create them instead.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.domain.dimension_values import creatable_specs
from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.repositories import dimension_values
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.store.repositories.campaigns import create_campaign, list_campaigns
from intacct_bridge.web import queries
from intacct_bridge.web.console.dashboard import START_ERRORS, start_problem
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.session import Editor, User

router = APIRouter(prefix="/w/{ws}/campaigns", include_in_schema=False)
PAGE = 200
STATES = {"all": None, "active": True, "inactive": False}


def _render(request: Request, state, user, ws, *, q: str = "", category: str = "", status: str = "all",
            offset: int = 0, status_code: int = 200, **extra) -> Response:
    with state.store.session() as session:
        rows = list_campaigns(session, ws.id, category=category or None, active=STATES.get(status),
                              search=q or None, limit=PAGE + 1, offset=offset)
        categories = queries.categories(session, ws.id)
        creatable = creatable_specs(load_sync_settings(session, ws.id))
        requested = dimension_values.requested_values(session, ws.id, limit=20)
    own = [c.name for c, _ in categories if not c.dimension and not c.system]
    return page(request, "console/campaigns.html", user=user, workspace=ws, nav="campaigns", rows=rows[:PAGE],
                more=len(rows) > PAGE, categories=categories, own=own, q=q, category=category, status=status,
                offset=offset, page_size=PAGE, creatable=creatable, requested=requested, status_code=status_code,
                **extra)


@router.get("", response_class=HTMLResponse)
def campaigns_page(request: Request, state: State, user: User, ws: Ws,
                   q: Annotated[str, Query(max_length=200)] = "", category: Annotated[str, Query(max_length=300)] = "",
                   status: Annotated[str, Query(pattern="^(all|active|inactive)$")] = "all",
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                   added: Annotated[str | None, Query(max_length=400)] = None) -> Response:
    notice = f"Added campaign {added}. Tag actions with it on the Actions page." if added else None
    return _render(request, state, user, ws, q=q.strip(), category=category, status=status, offset=offset,
                   notice=notice)


@router.post("")
def add_campaign(request: Request, state: State, user: Editor, ws: Ws,
                 name: Annotated[str, Form(max_length=300)], category: Annotated[str, Form(max_length=300)]) -> Response:
    try:
        with state.store.write_session() as session:
            campaign = create_campaign(session, ws.id, name, category)
            added = campaign.name
    except StoreError as error:
        return _render(request, state, user, ws, status_code=409, add_error=str(error),
                       typed={"name": name, "category": category})
    return redirect(f"{ws.base}/campaigns?{urlencode({'added': added, 'q': added})}")


@router.post("/intacct")
def create_in_intacct(request: Request, state: State, user: Editor, ws: Ws,
                      dimension: Annotated[str, Form(max_length=20)] = "",
                      value_id: Annotated[str, Form(max_length=100)] = "",
                      name: Annotated[str, Form(max_length=300)] = "") -> Response:
    """Store the value as an outbox record, then create it now with a one-record sync (else at the next sync)."""
    try:
        with state.store.write_session() as session:
            row_id = dimension_values.request_value(session, ws.id, dimension, value_id, name).id
    except StoreError as error:
        return _render(request, state, user, ws, status_code=409, value_error=str(error),
                       typed_value={"dimension": dimension, "value_id": value_id, "name": name})
    try:
        run_id = state.runner.start(ws.id, trigger="manual", record=("dimension_value", row_id))
    except START_ERRORS as error:
        problem = start_problem(state, ws, error)
        return _render(request, state, user, ws, notice=f"Saved: {value_id.strip()} is created in Sage Intacct at the "
                                                        f"next sync. It could not start now: {problem['error']}")
    return redirect(f"{ws.base}/runs/{run_id}" if run_id is not None else f"{ws.base}/runs")

"""Entities and reference data: a multi-entity company's entities with the values each owns, the journals,
AR terms and tax details settings offer, and Pull from Intacct."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.crypto import SecretKeyError
from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.repositories import reference
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.web import services
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.session import Editor, User

router = APIRouter(prefix="/w/{ws}/entities", include_in_schema=False)
LISTS = (("journals", "Journals"), ("ar-terms", "AR terms"), ("tax-details", "Tax details"))


def _render(request: Request, state, user, ws, *, entity: str | None = None, status_code: int = 200,
            **extra) -> Response:
    with state.store.session() as session:
        entities = reference.entity_summaries(session, ws.id)
        chosen = reference.get_entity(session, ws.id, entity) if entity else None
        owned = reference.owned_values(session, ws.id, entity) if entity else []
        lists = [(label, reference.pulled(session, ws.id, reference.LISTS[key])) for key, label in LISTS]
        settings = services.current_settings(session, ws.id)
    return page(request, "console/entities.html", user=user, workspace=ws, nav="entities", entities=entities,
                chosen=chosen, owned=owned, lists=lists, settings=settings, status_code=status_code, **extra)


@router.get("", response_class=HTMLResponse)
def entities_page(request: Request, state: State, user: User, ws: Ws,
                  entity: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    return _render(request, state, user, ws, entity=entity or None)


@router.post("/pull", response_class=HTMLResponse)
def pull_reference(request: Request, state: State, user: Editor, ws: Ws,
                   back: Annotated[str, Form(max_length=300)] = "") -> Response:
    """Pull the reference data; from Settings' "Pull now" (`back`), return there with the lists filled."""
    try:
        pulled = state.runner.pull_reference(ws.id)
    except (NotConfigured, StoreError, SecretKeyError) as error:
        return _render(request, state, user, ws, error=str(error), status_code=409)
    except IntacctError as error:
        return _render(request, state, user, ws, error=services.explain(error), status_code=502)
    if back == "settings":
        return redirect(f"{ws.base}/settings?saved=pulled")
    return _render(request, state, user, ws, notice=f"Pulled from Intacct: {pulled.describe()}.")

"""The console's Errors page (the error queue grouped by class, each with its fix; bulk retry or resolve)
and Settings → Notifications (recipients, webhook with a write-only secret, events, the delivery log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import SecretStr

from intacct_bridge.api_queue import selection
from intacct_bridge.domain.error_classes import FIXES, LABELS, ErrorClass
from intacct_bridge.notifications.events import EVENTS
from intacct_bridge.store.errors import NotFound, StoreError
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories.error_queue import Selection
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.store.repositories import notifications as notification_store
from intacct_bridge.store.repositories.csv_exports import errors_csv
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.csv_response import streamed_csv
from intacct_bridge.web.list_params import PAGE_SIZES, ErrorQuery, Paging, error_paging, error_query
from intacct_bridge.web.console.runs_page import RECORD_PATHS
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.runner import RunnerBusy

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
PAGE_SIZE = 500
NOTICES = {"retried": "Released: the records are sent again by the run started now.",
           "released": "Released: the next run sends them again.",
           "resolved": "Resolved: no run sends these records until they are retried.",
           "saved": "Notification settings saved."}


def _chosen(query: ErrorQuery) -> Selection:
    try:
        return selection(None, [query.error_class] if query.error_class else [], [query.kind] if query.kind else [])
    except ValueError as exc:
        raise NotFound(str(exc)) from None


@router.get("/errors", response_class=HTMLResponse)
def errors_list(request: Request, state: State, user: User, ws: Ws,
                query: Annotated[ErrorQuery, Depends(error_query)],
                paging: Annotated[Paging, Depends(error_paging)], done: str | None = None) -> Response:
    chosen = _chosen(query)
    with state.store.session() as session:
        updated_from, updated_to = query.days(load_sync_settings(session, ws.id).zone())
        filters = {"classes": chosen.classes, "record_kinds": chosen.record_kinds, "state": query.state,
                   "updated_from": updated_from, "updated_to": updated_to}
        items = error_queue.list_errors(session, ws.id, **filters, limit=paging.size, offset=paging.offset,
                                        sort=paging.sort, descending=paging.descending)
        total = error_queue.count_errors(session, ws.id, **filters)
        counts = error_queue.counts_by_class(session, ws.id)
    params = {**query.params(), "sort": paging.sort, "dir": paging.direction, "size": str(paging.size)}
    groups = [(c, LABELS[c], FIXES[c], [i for i in items if i.error_class == c.value]) for c in ErrorClass]
    return page(request, "console/errors.html", user=user, workspace=ws, nav="errors",
                groups=[g for g in groups if g[3]], counts=counts, labels=LABELS, classes=list(ErrorClass),
                query=query, paths=RECORD_PATHS, notice=NOTICES.get(done or ""), total=total, paging=paging,
                window=paging.window(total, len(items)), params=params,
                sizes=tuple(s for s in PAGE_SIZES if s <= PAGE_SIZE))


@router.get("/errors.csv")
def errors_export(state: State, user: User, ws: Ws, query: Annotated[ErrorQuery, Depends(error_query)],
                  paging: Annotated[Paging, Depends(error_paging)]) -> Response:
    """The errors the page shows (with its filters and order, every page), as CSV, streamed."""
    chosen = _chosen(query)
    with state.store.session() as session:
        updated_from, updated_to = query.days(load_sync_settings(session, ws.id).zone())
    return streamed_csv(state.store, f"errors-{ws.slug}.csv", lambda session: errors_csv(
        session, ws.id, classes=chosen.classes, record_kinds=chosen.record_kinds, state=query.state,
        updated_from=updated_from, updated_to=updated_to, sort=paging.sort, descending=paging.descending))


@router.post("/errors")
def errors_bulk(request: Request, state: State, user: Editor, ws: Ws,
                op: Annotated[str, Form(pattern="^(retry|resolve)$")],
                error_ids: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
                reason: Annotated[str, Form(max_length=2000)] = "",
                sync: Annotated[bool, Form()] = False) -> Response:
    if not error_ids:
        return page(request, "console/_notice.html", user=user, workspace=ws, status_code=422,
                    error="Select at least one error first.")
    try:
        with state.store.write_session() as session:
            if op == "retry":
                error_queue.retry(session, ws.id, error_queue.Selection(error_ids))
            else:
                error_queue.resolve(session, ws.id, error_queue.Selection(error_ids), reason=reason,
                                    by=f"console:{user.username}")
        if op == "retry" and sync:
            run_id = state.runner.start(ws.id, trigger="retry")
            return redirect(f"{ws.base}/runs/{run_id}")
    except (StoreError, RunnerBusy) as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=str(error), status_code=409)
    return redirect(f"{ws.base}/errors?done={'released' if op == 'retry' else 'resolved'}")


@router.get("/settings/notifications", response_class=HTMLResponse)
def notifications_form(request: Request, state: State, user: User, ws: Ws, done: str | None = None) -> Response:
    with state.store.session() as session:
        config = notification_store.load_config(session, ws.id)
        deliveries = [notification_store.delivery_dict(r)
                      for r in notification_store.list_deliveries(session, ws.id, limit=50)]
    return page(request, "console/notifications.html", user=user, workspace=ws, nav="settings", config=config,
                events=EVENTS, deliveries=deliveries, notice=NOTICES.get(done or ""))


@router.post("/settings/notifications")
def notifications_save(request: Request, state: State, user: Editor, ws: Ws,
                       email_recipients: Annotated[str, Form(max_length=4000)] = "",
                       webhook_url: Annotated[str, Form(max_length=2000)] = "",
                       webhook_secret: Annotated[str, Form(max_length=500)] = "",
                       events: Annotated[list[str], Form()] = [],  # noqa: B006
                       clear_webhook: Annotated[bool, Form()] = False) -> Response:
    recipients = [r for r in email_recipients.replace(",", "\n").splitlines() if r.strip()]
    change = notification_store.NotificationChange(
        recipients, webhook_url or None, SecretStr(webhook_secret) if webhook_secret else None,
        events if set(events) != set(EVENTS) else [], clear_webhook)
    try:
        with state.store.write_session() as session:
            notification_store.save_config(session, ws.id, change, state.box,
                                           allow_private=state.operator.webhook_allow_private)
    except StoreError as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=str(error), status_code=409)
    return redirect(f"{ws.base}/settings/notifications?done=saved")

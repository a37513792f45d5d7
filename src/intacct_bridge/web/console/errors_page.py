"""The console's Errors page (the error queue grouped by class, each with its fix; bulk retry or resolve)
and Settings → Notifications (recipients, webhook with a write-only secret, events, the delivery log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import SecretStr

from intacct_bridge.api_queue import selection
from intacct_bridge.domain.error_classes import FIXES, LABELS, ErrorClass
from intacct_bridge.notifications.events import EVENTS
from intacct_bridge.store.errors import NotFound, StoreError
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories import notifications as notification_store
from intacct_bridge.store.repositories.csv_exports import errors_csv
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.csv_response import streamed_csv
from intacct_bridge.web.list_params import PAGE_SIZES, Paging
from intacct_bridge.web.console.runs_page import RECORD_PATHS
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.runner import RunnerBusy

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
PAGE_SIZE = 500
NOTICES = {"retried": "Released: the records are sent again by the run started now.",
           "released": "Released: the next run sends them again.",
           "resolved": "Resolved: no run sends these records until they are retried.",
           "saved": "Notification settings saved."}


@router.get("/errors", response_class=HTMLResponse)
def errors_list(request: Request, state: State, user: User, ws: Ws,
                error_class: Annotated[str, Query(alias="class", max_length=32)] = "",
                kind: Annotated[str, Query(max_length=32)] = "",
                state_filter: Annotated[str, Query(alias="state", pattern="^(open|resolved|all)$")] = "open",
                size: Annotated[int, Query(ge=1, le=PAGE_SIZE)] = 100,
                page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
                done: str | None = None) -> Response:
    try:
        chosen = selection(None, [error_class] if error_class else [], [kind] if kind else [])
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    paging = Paging("id", "asc", size, page_number)
    with state.store.session() as session:
        items = error_queue.list_errors(session, ws.id, classes=chosen.classes, record_kinds=chosen.record_kinds,
                                        state=state_filter, limit=paging.size, offset=paging.offset)
        total = error_queue.count_errors(session, ws.id, classes=chosen.classes, record_kinds=chosen.record_kinds,
                                         state=state_filter)
        counts = error_queue.counts_by_class(session, ws.id)
    params = {k: v for k, v in {"class": error_class, "kind": kind, "state": state_filter,
                                "size": str(size)}.items() if v}
    groups = [(c, LABELS[c], FIXES[c], [i for i in items if i.error_class == c.value]) for c in ErrorClass]
    return page(request, "console/errors.html", user=user, workspace=ws, nav="errors",
                groups=[g for g in groups if g[3]], counts=counts, labels=LABELS, classes=list(ErrorClass),
                chosen_class=error_class, chosen_kind=kind, state_filter=state_filter, paths=RECORD_PATHS,
                notice=NOTICES.get(done or ""), total=total, paging=paging, window=paging.window(total, len(items)),
                params=params, sizes=tuple(s for s in PAGE_SIZES if s <= PAGE_SIZE))


@router.get("/errors.csv")
def errors_export(state: State, user: User, ws: Ws,
                  error_class: Annotated[str, Query(alias="class", max_length=32)] = "",
                  kind: Annotated[str, Query(max_length=32)] = "",
                  state_filter: Annotated[str, Query(alias="state", pattern="^(open|resolved|all)$")] = "open"
                  ) -> Response:
    """The errors the page shows (with its filters), as CSV, streamed."""
    try:
        chosen = selection(None, [error_class] if error_class else [], [kind] if kind else [])
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    return streamed_csv(state.store, f"errors-{ws.slug}.csv", lambda session: errors_csv(
        session, ws.id, classes=chosen.classes, record_kinds=chosen.record_kinds, state=state_filter))


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

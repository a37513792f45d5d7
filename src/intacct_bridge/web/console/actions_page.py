"""Actions: a searchable, paged table; campaigns applied or removed on one or many; the review queue.

Campaign pickers are filtered by category and side: changing either select asks
the server (htmx) for the matching options, and the page still works without
JavaScript (the full list is rendered first).
"""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.store.repositories.posted_changes import versions
from intacct_bridge.domain.intake import format_of, read_rows
from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.domain.vocabulary import NEEDS_REVIEW_CAMPAIGN, ActionStatus
from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.repositories.actions import count_actions, list_review, sorted_actions, tag_actions
from intacct_bridge.store.repositories import posted_view
from intacct_bridge.store.repositories.csv_exports import actions_csv
from intacct_bridge.store.repositories.campaigns import list_campaigns
from intacct_bridge.store.repositories.intake import ImportRejected, import_actions
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.sync.skip_status import skip_now
from intacct_bridge.web import queries
from intacct_bridge.web.console.dashboard import START_ERRORS, start_problem
from intacct_bridge.web.console.render import State, Ws, page, redirect, same_site_path
from intacct_bridge.web.csv_response import streamed_csv
from intacct_bridge.web.list_params import PAGE_SIZES, ActionQuery, Paging, action_paging, action_query
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.console.uploads import (
    UploadRefused,
    import_error,
    import_result,
    template_download,
    upload_text,
)

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
PAGE_SIZE = 50
Op = Literal["add", "remove"]
NOTICES = {"tagged": "Campaigns updated."}
ActionId = Annotated[int, Path(ge=1, le=2**31)]


def picker(state, workspace_id: int, category: str | None = None, side: str | None = None) -> dict:
    """What a campaign picker shows: categories, and the active campaigns of the chosen category and side."""
    with state.store.session() as session:
        categories = [c for c, n in queries.categories(session, workspace_id) if n]
        rows = list_campaigns(session, workspace_id, category=category or None, active=True)
    options = [r for r in rows if (not side or r.campaign.side == side) and r.campaign.name != NEEDS_REVIEW_CAMPAIGN]
    return {"categories": categories, "options": options, "category": category or "", "side": side or ""}


@router.get("/campaign-options", response_class=HTMLResponse)
def campaign_options(request: Request, state: State, user: User, ws: Ws,
                     category: Annotated[str, Query(max_length=300)] = "",
                     side: Annotated[str, Query(max_length=2)] = "") -> Response:
    return page(request, "console/_campaign_options.html", user=user, workspace=ws,
                picker=picker(state, ws.id, category, side))


@router.get("/actions", response_class=HTMLResponse)
def actions_table(request: Request, state: State, user: User, ws: Ws,
                  chosen: Annotated[ActionQuery, Depends(action_query)],
                  paging: Annotated[Paging, Depends(action_paging)],
                  done: str | None = None, created: Annotated[int, Query(ge=0)] = 0,
                  updated: Annotated[int, Query(ge=0)] = 0, unchanged: Annotated[int, Query(ge=0)] = 0) -> Response:
    notice = NOTICES.get(done or "")
    if done == "imported":
        notice = f"Imported: {created} created, {updated} updated, {unchanged} unchanged."
    with state.store.session() as session:
        filters = chosen.filters(load_sync_settings(session, ws.id).zone())
        rows = list(sorted_actions(session, ws.id, filters, sort=paging.sort, descending=paging.descending,
                                   offset=paging.offset, limit=paging.size))
        total = count_actions(session, ws.id, filters)
        reasons = queries.review_reasons(session, [a.id for a in rows])
        types = queries.action_types(session, ws.id)
    return page(request, "console/actions.html", user=user, workspace=ws, nav="actions", rows=rows,
                reasons=reasons, chosen=chosen, paging=paging, window=paging.window(total, len(rows)),
                params={**chosen.params(), "sort": paging.sort, "dir": paging.direction, "size": str(paging.size)},
                statuses=list(ActionStatus), types=types, sizes=PAGE_SIZES, picker=picker(state, ws.id),
                notice=notice)


@router.get("/actions.csv")
def actions_export(state: State, user: User, ws: Ws, chosen: Annotated[ActionQuery, Depends(action_query)],
                   paging: Annotated[Paging, Depends(action_paging)]) -> Response:
    """Every action the list shows (all pages), as CSV, streamed."""
    return streamed_csv(state.store, f"actions-{ws.slug}.csv", lambda session: actions_csv(
        session, ws.id, chosen.filters(load_sync_settings(session, ws.id).zone()), sort=paging.sort,
        descending=paging.descending))


@router.get("/actions/template.csv")
def import_template(user: User, ws: Ws) -> Response:
    return template_download(RecordKind.JOURNAL_ENTRY, "actions")


@router.post("/actions/import")
def import_csv(request: Request, state: State, user: Editor, ws: Ws, file: UploadFile,
               format: Annotated[str, Form(max_length=8)] = "",
               preview: Annotated[str, Form(max_length=8)] = "") -> Response:
    """A CSV or JSON-lines file of actions, all rows or none; `preview` checks every row and keeps nothing."""
    file_format = format_of(file.filename or "", format or None) or "csv"
    shown = dict(file_name=file.filename or "the file", template_url=f"{ws.base}/actions/template.csv",
                 noun="actions", preview=bool(preview))
    try:
        text = upload_text(file)
        with state.store.write_session() as session:
            zone = load_sync_settings(session, ws.id).zone()
            before = queries.last_action_id(session, ws.id)
            result = import_actions(session, ws.id, read_rows(io.StringIO(text, newline=""), file_format), zone)
            if preview:
                session.rollback()
    except UploadRefused as refused:
        return import_error(request, user, ws, [str(refused)])
    except ImportRejected as rejected:
        return import_result(request, user, ws, rejected=rejected, **shown)
    if preview:
        return import_result(request, user, ws, result=result, **shown)
    # The list opens at the first new action (after every action that was there before the import).
    start = f"&after={before}" if result.created else ""
    return redirect(f"{ws.base}/actions?done=imported&created={result.created}&updated={result.updated}"
                    f"&unchanged={result.unchanged}{start}")


@router.post("/actions/campaigns")
def tag_many(request: Request, state: State, user: Editor, ws: Ws, op: Annotated[Op, Form()],
             campaign_id: Annotated[int, Form(ge=1, le=2**31)],
             action_ids: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
             back: Annotated[str, Form(max_length=2000)] = "") -> Response:
    if not action_ids:
        return page(request, "console/_notice.html", user=user, workspace=ws, status_code=422,
                    error="Select at least one action first.")
    try:
        with state.store.write_session() as session:
            _tag(session, ws.id, action_ids, op, campaign_id)
    except StoreError as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=str(error), status_code=409)
    return redirect(_back(back, f"{ws.base}/actions") + "done=tagged")


def _tag(session, workspace_id: int, action_ids: list[int], op: str, campaign_id: int) -> None:
    actions = queries.actions_by_ids(session, workspace_id, action_ids)
    campaign = queries.campaigns_by_ids(session, workspace_id, [campaign_id]).get(campaign_id)
    if campaign is None:
        raise StoreError(f"no campaign {campaign_id} in this workspace")
    if op == "add":
        tag_actions(session, workspace_id, actions, add=[campaign])
    else:
        tag_actions(session, workspace_id, actions, remove=[campaign])


def _back(back: str, default: str) -> str:
    """A same-site path to return to, ready for one more query parameter."""
    target = same_site_path(back, default)
    return target + ("&" if "?" in target else "?")


@router.get("/actions/{action_id}", response_class=HTMLResponse)
def action_detail(request: Request, state: State, user: User, ws: Ws, action_id: ActionId,
                  category: Annotated[str, Query(max_length=300)] = "", side: Annotated[str, Query(max_length=2)] = "",
                  done: str | None = None) -> Response:
    with state.store.session() as session:
        action = queries.get_action_by_id(session, ws.id, action_id)
        reasons = queries.review_reasons(session, [action.id]).get(action.id)
        campaigns = sorted(action.campaigns, key=lambda c: (c.category.name, c.name))
        constituent = action.constituent
        written = versions(session, ws.id, action.id)
        posted = posted_view.posted_entries(session, ws.id, "journal_entry", action.id,
                                            state.operator.record_url_template)
        previews = posted_view.dry_runs(session, ws.id, "journal_entry", action.id)
        skipped = skip_now(session, ws.id, action)
    return page(request, "console/action.html", user=user, workspace=ws, nav="actions", action=action,
                campaigns=campaigns, constituent=constituent, reasons=reasons, versions=written, posted=posted,
                previews=previews, skipped=skipped,
                picker=picker(state, ws.id, category, side), notice=NOTICES.get(done or ""))


@router.post("/actions/{action_id}/campaigns")
def tag_one(request: Request, state: State, user: Editor, ws: Ws, action_id: ActionId, op: Annotated[Op, Form()],
            campaign_id: Annotated[int, Form(ge=1, le=2**31)]) -> Response:
    try:
        with state.store.write_session() as session:
            _tag(session, ws.id, [action_id], op, campaign_id)
    except StoreError as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, error=str(error), status_code=409)
    return redirect(f"{ws.base}/actions/{action_id}?done=tagged")


@router.post("/actions/{action_id}/sync")
def sync_one(request: Request, state: State, user: Editor, ws: Ws, action_id: ActionId) -> Response:
    try:
        with state.store.session() as session:
            queries.get_action_by_id(session, ws.id, action_id)
        run_id = state.runner.start(ws.id, action_id=action_id, trigger="action")
    except START_ERRORS as error:
        return page(request, "console/_notice.html", user=user, workspace=ws, status_code=409,
                    **start_problem(state, ws, error))
    return redirect(f"{ws.base}/runs" if run_id is None else f"{ws.base}/runs/{run_id}")


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, state: State, user: User, ws: Ws,
                 after: Annotated[int, Query(ge=0, le=2**62)] = 0) -> Response:
    with state.store.session() as session:
        items = list(list_review(session, ws.id, limit=PAGE_SIZE, after_id=after))
    return page(request, "console/review.html", user=user, workspace=ws, nav="review", items=items,
                next_after=items[-1].action.id if len(items) == PAGE_SIZE else None)

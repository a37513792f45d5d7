"""The console's Summaries pages: summary entries (summary posting), their lines and the actions they hold."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.store.repositories.summaries import get_summary, list_summaries
from intacct_bridge.web.console.render import State, Ws, page
from intacct_bridge.web.console.session import User

router = APIRouter(prefix="/w/{ws}/summaries", include_in_schema=False)
PAGE_SIZE = 50


@router.get("", response_class=HTMLResponse)
def summaries_list(request: Request, state: State, user: User, ws: Ws,
                   after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                   status: Annotated[str, Query(pattern="^(|unposted|posted|failed|dissolved)$")] = "") -> Response:
    with state.store.session() as session:
        rows = list_summaries(session, ws.id, status=status or None, after_id=after, limit=PAGE_SIZE)
    return page(request, "console/summaries.html", user=user, workspace=ws, nav="summaries", summaries=rows,
                status=status, next_after=rows[-1].id if len(rows) == PAGE_SIZE else None)


@router.get("/{summary_id}", response_class=HTMLResponse)
def summary_detail(request: Request, state: State, user: User, ws: Ws,
                   summary_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    with state.store.session() as session:
        info = get_summary(session, ws.id, summary_id)
    return page(request, "console/summary.html", user=user, workspace=ws, nav="summaries", summary=info)

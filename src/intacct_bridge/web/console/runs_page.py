"""Runs: the history, and one run with every record's outcome and Intacct's message (live while running)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.sync.queries import outcome_counts
from intacct_bridge.store.repositories.csv_exports import runs_csv
from intacct_bridge.store.repositories.runs import count_runs, sorted_runs
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.web import queries
from intacct_bridge.web.csv_response import streamed_csv
from intacct_bridge.web.list_params import PAGE_SIZES, Paging, RunQuery, run_paging, run_query
from intacct_bridge.web.console.receivables_pages import PAGES
from intacct_bridge.web.console.render import State, Ws, page
from intacct_bridge.web.console.session import User
from intacct_bridge.web.receivables_queries import run_log

router = APIRouter(prefix="/w/{ws}/runs", include_in_schema=False)
ITEMS_PAGE = 200
TRIGGERS = ("manual", "schedule", "api", "action", "record", "retry", "queue")
# Where each kind's records are shown, by the kind's name in the run log.
RECORD_PATHS = {"journal_entry": "actions", "journal_summary": "summaries", **{kind.value: spec.slug for kind, spec in PAGES.items()}}


@router.get("", response_class=HTMLResponse)
def runs_list(request: Request, state: State, user: User, ws: Ws, chosen: Annotated[RunQuery, Depends(run_query)],
              paging: Annotated[Paging, Depends(run_paging)]) -> Response:
    with state.store.session() as session:
        filters = chosen.filters(load_sync_settings(session, ws.id).zone())
        runs = list(sorted_runs(session, ws.id, filters, sort=paging.sort, descending=paging.descending,
                                offset=paging.offset, limit=paging.size))
        total = count_runs(session, ws.id, filters)
    return page(request, "console/runs.html", user=user, workspace=ws, nav="runs", runs=runs, chosen=chosen,
                paging=paging, window=paging.window(total, len(runs)), sizes=PAGE_SIZES,
                statuses=list(RunStatus), triggers=TRIGGERS,
                params={**chosen.params(), "sort": paging.sort, "dir": paging.direction, "size": str(paging.size)})


@router.get(".csv")
def runs_export(state: State, user: User, ws: Ws, chosen: Annotated[RunQuery, Depends(run_query)],
                paging: Annotated[Paging, Depends(run_paging)]) -> Response:
    """Every run the list shows (all pages), as CSV, streamed."""
    return streamed_csv(state.store, f"runs-{ws.slug}.csv", lambda session: runs_csv(
        session, ws.id, chosen.filters(load_sync_settings(session, ws.id).zone()), sort=paging.sort,
        descending=paging.descending))


@router.get("/{run_id}", response_class=HTMLResponse)
def run_detail(request: Request, state: State, user: User, ws: Ws, run_id: Annotated[int, Path(ge=1, le=2**31)],
               outcome: Annotated[str, Query(max_length=32)] = "",
               after: Annotated[int, Query(ge=0, le=2**62)] = 0) -> Response:
    with state.store.session() as session:
        run = queries.run_of_workspace(session, ws.id, run_id)
        items = run_log(session, run.id, after_id=after, limit=ITEMS_PAGE, outcome=outcome or None)
        counts = outcome_counts(session, run.id)
    return page(request, "console/run.html", user=user, workspace=ws, nav="runs", run=run, items=items,
                counts=counts, outcome=outcome, running=run.status == RunStatus.RUNNING.value,
                progress=state.runner.progress(run.id),
                paths=RECORD_PATHS, next_after=items[-1].item_id if len(items) == ITEMS_PAGE else None)

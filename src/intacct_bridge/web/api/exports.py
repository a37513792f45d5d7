"""CSV exports of actions, runs and errors with the lists' filters and sort, streamed (any size, flat memory).

The filters are the console's (`web.list_params`): days in the workspace's time zone, amounts
with both ends included; a client can page through JSON with the list endpoints instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import StreamingResponse

from intacct_bridge.api_queue import selection
from intacct_bridge.domain.error_classes import ErrorClass
from intacct_bridge.store.repositories.csv_exports import actions_csv, errors_csv, runs_csv
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.web.api.deps import State, WorkspaceId
from intacct_bridge.web.csv_response import streamed_csv
from intacct_bridge.web.list_params import ActionQuery, Paging, RunQuery, action_paging, action_query, run_paging, run_query

router = APIRouter(prefix="/workspaces/{workspace}", tags=["exports"])
CSV = {200: {"content": {"text/csv": {}}, "description": "CSV with a header row (UTF-8 with a BOM)"}}


@router.get("/actions.csv", summary="Every action matching the filters, as CSV", responses=CSV,
            response_class=StreamingResponse)
def export_actions(workspace_id: WorkspaceId, state: State, chosen: Annotated[ActionQuery, Depends(action_query)],
                   paging: Annotated[Paging, Depends(action_paging)]) -> StreamingResponse:
    return streamed_csv(state.store, "actions.csv", lambda session: actions_csv(
        session, workspace_id, chosen.filters(load_sync_settings(session, workspace_id).zone()), sort=paging.sort,
        descending=paging.descending))


@router.get("/runs.csv", summary="Every run matching the filters, as CSV", responses=CSV,
            response_class=StreamingResponse)
def export_runs(workspace_id: WorkspaceId, state: State, chosen: Annotated[RunQuery, Depends(run_query)],
                paging: Annotated[Paging, Depends(run_paging)]) -> StreamingResponse:
    return streamed_csv(state.store, "runs.csv", lambda session: runs_csv(
        session, workspace_id, chosen.filters(load_sync_settings(session, workspace_id).zone()), sort=paging.sort,
        descending=paging.descending))


@router.get("/errors.csv", summary="The error queue's records matching the filters, as CSV", responses=CSV,
            response_class=StreamingResponse)
def export_errors(workspace_id: WorkspaceId, state: State,
                  error_class: Annotated[list[ErrorClass] | None, Query(alias="class")] = None,
                  kind: Annotated[list[str] | None, Query(max_length=16)] = None,
                  error_state: Annotated[str, Query(alias="state", pattern="^(open|resolved|all)$")] = "open",
                  ) -> StreamingResponse:
    try:
        chosen = selection(None, error_class or [], kind or [])
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return streamed_csv(state.store, "errors.csv", lambda session: errors_csv(
        session, workspace_id, classes=chosen.classes, record_kinds=chosen.record_kinds, state=error_state))

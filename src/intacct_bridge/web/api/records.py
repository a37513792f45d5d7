"""Constituents and actions: create one, bulk upsert by external id, list by cursor, get, tag, delete."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import Select, select

from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.errors import NotFound
from intacct_bridge.store.models import Action
from intacct_bridge.store.repositories.actions import ActionFilter, list_actions, tag_actions
from intacct_bridge.store.repositories.campaigns import CampaignResolver
from intacct_bridge.store.repositories.posted_changes import versions
from intacct_bridge.web import queries
from intacct_bridge.web.api.bulk import PreviewFlag, run_bulk
from intacct_bridge.web.api.convert import action_out, constituent_out
from intacct_bridge.web.api.deps import PathId, ReadSession, WorkspaceId, WriteSession
from intacct_bridge.web.api.intake import upsert_actions
from intacct_bridge.web.api.pagination import Cursor, Limit, decode_cursor, next_cursor
from intacct_bridge.web.api.schemas_records import (
    ActionBulk,
    ActionIn,
    ActionOut,
    BulkCampaignChange,
    CampaignChange,
    ConstituentBulk,
    ConstituentIn,
    ConstituentOut,
    Page,
    TagOutcome,
    UpsertResult,
    VersionOut,
)
from intacct_bridge.web.api.types import MAX_YEAR, MIN_YEAR, CampaignRef

router = APIRouter(prefix="/workspaces/{workspace}", tags=["constituents and actions"])


def _rows(items: list[ConstituentIn]) -> list[queries.ConstituentRow]:
    return [queries.ConstituentRow(c.external_id, c.name, c.email) for c in items]


@router.post("/constituents", summary="Create or update one constituent by external id")
def put_constituent(body: ConstituentIn, workspace_id: WorkspaceId, session: WriteSession,
                    response: Response) -> UpsertResult:
    counts = queries.upsert_constituents(session, workspace_id, _rows([body]))
    response.status_code = 201 if counts.created else 200
    return UpsertResult(**vars(counts))


@router.post("/constituents/bulk", summary="Upsert up to 10,000 constituents, all or nothing")
def bulk_constituents(body: ConstituentBulk, workspace_id: WorkspaceId, session: WriteSession) -> UpsertResult:
    return UpsertResult(**vars(queries.upsert_constituents(session, workspace_id, _rows(body.constituents))))


@router.get("/constituents", summary="List constituents")
def list_all_constituents(workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100, cursor: Cursor = None,
                          search: Annotated[str | None, Query(max_length=200)] = None) -> Page[ConstituentOut]:
    rows = queries.list_constituents(session, workspace_id, search=search, after_id=decode_cursor(cursor) or 0,
                                     limit=limit)
    return Page[ConstituentOut](items=[constituent_out(c) for c in rows],
                                next_cursor=next_cursor([c.id for c in rows], limit))


@router.get("/constituents/{constituent_id}", summary="One constituent")
def get_constituent(constituent_id: PathId, workspace_id: WorkspaceId, session: ReadSession) -> ConstituentOut:
    return constituent_out(queries.get_constituent(session, workspace_id, constituent_id))


def _one_action(session, workspace_id: int, action_id: int) -> ActionOut:
    action = queries.get_action_by_id(session, workspace_id, action_id)
    return action_out(action, queries.review_reasons(session, [action.id]).get(action.id))


def _by_external_id(workspace_id: int, external_id: str) -> Select[tuple[Action]]:
    return select(Action).where(Action.workspace_id == workspace_id, Action.external_id == external_id)


@router.get("/actions/{action_id}/versions", summary="Every version of an action and every reversal, each posted once")
def action_versions(action_id: PathId, workspace_id: WorkspaceId, session: ReadSession) -> list[VersionOut]:
    queries.get_action_by_id(session, workspace_id, action_id)   # 404 for another workspace's or a missing one
    return [VersionOut(**v) for v in versions(session, workspace_id, action_id)]


@router.post("/actions", summary="Create or update one action by external id")
def put_action(body: ActionIn, workspace_id: WorkspaceId, session: WriteSession, response: Response) -> ActionOut:
    result = upsert_actions(session, workspace_id, [(0, body)])
    response.status_code = 201 if result.created else 200
    action = session.scalars(_by_external_id(workspace_id, body.external_id)).one()
    return action_out(action, queries.review_reasons(session, [action.id]).get(action.id))


@router.post("/actions/bulk", summary="Upsert up to 10,000 actions by external id, all or nothing (idempotent)",
             description="Every problem of every action is answered at once (422, by index and field), whatever "
                         "its kind: form, unknown campaigns, duplicates, posted actions that may no longer change. "
                         "`?preview=true` checks them all and writes nothing.")
def bulk_actions(body: ActionBulk, workspace_id: WorkspaceId, session: WriteSession,
                 preview: PreviewFlag = False) -> UpsertResult:
    result = run_bulk(session, "actions", body.actions,
                      lambda actions: upsert_actions(session, workspace_id, actions), preview=preview)
    return UpsertResult(created=result.created, updated=result.updated, unchanged=result.unchanged)


Moment = Annotated[datetime | None, Query()]


@router.get("/actions", summary="List actions with filters")
def list_all_actions(
    workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100, cursor: Cursor = None,
    status: ActionStatus | None = None,
    type: Annotated[str | None, Query(max_length=100)] = None,
    campaign_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    needs_review: bool | None = None,
    created_from: Moment = None, created_to: Moment = None,
    search: Annotated[str | None, Query(max_length=200, description="In external id, summary, constituent.")] = None,
    external_id: Annotated[str | None, Query(max_length=200)] = None,
    happened_from: Moment = None, happened_to: Moment = None,
    amount_min: Annotated[Decimal | None, Query(ge=Decimal("-1e15"), le=Decimal("1e15"))] = None,
    amount_max: Annotated[Decimal | None, Query(ge=Decimal("-1e15"), le=Decimal("1e15"))] = None,
) -> Page[ActionOut]:
    filters = ActionFilter(status=status, type=type, campaign_id=campaign_id, flagged=needs_review,
                           created_from=_aware(created_from), created_to=_aware(created_to), search=search,
                           happened_from=_aware(happened_from), happened_to=_aware(happened_to),
                           amount_min=amount_min, amount_max=amount_max)
    after_id = decode_cursor(cursor) or 0
    if external_id is not None:  # unique in the workspace: one page, the cursor only says whether it was seen
        rows = list(session.scalars(_by_external_id(workspace_id, external_id).where(Action.id > after_id)))
    else:
        rows = list(list_actions(session, workspace_id, filters, limit=limit, after_id=after_id))
    reasons = queries.review_reasons(session, [a.id for a in rows])
    return Page[ActionOut](items=[action_out(a, reasons.get(a.id)) for a in rows],
                           next_cursor=next_cursor([a.id for a in rows], limit))


def _aware(moment: datetime | None) -> datetime | None:
    """Filter bounds: naive means UTC; an absurd year is ignored rather than overflowing."""
    if moment is None:
        return None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/actions/{action_id}", summary="One action with its campaigns and review reasons")
def get_action(action_id: PathId, workspace_id: WorkspaceId, session: ReadSession) -> ActionOut:
    return _one_action(session, workspace_id, action_id)


def _resolve(session, workspace_id: int, refs: list[CampaignRef]):
    resolver = CampaignResolver(session, workspace_id)
    found = []
    for ref in refs:
        campaign = resolver.by_id.get(ref) if isinstance(ref, int) else resolver.resolve(ref)
        if campaign is None:
            raise NotFound(f"no campaign with id {ref} in this workspace")
        found.append(campaign)
    return found


@router.patch("/actions/{action_id}/campaigns", summary="Add and remove campaigns on one action")
def change_campaigns(action_id: PathId, body: CampaignChange, workspace_id: WorkspaceId,
                     session: WriteSession) -> ActionOut:
    action = queries.get_action_by_id(session, workspace_id, action_id)
    tag_actions(session, workspace_id, [action], add=_resolve(session, workspace_id, body.add),
                remove=_resolve(session, workspace_id, body.remove))
    return _one_action(session, workspace_id, action_id)


@router.post("/actions/campaigns", summary="Add and remove campaigns on many actions at once")
def change_many(body: BulkCampaignChange, workspace_id: WorkspaceId, session: WriteSession) -> TagOutcome:
    actions = queries.actions_by_ids(session, workspace_id, body.action_ids)
    result = tag_actions(session, workspace_id, actions, add=_resolve(session, workspace_id, body.add),
                         remove=_resolve(session, workspace_id, body.remove))
    return TagOutcome(changed=result.changed, unchanged=result.unchanged)


@router.delete("/actions/{action_id}", status_code=204, summary="Delete an action that was never posted")
def delete_action(action_id: PathId, workspace_id: WorkspaceId, session: WriteSession) -> Response:
    queries.delete_action(session, workspace_id, action_id)
    return Response(status_code=204)

"""A multi-entity company's entities, and the reference lists settings offer (journals, AR terms, tax
details), as pulled from Intacct; pull them again on demand."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from intacct_bridge.store.models import IntacctValue
from intacct_bridge.store.repositories import reference
from intacct_bridge.web.api.deps import ReadSession, State, WorkspaceId
from intacct_bridge.web.api.schemas_workspace import EntityDetailOut, EntityOut, ReferencePullOut, ReferenceValueOut

router = APIRouter(prefix="/workspaces/{workspace}", tags=["entities and reference data"])

ListName = Literal["entities", "journals", "ar-terms", "tax-details"]


def value_out(row: IntacctValue) -> ReferenceValueOut:
    return ReferenceValueOut(object_name=row.object_name, value_id=row.value_id, name=row.name, status=row.status,
                             owner_entity=row.owner_entity)


@router.get("/entities", summary="The company's entities, each with how many values it owns")
def list_entities(workspace_id: WorkspaceId, session: ReadSession) -> list[EntityOut]:
    return [EntityOut(entity_id=e.entity_id, name=e.name, status=e.status, owned=e.owned)
            for e in reference.entity_summaries(session, workspace_id)]


@router.get("/entities/{entity_id}", summary="One entity and the values it owns (only it and the top level use them)")
def get_entity(entity_id: str, workspace_id: WorkspaceId, session: ReadSession) -> EntityDetailOut:
    summary = reference.get_entity(session, workspace_id, entity_id[:100])
    values = reference.owned_values(session, workspace_id, summary.entity_id)
    return EntityDetailOut(entity_id=summary.entity_id, name=summary.name, status=summary.status,
                           owned=summary.owned, values=[value_out(v) for v in values])


@router.post("/entities/pull", summary="Pull entities, journals, AR terms and tax details from Intacct now")
def pull_reference_now(workspace_id: WorkspaceId, state: State) -> ReferencePullOut:
    pulled = state.runner.pull_reference(workspace_id)
    return ReferencePullOut(counts=pulled.counts, campaigns_created=pulled.campaigns_created)


@router.get("/reference/{which}", summary="A pulled list settings offer: entities, journals, AR terms, tax details")
def reference_list(which: ListName, workspace_id: WorkspaceId, session: ReadSession) -> list[ReferenceValueOut]:
    return [value_out(v) for v in reference.pulled(session, workspace_id, reference.LISTS[which])]

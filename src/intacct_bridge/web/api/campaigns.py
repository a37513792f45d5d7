"""Campaigns and campaign categories, filtered by category and side (the pickers of a client UI)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from intacct_bridge.store.repositories.campaigns import list_campaigns
from intacct_bridge.web import queries
from intacct_bridge.web.api.deps import ReadSession, WorkspaceId
from intacct_bridge.web.api.schemas_records import CampaignOut, CategoryOut, SideFilter

router = APIRouter(prefix="/workspaces/{workspace}", tags=["campaigns"])


@router.get("/campaign-categories", summary="Campaign categories with how many campaigns each holds")
def list_categories(workspace_id: WorkspaceId, session: ReadSession) -> list[CategoryOut]:
    return [CategoryOut(id=c.id, name=c.name, dimension=c.dimension, system=c.system, campaigns=n)
            for c, n in queries.categories(session, workspace_id)]


@router.get("/campaigns", summary="Campaigns, by category, side, activity or name")
def list_all(
    workspace_id: WorkspaceId, session: ReadSession,
    category: Annotated[str | None, Query(max_length=300, description="Full or short name: Locations")] = None,
    side: SideFilter | None = None,
    active: bool | None = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[CampaignOut]:
    rows = list_campaigns(session, workspace_id, category=category, active=active, search=search,
                          limit=None if side else limit, offset=0 if side else offset)
    if side:
        rows = [r for r in rows if r.campaign.side == side][offset:offset + limit]
    return [CampaignOut(id=r.campaign.id, name=r.campaign.name, category=r.category, side=r.campaign.side,
                        value_id=r.campaign.intacct_value_id, active=r.campaign.active, system=r.campaign.system,
                        actions=r.actions) for r in rows]

"""Builders for store tests: a workspace with a few Intacct campaigns, as a pull would leave them."""

from __future__ import annotations

from intacct_bridge.domain.vocabulary import STANDARD_DIMENSIONS, Dimension, Side, campaign_name
from intacct_bridge.store.models import Campaign, CampaignCategory
from intacct_bridge.store.repositories.workspaces import create_workspace

ACCOUNTS = {"1000": "Cash", "4000": "Donations", "4100": "Ticket Revenue"}
LOCATIONS = {"100": "Main office", "200": "Warehouse"}


def add_campaigns(session, workspace_id: int, dimension: Dimension, values: dict[str, str], inactive=()) -> None:
    spec = STANDARD_DIMENSIONS[dimension]
    category = CampaignCategory(
        workspace_id=workspace_id, name=spec.category_name, dimension=dimension.value, intacct_object=spec.intacct_object
    )
    session.add(category)
    session.flush()
    for value_id, title in values.items():
        for side in Side:
            session.add(
                Campaign(
                    workspace_id=workspace_id, category_id=category.id, name=campaign_name(side, value_id, title),
                    side=side.value, intacct_value_id=value_id, active=value_id not in inactive,
                )
            )
    session.flush()


def pulled_workspace(session, name: str = "Helping Hands") -> int:
    ws = create_workspace(session, name)
    add_campaigns(session, ws.id, Dimension.ACCOUNT, ACCOUNTS)
    add_campaigns(session, ws.id, Dimension.LOCATION, LOCATIONS)
    return ws.id

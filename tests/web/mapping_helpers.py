"""Intacct campaigns as a pull would leave them, for mapping tests that need no emulator."""

from __future__ import annotations

from intacct_bridge.domain.vocabulary import STANDARD_DIMENSIONS, Dimension, Side, campaign_name
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Campaign, CampaignCategory


def seed_pulled_campaigns(store: Store, workspace_id: int,
                          values: list[tuple[str, str, str, str, bool]]) -> None:
    """(dimension, side, value id, value name, active) → campaigns in `[Sage Intacct] <dimension>` categories."""
    with store.write_session() as session:
        categories: dict[str, CampaignCategory] = {}
        for dimension, side, value_id, name, active in values:
            dim = Dimension(dimension)
            if dim not in categories:
                categories[dim] = CampaignCategory(workspace_id=workspace_id, name=STANDARD_DIMENSIONS[dim].category_name,
                                                   dimension=dim.value, intacct_object=STANDARD_DIMENSIONS[dim].intacct_object)
                session.add(categories[dim])
                session.flush()
            session.add(Campaign(workspace_id=workspace_id, category_id=categories[dim].id,
                                 name=campaign_name(Side(side), value_id, name), side=side, intacct_value_id=value_id,
                                 active=active))

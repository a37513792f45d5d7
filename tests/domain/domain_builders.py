"""Small builders for domain tests: campaigns, actions and settings with sensible defaults."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from intacct_bridge.domain import ActionView, CampaignTag, CustomField, SyncSettings
from intacct_bridge.domain.vocabulary import Dimension, DimensionMode, Side, campaign_name

FUND = CustomField(object_name="FUND", gl_field="GLDIMFUND", label="Fund")
CATEGORIES = {
    Dimension.ACCOUNT: "[Sage Intacct] Accounts",
    Dimension.LOCATION: "[Sage Intacct] Locations",
    Dimension.DEPARTMENT: "[Sage Intacct] Departments",
    Dimension.CLASS: "[Sage Intacct] Classes",
    Dimension.CUSTOM: "[Sage Intacct] Fund",
}


def tag(dimension: Dimension, side: str, value_id: str, *, active: bool = True, name: str | None = None) -> CampaignTag:
    s = Side(side)
    return CampaignTag(
        id=None,
        name=name or campaign_name(s, value_id, None),
        category=CATEGORIES[dimension],
        dimension=dimension,
        side=s,
        value_id=value_id,
        active=active,
        intacct_object="FUND" if dimension is Dimension.CUSTOM else None,
    )


def accounts(cr: str = "4000", dr: str = "1000") -> tuple[CampaignTag, ...]:
    return (tag(Dimension.ACCOUNT, "CR", cr), tag(Dimension.ACCOUNT, "DR", dr))


def action(*campaigns: CampaignTag, **overrides) -> ActionView:
    fields = dict(
        id=42,
        external_id="don-42",
        type="donation",
        amount=Decimal("25.00"),
        happened_at=datetime(2025, 6, 30, 15, 0, tzinfo=UTC),
        created_at=datetime(2025, 7, 1, tzinfo=UTC),
        summary="Donation on 2025-06-30 from Ada Lovelace",
        url="https://org.example/actions/42",
        constituent_name="Ada Lovelace",
        campaigns=campaigns if campaigns else accounts(),
    )
    fields.update(overrides)
    return ActionView(**fields)


def settings(**modes: str) -> SyncSettings:
    """Settings with the given modes, e.g. settings(location="require", custom="available")."""
    chosen = {Dimension(k): DimensionMode(v) for k, v in modes.items()}
    full = {d: chosen.get(d, DimensionMode.EXCLUDE) for d in (Dimension.LOCATION, Dimension.DEPARTMENT, Dimension.CLASS, Dimension.CUSTOM)}
    return SyncSettings(modes=full, custom_field=FUND)

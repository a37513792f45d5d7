"""A workspace's mapping rules (conditions → campaign) and skip-export rules (conditions → not exported).

Both hold their conditions as JSON (`[{"field", "operator", "value", "value_to"}]`, checked by
`domain.conditions` before they are stored) and an explicit `position`: rules are evaluated in order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


class CampaignRuleRow(Base):
    """If the conditions match, fill (dimension, side) with the campaign of Intacct value `value_id`."""

    __tablename__ = "campaign_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    join: Mapped[str] = mapped_column(String(3), default="and")
    conditions: Mapped[list] = mapped_column(JSON)
    dimension: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(2))
    value_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SkipRuleRow(Base):
    """If the conditions match, the action is not exported; `active` False pauses the rule."""

    __tablename__ = "skip_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    join: Mapped[str] = mapped_column(String(3), default="and")
    conditions: Mapped[list] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

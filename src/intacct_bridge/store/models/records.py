"""The organization's side: constituents, actions, campaign categories, campaigns and their links."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.models.base import Base, action_id_of_row, utcnow
from intacct_bridge.store.types import Money, UTCDateTime


class Constituent(Base):
    """The person or organization behind actions."""

    __tablename__ = "constituents"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Action(Base):
    """A recorded money event. Amount and happened_at may be missing: the validation gate flags them."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_actions_workspace_created", "workspace_id", "created_at", "id"),
        Index("ix_actions_workspace_status", "workspace_id", "status"),
        # The console's sorted lists and the type filter (bench/actions_list.py: 10,000 actions).
        Index("ix_actions_workspace_amount", "workspace_id", "amount", "id"),
        Index("ix_actions_workspace_happened", "workspace_id", "happened_at", "id"),
        Index("ix_actions_workspace_type", "workspace_id", "type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    constituent_id: Mapped[int | None] = mapped_column(ForeignKey("constituents.id", ondelete="SET NULL"), index=True)
    type: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    happened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the organization's system recorded it: the candidates query compares this to the watermark.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.UNPOSTED.value)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    intacct_recordno: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    # Bumped when a posted action changes (workspace setting posted_changes = reverse): each version posts once.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Summary posting: the summary entry this version went into (None: posted, or to be posted, on its own).
    summary_id: Mapped[int | None] = mapped_column(ForeignKey("journal_summaries.id", ondelete="SET NULL"),
                                                   index=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    constituent: Mapped[Constituent | None] = relationship(lazy="joined")
    campaigns: Mapped[list[Campaign]] = relationship(secondary="action_campaigns", lazy="selectin", viewonly=True)


class CampaignCategory(Base):
    """A group of campaigns; `dimension` says which Intacct dimension its campaigns carry (None: the org's own)."""

    __tablename__ = "campaign_categories"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    dimension: Mapped[str | None] = mapped_column(String(16))
    intacct_object: Mapped[str | None] = mapped_column(String(100))
    system: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Campaign(Base):
    """A tag. Intacct-backed ones carry a side and the Intacct value id; vanished values turn inactive."""

    __tablename__ = "campaigns"
    __table_args__ = (
        UniqueConstraint("category_id", "name"),
        UniqueConstraint("category_id", "side", "intacct_value_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("campaign_categories.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(400))
    side: Mapped[str | None] = mapped_column(String(2))
    intacct_value_id: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    system: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[CampaignCategory] = relationship(lazy="joined")


class ActionCampaign(Base):
    """The link between an action and a campaign it carries."""

    __tablename__ = "action_campaigns"
    __table_args__ = (Index("ix_action_campaigns_campaign", "campaign_id", "action_id"),)

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IntacctValue(Base):
    """A value pulled from Intacct (an account, a location, a fund...) as last seen."""

    __tablename__ = "intacct_values"
    __table_args__ = (UniqueConstraint("workspace_id", "object_name", "value_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    object_name: Mapped[str] = mapped_column(String(100))
    value_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(32), default="active")
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The entity the value was created at (MEGAENTITYID); None: top level, usable by every entity.
    owner_entity: Mapped[str | None] = mapped_column(String(100))


class ReviewFlag(Base):
    """Why a record needs review (an action also carries `System Needs Review`): {field, message} reasons.

    One flag per record of any kind; `action_id` repeats `record_id` for journal entries.
    """

    __tablename__ = "review_flags"
    __table_args__ = (UniqueConstraint("workspace_id", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(32), default="journal_entry")
    record_id: Mapped[int] = mapped_column(Integer, default=action_id_of_row)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), unique=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("sync_runs.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16), default="invalid")  # invalid | rejected | retrying
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    # The error queue (sync.review): the failure's class (domain.error_classes), how many times Intacct
    # refused or failed it, when a later run may try a transient one again, whether it waits for a person
    # (`held`: not sent again until retried), and who resolved (ignored) it, when and why.
    error_class: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

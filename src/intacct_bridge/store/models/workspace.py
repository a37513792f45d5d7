"""A workspace (one organization, one Intacct company) with its connection, settings and run lock."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intacct_bridge.domain.vocabulary import DimensionMode, PostingMode
from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


def new_uid() -> str:
    """A short random id that makes control ids and reference numbers unique across installations."""
    return uuid.uuid4().hex[:10]


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(16), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The watermark: the start of the last run that was not halted.
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    connection: Mapped[Connection | None] = relationship(back_populates="workspace", cascade="all, delete-orphan")
    settings: Mapped[WorkspaceSettings | None] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Workspace(id={self.id!r}, slug={self.slug!r})"


class Connection(Base):
    """Intacct credentials of one workspace; the password only ever as a Fernet token."""

    __tablename__ = "connections"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    endpoint: Mapped[str | None] = mapped_column(String(500))
    company_id: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(100))
    password_encrypted: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str | None] = mapped_column(String(100))
    # Which Intacct API the workspace speaks: "xml" (the gateway, sender + user password) or "rest"
    # (OAuth: the client id and secret, or a refresh token from "Connect with Sage Intacct"); Fernet tokens only.
    api: Mapped[str] = mapped_column(String(8), default="xml", server_default="xml")
    client_id: Mapped[str | None] = mapped_column(String(200))
    client_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    refresh_token_encrypted: Mapped[str | None] = mapped_column(Text)
    last_test_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_test_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_test_message: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="connection")

    def __repr__(self) -> str:
        # Never the password token: a repr ends up in logs and tracebacks.
        return (
            f"Connection(workspace_id={self.workspace_id!r}, company_id={self.company_id!r}, "
            f"user_id={self.user_id!r})"
        )


class WorkspaceSettings(Base):
    """The finance admin's choices for the journal-entry sync (SPEC §2, §6)."""

    __tablename__ = "workspace_settings"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    location_mode: Mapped[str] = mapped_column(String(16), default=DimensionMode.EXCLUDE.value)
    department_mode: Mapped[str] = mapped_column(String(16), default=DimensionMode.EXCLUDE.value)
    class_mode: Mapped[str] = mapped_column(String(16), default=DimensionMode.EXCLUDE.value)
    custom_mode: Mapped[str] = mapped_column(String(16), default=DimensionMode.EXCLUDE.value)
    # GL-line dimensions beyond the first four (issue 10); each its own Require/Available/Exclude
    project_mode: Mapped[str] = mapped_column(String(16), default="exclude", server_default="exclude")
    customer_mode: Mapped[str] = mapped_column(String(16), default="exclude", server_default="exclude")
    vendor_mode: Mapped[str] = mapped_column(String(16), default="exclude", server_default="exclude")
    employee_mode: Mapped[str] = mapped_column(String(16), default="exclude", server_default="exclude")
    item_mode: Mapped[str] = mapped_column(String(16), default="exclude", server_default="exclude")
    custom_object: Mapped[str | None] = mapped_column(String(100))
    custom_gl_field: Mapped[str | None] = mapped_column(String(100))
    custom_label: Mapped[str | None] = mapped_column(String(100))
    posting_mode: Mapped[str] = mapped_column(String(16), default=PostingMode.INDIVIDUAL.value)
    journal: Mapped[str] = mapped_column(String(40), default="GJ")
    start_date: Mapped[date | None] = mapped_column()
    schedule_time: Mapped[time | None] = mapped_column(Time)
    # Instead of a nightly time: every N hours (on the local clock when N divides the day).
    schedule_every_hours: Mapped[int | None] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Text XML 1.0 cannot carry, at intake: `refuse` the record, or `replace` each character by U+FFFD.
    control_characters: Mapped[str] = mapped_column(String(16), default="refuse", server_default="refuse")
    # A posted action changed or deleted at the source: `refuse` the change, or `reverse` what was posted
    # (then post the corrected entry); the reversal is dated on the `original` date or the `change` date.
    posted_changes: Mapped[str] = mapped_column(String(16), default="refuse", server_default="refuse")
    reversal_date: Mapped[str] = mapped_column(String(16), default="original", server_default="original")
    # A record dated in a period closed in Intacct: `reject` (Intacct refuses it) or move it to the `next_open` day.
    closed_period_policy: Mapped[str] = mapped_column(String(16), default="reject", server_default="reject")
    # Multi-entity (seed 001): post at the `top` level (default) or at each record's `entity`; the entity a
    # record naming none takes. A change applies to records posted after it (postings keep their own level).
    # Summary posting: action types posted as one summary entry per day (or run), journal and entity.
    summary_action_types: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    summary_period: Mapped[str] = mapped_column(String(8), default="day", server_default="day")
    posting_level: Mapped[str] = mapped_column(String(16), default="top", server_default="top")
    default_entity: Mapped[str | None] = mapped_column(String(100))
    # Reconciling by itself: `off`, `daily` at `reconcile_time` (local), or `after_sync` (domain.vocabulary).
    reconcile_schedule: Mapped[str] = mapped_column(String(16), default="off", server_default="off")
    reconcile_time: Mapped[time | None] = mapped_column(Time)
    # The entry's text from the action's fields (`domain.description_template`); None: summary, name and link.
    description_template: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="settings")


class MappingDefault(Base):
    """A default campaign by action type: e.g. every `ticket` credits account 4100 unless it says otherwise."""

    __tablename__ = "mapping_defaults"
    __table_args__ = (UniqueConstraint("workspace_id", "action_type", "dimension", "side"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    action_type: Mapped[str] = mapped_column(String(100))
    dimension: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(2))
    value_id: Mapped[str] = mapped_column(String(100))


class ScheduleSlot(Base):
    """A scheduled slot some process started: inserted once (the primary key), so the slot fires once."""

    __tablename__ = "schedule_slots"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(200))
class UserDimension(Base):
    """A user-defined dimension beyond the custom field (up to 20): its object, GL line field, label and mode."""

    __tablename__ = "user_dimensions"
    __table_args__ = (UniqueConstraint("workspace_id", "object_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    object_name: Mapped[str] = mapped_column(String(100))
    gl_field: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(16))


class WorkspaceLock(Base):
    """One row per workspace; a run claims it with an atomic UPDATE (works across processes)."""

    __tablename__ = "workspace_locks"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(100))
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

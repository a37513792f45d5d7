"""What the engine did: sync runs, per-action posting attempts, and every action's outcome per run."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.domain.vocabulary import PostingState, RunStatus
from intacct_bridge.store.models.base import Base, action_id_of_row, utcnow
from intacct_bridge.store.types import Money, UTCDateTime


class SyncRun(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_workspace_started", "workspace_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(32), default=RunStatus.RUNNING.value)
    trigger: Mapped[str] = mapped_column(String(32), default="manual")  # manual | schedule | action | api
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    only_action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    watermark_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    invalid: Mapped[int] = mapped_column(Integer, default=0)
    posted: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    values_pulled: Mapped[int] = mapped_column(Integer, default=0)
    api_transactions: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Posting(Base):
    """One attempt to write one record of one kind. Committed `pending` before the request leaves (exactly-once).

    The outbox row of every kind (journal entry, customer, invoice...): `record_kind` and `record_id`
    name the record; `operation` tells apart writes of the same record (a customer's create, then a
    rename's update). `action_id` repeats `record_id` for journal entries only, so an action's
    postings go when the action is deleted and the journal-entry screens can join on it.
    """

    __tablename__ = "postings"
    __table_args__ = (
        UniqueConstraint("workspace_id", "controlid"),
        UniqueConstraint("workspace_id", "record_kind", "record_id", "generation"),
        Index("ix_postings_workspace_state", "workspace_id", "state"),
        Index("ix_postings_record", "record_kind", "record_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    record_kind: Mapped[str] = mapped_column(String(32), default="journal_entry")
    record_id: Mapped[int] = mapped_column(Integer, default=action_id_of_row)
    operation: Mapped[str] = mapped_column(String(64), default="create")
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("sync_runs.id", ondelete="SET NULL"), index=True)
    generation: Mapped[int] = mapped_column(Integer)
    controlid: Mapped[str] = mapped_column(String(256))
    reference_no: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16), default=PostingState.PENDING.value)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    posting_date: Mapped[date | None] = mapped_column()
    request_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Where it was written (multi-entity): the level at the time (`top`/`entity`) and the entity's session
    # it went to (None: the connection's own). Kept so a later change of level never moves it.
    posting_level: Mapped[str | None] = mapped_column(String(16))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    intacct_recordno: Mapped[str | None] = mapped_column(String(100))
    intacct_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RunItem(Base):
    """The sync log: what happened to one record in one run (posted, failed, invalid, would_post...).

    `action_id` repeats `record_id` for journal entries (see `Posting`).
    """

    __tablename__ = "run_items"
    __table_args__ = (UniqueConstraint("run_id", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"))
    record_kind: Mapped[str] = mapped_column(String(32), default="journal_entry")
    record_id: Mapped[int] = mapped_column(Integer, default=action_id_of_row)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    defaults_used: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # A dry run's "would post": what would have been sent, in short (the posting summary: amounts, lines...).
    preview: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

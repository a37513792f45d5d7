"""Summary journal entries: many actions of the summarized types posted as one GLBATCH (issue 12)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import Money, UTCDateTime


class JournalSummary(Base):
    """One summary entry (kind `journal_summary`), frozen when assembled: its actions point at it
    (`actions.summary_id`), `shares` keeps each action's lines (a later change reverses that share alone),
    `lines` what is sent. Posted exactly once like any record; a later summary of the same day is a new row."""

    __tablename__ = "journal_summaries"
    __table_args__ = (UniqueConstraint("workspace_id", "reference"),
                      Index("ix_journal_summaries_workspace_status", "workspace_id", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    journal: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str | None] = mapped_column(String(100))
    period_key: Mapped[str] = mapped_column(String(40))          # 2026-11-30, or run-<start>
    posting_date: Mapped[date] = mapped_column()
    reference: Mapped[str] = mapped_column(String(100))          # REFERENCENO: ib-<ws>-s<content hash>
    description: Mapped[str] = mapped_column(Text)
    action_count: Mapped[int] = mapped_column(Integer)
    debit_total: Mapped[Decimal] = mapped_column(Money)
    credit_total: Mapped[Decimal] = mapped_column(Money)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    shares: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="unposted", server_default="unposted")
    intacct_recordno: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

"""Reversals of posted journal entries: what a changed or deleted action takes back out of Intacct."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


class JournalReversal(Base):
    """One reversal of one posted version of an action, posted exactly once like any record (kind
    `journal_reversal`). `original` is what that version's posting sent (its `request_summary`)."""

    __tablename__ = "journal_reversals"
    __table_args__ = (UniqueConstraint("action_id", "version"),
                      Index("ix_journal_reversals_workspace_status", "workspace_id", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)              # the version of the action it reverses
    reason: Mapped[str] = mapped_column(String(16))            # changed | deleted
    original_reference: Mapped[str] = mapped_column(String(100))
    original_recordno: Mapped[str | None] = mapped_column(String(100))
    original: Mapped[dict[str, Any]] = mapped_column(JSON)
    reversal_date: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="unposted", server_default="unposted")
    intacct_recordno: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

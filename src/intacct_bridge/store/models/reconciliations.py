"""Reconciliations run by themselves (daily, or after a sync), and their outcome.

One row per reconciliation the scheduler or a sync started: its counts by kind and the first
differences, kept so the `reconcile.drift` notification can link to them and the console can show
them later. A daily one is claimed by inserting its row: (workspace, slot) is unique, so with
many `serve` processes a slot reconciles once (NULL slots, the after-sync ones, never collide).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


class ReconcileRun(Base):
    __tablename__ = "reconcile_runs"
    __table_args__ = (UniqueConstraint("workspace_id", "slot_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    trigger: Mapped[str] = mapped_column(String(16))                 # schedule | after_sync
    slot_at: Mapped[datetime | None] = mapped_column(UTCDateTime)    # the daily slot it was started for
    sync_run_id: Mapped[int | None] = mapped_column(Integer)          # the sync it followed
    status: Mapped[str] = mapped_column(String(16), default="running")   # running | done | failed
    drift: Mapped[bool | None] = mapped_column(Boolean)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)      # counts, by kind, the first differences
    message: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

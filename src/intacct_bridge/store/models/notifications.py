"""Notifications: where a workspace wants to hear about its runs, and the outbox of messages to deliver.

A run never waits on a mail server or a webhook: the engine only adds `Notification` rows (the
outbox) in the store; `notifications.delivery.deliver_pending` sends them afterwards (after the run in
the same process, or from a worker), retrying with backoff. The row is also the delivery log.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


class NotificationSettingsRow(Base):
    """One workspace's recipients and webhook; the webhook secret only ever as a Fernet token."""

    __tablename__ = "notification_settings"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    email_recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    events: Mapped[list[str] | None] = mapped_column(JSON)   # None: every event
    last_digest_on: Mapped[date | None] = mapped_column()     # the review digest goes at most once a day
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:  # never the secret's token
        return f"NotificationSettingsRow(workspace_id={self.workspace_id}, webhook_url={self.webhook_url!r})"


class Notification(Base):
    """One message to one channel (email to the recipients, or the webhook): the outbox and its delivery log."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("workspace_id", "channel", "dedupe_key"),
        Index("ix_notifications_due", "status", "next_attempt_at"),
        Index("ix_notifications_workspace_created", "workspace_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))            # email | webhook
    target: Mapped[str] = mapped_column(String(2000))           # the recipients or the URL, when queued
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedupe_key: Mapped[str] = mapped_column(String(200))        # e.g. run-12-halted, digest-2026-12-01
    run_id: Mapped[int | None] = mapped_column(ForeignKey("sync_runs.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="pending")   # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

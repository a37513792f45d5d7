"""Cancellations of posted invoices and bills: what a changed or deleted document takes back out of Intacct."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


class DocumentCancellation(Base):
    """One cancelling adjustment of one posted version of an invoice or a bill (kind `document_cancellation`).

    `original` holds what that version sent (party, number in Intacct, its lines), so the adjustment takes
    back exactly what Intacct holds whatever the source says now; `record_kind` is `invoice` or `bill`.
    """

    __tablename__ = "document_cancellations"
    __table_args__ = (UniqueConstraint("record_kind", "record_id", "version"),
                      Index("ix_document_cancellations_workspace_status", "workspace_id", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    record_kind: Mapped[str] = mapped_column(String(32))       # invoice | bill
    record_id: Mapped[int] = mapped_column(Integer)            # the invoice's or bill's id
    version: Mapped[int] = mapped_column(Integer)              # the version it cancels
    reason: Mapped[str] = mapped_column(String(16))            # changed | deleted
    original_reference: Mapped[str] = mapped_column(String(100))
    original_key: Mapped[str | None] = mapped_column(String(100))   # the document's RECORDNO in Intacct
    original: Mapped[dict[str, Any]] = mapped_column(JSON)
    cancel_date: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="unposted", server_default="unposted")
    intacct_key: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

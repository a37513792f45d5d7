"""The audit log: who changed what and when (settings, tagging, retries and resolves, tokens, users, syncs).

One row per change, written by the service function that makes the change, so the console,
the REST API, the CLI and the Python API all leave the same trace. Rows are never updated;
`workspace_id` is a plain number (no foreign key) so the trace outlives a deleted workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    workspace_id: Mapped[int | None] = mapped_column(Integer)
    # Who: a console user's name, an API token ("token 3 (name)"), the operating-system user of the CLI.
    actor: Mapped[str] = mapped_column(String(200))
    via: Mapped[str] = mapped_column(String(16))          # console | api | cli | python | schedule
    action: Mapped[str] = mapped_column(String(64))       # settings.changed, actions.tagged, errors.retried...
    target: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)

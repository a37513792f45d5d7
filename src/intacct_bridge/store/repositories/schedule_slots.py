"""Claiming a scheduled slot: the one process whose INSERT lands starts the run; the others see the row.

The primary key (workspace, slot) makes the INSERT-or-nothing atomic on SQLite and PostgreSQL
alike. A claim whose run could not be started is given back, so a later refresh tries again.
Claims older than a week are pruned when new ones are made.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from intacct_bridge.store.database import Store
from intacct_bridge.store.models import ScheduleSlot, utcnow

KEEP = timedelta(days=7)


def claim_slot(store: Store, workspace_id: int, slot_at: datetime, claimed_by: str) -> bool:
    """True for the one caller that claimed this slot of this workspace."""
    with store.write_session() as session:
        module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        now = utcnow()
        session.execute(delete(ScheduleSlot).where(ScheduleSlot.claimed_at < now - KEEP))
        result = session.execute(module.insert(ScheduleSlot).values(
            workspace_id=workspace_id, slot_at=slot_at, claimed_at=now, claimed_by=claimed_by
        ).on_conflict_do_nothing().returning(ScheduleSlot.workspace_id))
        return result.first() is not None  # a row back: ours (an ORM insert's rowcount is not reliable)


def release_slot(store: Store, workspace_id: int, slot_at: datetime) -> None:
    """Give a claim back (its run did not start)."""
    with store.write_session() as session:
        session.execute(delete(ScheduleSlot).where(ScheduleSlot.workspace_id == workspace_id,
                                                   ScheduleSlot.slot_at == slot_at))

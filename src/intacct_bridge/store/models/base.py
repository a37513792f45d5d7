"""Declarative base: one metadata with a naming convention (Alembic batch mode on SQLite needs named constraints)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The one clock of the store: aware UTC."""
    return datetime.now(UTC)


def action_id_of_row(context) -> int | None:
    """Default `record_id` of an outbox row written the journal-entry way (with `action_id` only)."""
    return context.get_current_parameters().get("action_id")

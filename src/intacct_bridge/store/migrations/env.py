"""Alembic environment, driven programmatically by `intacct_bridge.store.database.upgrade`.

The caller hands over an open connection in `config.attributes["connection"]`; no alembic.ini
is needed. SQLite gets batch mode so later migrations can alter tables.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from intacct_bridge.store.models import Base
from intacct_bridge.store.types import FixedDecimal, UTCDateTime, alembic_compare_type

config = context.config
target_metadata = Base.metadata


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate writes our decorated types as plain SQLAlchemy ones: migrations never import app code."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(obj, FixedDecimal):
        return f"sa.Numeric(precision=18, scale={obj.places})"
    return False


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through intacct_bridge.store.database.upgrade(url)")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=alembic_compare_type,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported; run `intacct-bridge db upgrade`")
run_migrations_online()

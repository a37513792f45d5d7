"""Alembic environment, driven programmatically by `intacct_bridge.store.database.upgrade`.

The caller hands over an open connection in `config.attributes["connection"]`; no alembic.ini
is needed. SQLite gets batch mode so later migrations can alter tables.
"""

from __future__ import annotations

from alembic import context

from intacct_bridge.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through intacct_bridge.store.database.upgrade(url)")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported; run `intacct-bridge db upgrade`")
run_migrations_online()

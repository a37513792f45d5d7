"""The first migration builds exactly what the models describe, from an empty database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from intacct_bridge.store.database import create_store_engine, current_revision, head_revision, open_store
from intacct_bridge.store.models import Base
from intacct_bridge.store.types import alembic_compare_type


def test_upgrade_from_empty_creates_every_table(store_url):
    engine = create_store_engine(store_url)
    assert current_revision(engine) is None
    store = open_store(store_url)
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert current_revision(store.engine) == head_revision()
    store.dispose()
    engine.dispose()


def test_migration_matches_models(store_url):
    store = open_store(store_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": alembic_compare_type})
        assert compare_metadata(context, Base.metadata) == []
    store.dispose()


def test_opening_twice_is_a_no_op(store_url):
    open_store(store_url).dispose()
    store = open_store(store_url)
    assert current_revision(store.engine) == head_revision()
    store.dispose()

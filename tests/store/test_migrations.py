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


def _open_in_child(url: str, start, results) -> None:
    start.wait(60)
    try:
        store = open_store(url)
        results.put(current_revision(store.engine))
        store.dispose()
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put(repr(error))


def test_concurrent_first_use_from_several_processes_migrates_once(store_url):
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    children = [context.Process(target=_open_in_child, args=(store_url, start, results)) for _ in range(3)]
    for child in children:
        child.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(30)
    assert outcomes == [head_revision()] * 3
    engine = create_store_engine(store_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    engine.dispose()

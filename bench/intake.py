"""Bulk intake rate through the REST API: actions per second, on SQLite and on PostgreSQL.

Starts the web app on a free 127.0.0.1 port (Uvicorn on a thread, as `serve` runs it)
over a fresh store, then POSTs batches of 10,000 actions to
`/api/v1/workspaces/{w}/actions/bulk` with an httpx client: each action with a
constituent, an amount, dates, a URL and two campaigns by name. The clock runs from
the first request to the last response (JSON encoding on the client included);
the second pass re-sends the first batch to show the idempotent path. Prints
`name: value` lines.

    python bench/intake.py [--batches 3] [--batch-size 10000] [--postgres-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_bridge.store.models import Campaign, CampaignCategory
from intacct_bridge.store.repositories.workspaces import create_workspace
from intacct_bridge.web.access import create_token
from intacct_bridge.web.server import start_server

DEFAULT_PG = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
APPEALS = ("Spring Gala", "Year-End Appeal", "Giving Tuesday", "Capital Campaign")


def prepare(store: Store) -> tuple[str, str]:
    """A workspace with an org category of campaigns and a token; returns (slug, token)."""
    with store.write_session() as session:
        workspace = create_workspace(session, "Bench Org")
        category = CampaignCategory(workspace_id=workspace.id, name="Appeals")
        session.add(category)
        session.flush()
        session.add_all(Campaign(workspace_id=workspace.id, category_id=category.id, name=n) for n in APPEALS)
        token, _ = create_token(session, workspace.id, "bench")
        return workspace.slug, token


def batch(number: int, size: int) -> list[dict]:
    start = number * size
    return [{
        "external_id": f"B-{start + i:08d}", "type": ("donation", "membership", "ticket")[i % 3],
        "amount": f"{(i % 500) + 10}.{i % 100:02d}", "happened_at": "2026-10-01T12:00:00Z",
        "created_at": "2026-10-01T12:05:00Z", "summary": f"Donation {start + i}",
        "url": f"https://crm.example.org/actions/{start + i}",
        "constituent": {"external_id": f"C-{(start + i) % 2000:05d}", "name": f"Person {(start + i) % 2000}"},
        "campaigns": [APPEALS[i % 4], APPEALS[(i + 1) % 4]],
    } for i in range(size)]


def measure(store: Store, batches: int, size: int) -> tuple[float, float]:
    """(actions per second for new actions, actions per second for an unchanged re-send)."""
    slug, token = prepare(store)
    operator = OperatorSettings(secret_key=Fernet.generate_key().decode(), data_dir=Path(tempfile.mkdtemp()))
    payloads = [{"actions": batch(n, size)} for n in range(batches)]
    with start_server(store=store, operator=operator) as server, httpx.Client(
            base_url=f"{server.url}/api/v1/workspaces/{slug}", headers={"Authorization": f"Bearer {token}"},
            timeout=600) as client:
        started = time.perf_counter()
        for payload in payloads:
            response = client.post("/actions/bulk", json=payload)
            response.raise_for_status()
            assert response.json()["created"] == size, response.text
        created_rate = batches * size / (time.perf_counter() - started)
        started = time.perf_counter()
        response = client.post("/actions/bulk", json=payloads[0])
        assert response.json()["unchanged"] == size, response.text
        unchanged_rate = size / (time.perf_counter() - started)
    return created_rate, unchanged_rate


def sqlite_store() -> Store:
    return open_store(f"sqlite:///{Path(tempfile.mkdtemp()) / 'intake.db'}")


def postgres_run(url: str, batches: int, size: int) -> tuple[float, float]:
    """In a throwaway schema of the given database, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = open_store(f"{url}?options=-csearch_path%3D{schema}")
    try:
        return measure(store, batches, size)
    finally:
        store.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    args = parser.parse_args()

    store = sqlite_store()
    try:
        created, unchanged = measure(store, args.batches, args.batch_size)
    finally:
        store.dispose()
    print(f"sqlite_actions_per_second: {created:.0f}")
    print(f"sqlite_unchanged_actions_per_second: {unchanged:.0f}")
    print(f"batch_size: {args.batch_size}")
    try:
        created, unchanged = postgres_run(args.postgres_url, args.batches, args.batch_size)
    except Exception as error:  # no PostgreSQL here: say so rather than invent a figure
        print(f"postgresql_actions_per_second: unavailable ({type(error).__name__})")
        print(f"postgresql unavailable at {args.postgres_url}: {error}", file=sys.stderr)
        return
    print(f"postgresql_actions_per_second: {created:.0f}")
    print(f"postgresql_unchanged_actions_per_second: {unchanged:.0f}")


if __name__ == "__main__":
    main()

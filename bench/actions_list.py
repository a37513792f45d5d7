"""The actions list with 10,000 actions: median server time of the console page and of its CSV export.

Fills a fresh SQLite store (or PostgreSQL with --postgres-url) with 10,000 actions through the REST
API's bulk endpoint (each with a constituent, two campaigns, a spread of types, amounts and dates),
signs a console user in, then times GET /w/{ws}/actions through a real server (Uvicorn on a thread,
httpx on the client) over several kinds of page: the first page, a page sorted by amount, one sorted
by date in reverse, a filtered one (type, amount range, date range) and a late page (page 150 of 50).
Prints `name: value` lines:

    actions_list_median_ms      median over every request (default 30)
    actions_list_<variant>_ms   median per variant
    actions_csv_seconds         the full CSV export of 10,000 actions (one request, streamed)
    actions_csv_rows            rows in it

    python bench/actions_list.py [--actions 10000] [--requests 30] [--postgres-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
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
from intacct_bridge.web.access import create_token, create_user
from intacct_bridge.web.server import start_server

APPEALS = ("Spring Gala", "Year-End Appeal", "Giving Tuesday", "Capital Campaign")
USER, PASSWORD = "bench-admin", "bench password 123"
VARIANTS = {
    "first": {},
    "by_amount": {"sort": "amount", "dir": "desc"},
    "by_date_desc": {"sort": "date", "dir": "desc", "size": "100"},
    "filtered": {"type": "ticket", "min": "100", "max": "400", "from": "2026-03-01", "to": "2026-09-30"},
    "late_page": {"page": "150"},
}


def fill(store: Store, base_url: str, count: int) -> str:
    with store.write_session() as session:
        workspace = create_workspace(session, "Bench Org")
        category = CampaignCategory(workspace_id=workspace.id, name="Appeals")
        session.add(category)
        session.flush()
        session.add_all(Campaign(workspace_id=workspace.id, category_id=category.id, name=n) for n in APPEALS)
        token, _ = create_token(session, workspace.id, "bench")
        create_user(session, USER, PASSWORD)
        slug = workspace.slug
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=300) as client:
        for start in range(0, count, 5000):
            body = [{
                "external_id": f"B-{n:08d}", "type": ("donation", "membership", "ticket")[n % 3],
                "amount": f"{(n * 37) % 900 + 10}.{n % 100:02d}",
                "happened_at": f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}T12:00:00Z",
                "created_at": "2026-10-01T12:05:00Z", "summary": f"Donation {n}",
                "url": f"https://crm.example.org/actions/{n}",
                "constituent": {"external_id": f"C-{n % 2000:05d}", "name": f"Person {n % 2000}"},
                "campaigns": [APPEALS[n % 4], APPEALS[(n + 1) % 4]],
            } for n in range(start, min(count, start + 5000))]
            client.post(f"/api/v1/workspaces/{slug}/actions/bulk", json={"actions": body}).raise_for_status()
    return slug


def signed_in(base_url: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=300)
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token, "next": "/"})
    return client


def measure(store: Store, operator: OperatorSettings, count: int, requests: int) -> None:
    with start_server(store=store, operator=operator) as server:
        slug = fill(store, server.url, count)
        client = signed_in(server.url)
        try:
            assert client.get(f"/w/{slug}/actions").status_code == 200  # warm up (templates, caches)
            timings: dict[str, list[float]] = {name: [] for name in VARIANTS}
            for i in range(requests):
                name = list(VARIANTS)[i % len(VARIANTS)]
                started = time.perf_counter()
                page = client.get(f"/w/{slug}/actions", params=VARIANTS[name])
                timings[name].append((time.perf_counter() - started) * 1000)
                assert page.status_code == 200 and " of " in page.text, page.status_code
            every = [t for values in timings.values() for t in values]
            print(f"actions_list_median_ms: {statistics.median(every):.1f}")
            for name, values in timings.items():
                if values:
                    print(f"actions_list_{name}_ms: {statistics.median(values):.1f}")
            started = time.perf_counter()
            rows = 0
            with client.stream("GET", f"/w/{slug}/actions.csv") as answer:
                for line in answer.iter_lines():
                    rows += 1 if line else 0
            print(f"actions_csv_seconds: {time.perf_counter() - started:.2f}")
            print(f"actions_csv_rows: {rows - 1}")
        finally:
            client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"INTACCT_BRIDGE_SECRET_KEY": Fernet.generate_key().decode(),
               "INTACCT_BRIDGE_DATA_DIR": str(Path(tmp) / "data")}
        os.environ.update(env)  # a benchmark process of its own: its settings come from here
        operator = OperatorSettings()
        if args.postgres_url:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.postgres_url)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            store = open_store(f"{args.postgres_url}?options=-csearch_path%3D{schema}")
        else:
            store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            print(f"store: {'postgresql' if args.postgres_url else 'sqlite'}")
            print(f"actions: {args.actions}")
            measure(store, operator, args.actions, args.requests)
        finally:
            store.dispose()
            if args.postgres_url:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    sys.exit(main())

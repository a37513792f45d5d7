"""The ``fleet`` seed: the demo seed plus twelve more single-entity companies like Helping Hands.

A deployment that serves many organizations talks to many Intacct companies at once, each with
its own concurrency limit; tests and benchmarks of that (workers sharing a company's slots)
need several companies the demo sender and user can sign in to. They are named
``fleet-01`` … ``fleet-12`` and hold the same chart, dimensions and customers as Helping Hands.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

from . import demo
from .definitions import install_standard_definitions

if TYPE_CHECKING:
    from ..store import Backend

FLEET_SIZE = 12


def fleet_company(number: int) -> str:
    """The id of fleet company `number` (1-based)."""
    return f"fleet-{number:02d}"


def seed_fleet(backend: Backend, conn: sqlite3.Connection) -> None:
    demo.seed_demo(backend, conn)
    now = dt.datetime.now(dt.timezone.utc)
    for number in range(1, FLEET_SIZE + 1):
        company_id = fleet_company(number)
        backend.add_company(conn, company_id, f"Fleet Organization {number}",
                            closed_through=dt.date(now.year - 1, 12, 31))
        conn.execute("INSERT INTO sender_authorizations (sender_id, company_id) VALUES (?, ?)",
                     (demo.SENDER_ID, company_id))
        backend.add_user(conn, company_id, demo.USER_ID, demo.USER_PASSWORD)
        demo.seed_single_entity(demo.Writer(conn, company_id, now))
        install_standard_definitions(conn, company_id, now=now, user_id=demo.SEED_USER)

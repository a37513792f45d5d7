"""Per-company usage counters (reference §7 billing), kept in `wire_usage`.

`api_transactions` follows the documented billing rule as far as it is known:
each record or document written counts 1 (the handler's `billable`), each query
page counts 1, and failed calls count too (1 per failed or aborted function).
The other counters help tests and operators see what the gateway did.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

#: Counters reported for every company that has any, in this order.
COUNTERS = (
    "requests",
    "api_transactions",
    "functions_succeeded",
    "functions_failed",
    "functions_aborted",
    "duplicates",
    "control_failures",
    "authentication_failures",
    "concurrency_violations",
    "faults_injected",
)

#: Key for requests whose company could not be determined (e.g. malformed XML).
UNKNOWN_COMPANY = ""


def add(conn: sqlite3.Connection, company_id: str | None, counts: Counter[str]) -> None:
    """Add `counts` to a company's counters, in the caller's transaction."""
    company = company_id or UNKNOWN_COMPANY
    for counter, value in counts.items():
        if counter not in COUNTERS:
            raise ValueError(f"unknown usage counter {counter!r}")
        if value:
            conn.execute(
                "INSERT INTO wire_usage (company_id, counter, value) VALUES (?, ?, ?)"
                " ON CONFLICT (company_id, counter) DO UPDATE SET value = value + excluded.value",
                (company, counter, value),
            )


def snapshot(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Every company's counters, each company with all `COUNTERS` present."""
    result: dict[str, dict[str, int]] = {}
    for company, counter, value in conn.execute("SELECT company_id, counter, value FROM wire_usage ORDER BY company_id"):
        result.setdefault(company, dict.fromkeys(COUNTERS, 0))[counter] = value
    return result


def reset(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM wire_usage")

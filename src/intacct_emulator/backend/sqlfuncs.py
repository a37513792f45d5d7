"""SQLite functions and collations that keep decimal comparisons exact."""

from __future__ import annotations

import decimal
import sqlite3


def _dec(text: object) -> decimal.Decimal | None:
    if text is None or text == "":
        return None
    try:
        return decimal.Decimal(str(text))
    except decimal.InvalidOperation:
        return None


def deccmp(left: object, right: object) -> int | None:
    """-1/0/1 comparing two decimal strings exactly; NULL when either is not a number."""
    a, b = _dec(left), _dec(right)
    if a is None or b is None:
        return None
    return (a > b) - (a < b)


def decimal_collation(left: str, right: str) -> int:
    a, b = _dec(left), _dec(right)
    if a is None or b is None:
        return (left > right) - (left < right)
    return (a > b) - (a < b)


def register(conn: sqlite3.Connection) -> None:
    conn.create_function("ia_deccmp", 2, deccmp, deterministic=True)
    conn.create_collation("ia_decimal", decimal_collation)

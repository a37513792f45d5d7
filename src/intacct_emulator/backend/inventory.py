"""Stock on hand per item and warehouse (ICITEMTOTAL records) and its movements."""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3

from .errors import RuleViolation
from .objects import get_object
from .records import Record, Scope, find_by_ref, insert_record, save_record


def stock_records(
    conn: sqlite3.Connection, company_id: str, scope: Scope, item_id: str | None = None,
    warehouse_id: str | None = None,
) -> list[Record]:
    """ICITEMTOTAL rows, optionally for one item and/or one warehouse."""
    odef = get_object("ICITEMTOTAL")
    if item_id:
        rows = find_by_ref(conn, odef, company_id, item_id, scope)
    else:
        from .search import Selection

        rows = Selection(odef, company_id, scope).page(conn, "recordno", 1_000_000, 0)
    return [r for r in rows if not warehouse_id or r.get("WAREHOUSEID") == warehouse_id]


def _onhand(row: Record | None) -> decimal.Decimal:
    return decimal.Decimal(str(row.get("ONHAND") or "0")) if row else decimal.Decimal(0)


def _store_onhand(
    conn: sqlite3.Connection, company_id: str, row: Record | None, item_id: str, warehouse_id: str,
    onhand: decimal.Decimal, *, now: dt.datetime, user_id: str,
) -> None:
    """Write the new quantity on hand to the item/warehouse row, creating the row when there is none."""
    odef = get_object("ICITEMTOTAL")
    if row is not None:
        save_record(conn, odef, company_id, {**row, "ONHAND": str(onhand)}, now=now, user_id=user_id)
    else:
        insert_record(conn, odef, company_id, {"ITEMID": item_id, "WAREHOUSEID": warehouse_id,
                                               "ONHAND": str(onhand), "ONORDER": "0", "ONHOLD": "0"},
                      entity=None, now=now, user_id=user_id)


def remove_stock(
    conn: sqlite3.Connection, company_id: str, scope: Scope, item_id: str, warehouse_id: str,
    quantity: decimal.Decimal, *, now: dt.datetime, user_id: str, line: int,
) -> None:
    """Take ``quantity`` of an item out of a warehouse; refuse when not enough is on hand.

    Taking 0 from a pair with no row yet keeps a zero row, so the item/warehouse pair is listed.
    """
    rows = stock_records(conn, company_id, scope, item_id, warehouse_id)
    row = rows[0] if rows else None
    onhand = _onhand(row)
    if onhand < quantity:
        raise RuleViolation([(f"Not enough stock of item {item_id} in warehouse {warehouse_id} on line {line}:"
                              f" {onhand} on hand, {quantity} asked", "Receive stock or lower the quantity.")])
    _store_onhand(conn, company_id, row, item_id, warehouse_id, onhand - quantity, now=now, user_id=user_id)


def return_stock(
    conn: sqlite3.Connection, company_id: str, scope: Scope, item_id: str, warehouse_id: str,
    quantity: decimal.Decimal, *, now: dt.datetime, user_id: str,
) -> None:
    """Put ``quantity`` back on hand (a deleted sales invoice)."""
    rows = stock_records(conn, company_id, scope, item_id, warehouse_id)
    row = rows[0] if rows else None
    _store_onhand(conn, company_id, row, item_id, warehouse_id, _onhand(row) + quantity, now=now, user_id=user_id)

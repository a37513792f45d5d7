"""readByQuery result sets kept for readMore, with an expiry.

A result set remembers the filter and a keyset cursor (the last RECORDNO sent
and the highest RECORDNO that matched when it was opened), so records created
after the first page never leak into later pages.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from .catalogue import ObjectDef
from .records import Record, Scope
from .search import Selection


@dataclass
class ResultSet:
    result_id: str
    company_id: str
    user_id: str
    object: str
    where: str
    params: list[Any]
    fields: list[str]
    pagesize: int
    last_recordno: int
    max_recordno: int
    remaining: int
    total: int
    scope: Scope


@dataclass
class Page:
    records: list[Record]
    total: int
    remaining: int
    result_id: str
    fields: list[str]


def _scope_json(scope: Scope) -> dict[str, Any]:
    return {"entity_id": scope.entity_id, "show_private": scope.show_private}


def open_result_set(
    conn: sqlite3.Connection,
    selection: Selection,
    *,
    user_id: str,
    fields: list[str],
    pagesize: int,
    now: dt.datetime,
    minutes: int,
) -> Page:
    """Run a readByQuery: count, read the first page, and keep the rest for readMore."""
    total = selection.count(conn)
    upto = selection.max_recordno(conn)
    records = selection.page_after(conn, 0, upto, pagesize)
    last = int(records[-1]["RECORDNO"]) if records else upto
    remaining = max(total - len(records), 0)
    result_id = secrets.token_hex(12)
    params = {"scope": _scope_json(selection.scope), "filter": list(selection.params)}
    conn.execute(
        "INSERT INTO result_sets (result_id, company_id, user_id, object, where_sql, params, fields, pagesize,"
        " last_recordno, max_recordno, remaining, total, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            result_id, selection.company_id, user_id, selection.odef.name, selection.where, json.dumps(params),
            json.dumps(fields), pagesize, last, upto, remaining, total, now.isoformat(),
            (now + dt.timedelta(minutes=minutes)).isoformat(),
        ),
    )
    conn.execute("DELETE FROM result_sets WHERE expires_at < ?", (now.isoformat(),))
    return Page(records, total, remaining, result_id, fields)


def find_result_set(
    conn: sqlite3.Connection, company_id: str, user_id: str, now: dt.datetime, *, result_id: str | None = None,
    object_name: str | None = None,
) -> ResultSet | None:
    """A live result set by id, or the caller's latest for an object; None when unknown or expired."""
    if result_id is not None:
        row = conn.execute(
            "SELECT * FROM result_sets WHERE result_id = ? AND company_id = ?", (result_id, company_id)
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT * FROM result_sets WHERE company_id = ? AND user_id = ? AND object = ?"
            " ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (company_id, user_id, (object_name or "").upper()),
        ).fetchone()
    if row is None or row["expires_at"] < now.isoformat():
        return None
    params = json.loads(row["params"])
    return ResultSet(
        row["result_id"], row["company_id"], row["user_id"], row["object"], row["where_sql"], params["filter"],
        json.loads(row["fields"]), row["pagesize"], row["last_recordno"], row["max_recordno"], row["remaining"],
        row["total"], Scope(**params["scope"]),
    )


def read_more(conn: sqlite3.Connection, rs: ResultSet, odef: ObjectDef, now: dt.datetime, minutes: int) -> Page:
    """The next page of a result set; advancing it slides its expiry."""
    selection = Selection(odef, rs.company_id, rs.scope, rs.where, tuple(rs.params))
    records = selection.page_after(conn, rs.last_recordno, rs.max_recordno, rs.pagesize) if rs.remaining else []
    last = int(records[-1]["RECORDNO"]) if records else rs.last_recordno
    remaining = max(rs.remaining - len(records), 0) if records else 0
    conn.execute(
        "UPDATE result_sets SET last_recordno = ?, remaining = ?, expires_at = ? WHERE result_id = ?",
        (last, remaining, (now + dt.timedelta(minutes=minutes)).isoformat(), rs.result_id),
    )
    return Page(records, rs.total, remaining, rs.result_id, rs.fields)

"""Selecting records of one object by a compiled filter, with visibility, order and paging."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .catalogue import ObjectDef
from .records import Record, Scope


@dataclass(frozen=True)
class Selection:
    """The records of one object in one company that a caller sees and a filter keeps."""

    odef: ObjectDef
    company_id: str
    scope: Scope
    where: str = "1=1"
    params: tuple[Any, ...] = field(default_factory=tuple)

    def _sql(self, extra: str = "", extra_params: tuple[Any, ...] = ()) -> tuple[str, list[Any]]:
        scope_sql, scope_params = self.scope.sql()
        sql = f"company_id = ? AND object = ? AND {scope_sql} AND ({self.where}){extra}"
        return sql, [self.company_id, self.odef.name, *scope_params, *self.params, *extra_params]

    def count(self, conn: sqlite3.Connection) -> int:
        where, params = self._sql()
        return int(conn.execute(f"SELECT COUNT(*) FROM records WHERE {where}", params).fetchone()[0])

    def max_recordno(self, conn: sqlite3.Connection) -> int:
        where, params = self._sql()
        row = conn.execute(f"SELECT MAX(recordno) FROM records WHERE {where}", params).fetchone()
        return int(row[0] or 0)

    def page_after(self, conn: sqlite3.Connection, after: int, upto: int, limit: int) -> list[Record]:
        """Records with after < RECORDNO <= upto in RECORDNO order (readByQuery/readMore keyset paging)."""
        where, params = self._sql(" AND recordno > ? AND recordno <= ?", (after, upto))
        rows = conn.execute(
            f"SELECT fields FROM records WHERE {where} ORDER BY recordno LIMIT ?", [*params, limit]
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def page(self, conn: sqlite3.Connection, order_sql: str, limit: int, offset: int) -> list[Record]:
        """Records in ``order_sql`` order (RECORDNO breaks ties), ``limit`` of them from ``offset``."""
        where, params = self._sql()
        rows = conn.execute(
            f"SELECT fields FROM records WHERE {where} ORDER BY {order_sql} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def column_values(self, conn: sqlite3.Connection, exprs: list[str]) -> list[tuple[Any, ...]]:
        """The given SQL expressions for every selected record (aggregate queries)."""
        where, params = self._sql()
        cols = ", ".join(exprs) or "1"
        return [tuple(r) for r in conn.execute(f"SELECT {cols} FROM records WHERE {where}", params).fetchall()]

"""One request's reads of the records its writes name (accounts, journals, dimensions, customers...).

Every write checks that the records it names exist and are active, entry after
entry, line after line. Within one request these answers are remembered and
reused while nothing of that object has been written or rolled back since
(`writemarks`), so a 100-entry request reads each account once instead of a
few hundred times, and answers exactly as the fresh reads would. Company facts
that only the operator changes (closed periods, entities) are read once per
request.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from .catalogue import ObjectDef
from .models import Entity
from .records import Record, Scope, find_by_id
from .writemarks import mark


class RequestLookups:
    """Cached `find_by_id` and company facts for the functions of one request."""

    def __init__(self, backend: Any, conn: sqlite3.Connection, company_id: str) -> None:
        self.backend, self.conn, self.company_id = backend, conn, company_id
        self._records: dict[tuple[str, str, Scope], tuple[tuple[int, int], Record | None]] = {}
        self._facts: dict[tuple[str, str | None], Any] = {}

    def find(self, odef: ObjectDef, value: str, scope: Scope) -> Record | None:
        """`find_by_id`, remembered while the object is unchanged. Treat the record as read-only."""
        now = mark(self.conn, odef.name)
        if now is None:
            return find_by_id(self.conn, odef, self.company_id, value, scope)
        key = (odef.name, value, scope)
        seen = self._records.get(key)
        if seen is not None and seen[0] == now:
            return seen[1]
        record = find_by_id(self.conn, odef, self.company_id, value, scope)
        self._records[key] = (now, record)
        return record

    def closed_through(self, entity_id: str | None) -> dt.date | None:
        return self._fact("closed_through", entity_id,
                          lambda: self.backend.closed_through(self.conn, self.company_id, entity_id))

    def is_multi_entity(self) -> bool:
        return self._fact("multi_entity", None, lambda: self.backend.is_multi_entity(self.conn, self.company_id))

    def entity(self, entity_id: str) -> Entity | None:
        return self._fact("entity", entity_id, lambda: self.backend.entity(self.conn, self.company_id, entity_id))

    def _fact(self, name: str, key: str | None, read: Any) -> Any:
        if (name, key) not in self._facts:
            self._facts[(name, key)] = read()
        return self._facts[(name, key)]

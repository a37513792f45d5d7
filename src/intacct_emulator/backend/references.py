"""Whether a record is used by a transaction, so that it cannot be deleted.

The holders are found from the catalogue: every header or line field of a
transaction (an object with lines: GLBATCH, ARINVOICE, ARPYMT, SODOCUMENT) whose
``ref`` names the object (GLBATCH lines' ACCOUNTNO -> GLACCOUNT, ARINVOICE's
CUSTOMERID -> CUSTOMER, ...). References between master data (a class's parent,
a warehouse's location) do not block a delete; that is our simplification.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from .catalogue import ObjectDef
from .objects import OBJECTS

# (holder object, lines container or None, field)
Holder = tuple[str, "str | None", str]


@cache
def holders_of(object_name: str) -> tuple[Holder, ...]:
    found: list[Holder] = []
    for odef in OBJECTS.values():
        if odef.lines is None:
            continue
        found += [(odef.name, None, f.name) for f in odef.fields if f.ref == object_name]
        found += [(odef.name, odef.lines.container, f.name) for f in odef.lines.fields if f.ref == object_name]
    return tuple(found)


def _used(conn: sqlite3.Connection, company_id: str, holder: Holder, value: str, skip_recordno: int) -> bool:
    object_name, container, field = holder
    if container is None:
        sql = (f"SELECT 1 FROM records WHERE company_id = ? AND object = ? AND recordno <> ?"
               f" AND json_extract(fields, '$.\"{field}\"') = ? LIMIT 1")
    else:
        sql = (f"SELECT 1 FROM records, json_each(records.fields, '$.\"{container}\"') AS line"
               f" WHERE company_id = ? AND object = ? AND recordno <> ?"
               f" AND json_extract(line.value, '$.\"{field}\"') = ? LIMIT 1")
    return conn.execute(sql, (company_id, object_name, skip_recordno, value)).fetchone() is not None


def referenced_by(conn: sqlite3.Connection, company_id: str, odef: ObjectDef, record: dict) -> str | None:
    """The name of an object whose records still use ``record``'s id, or None when it is free to delete."""
    value = str(record.get(odef.id_field or "RECORDNO", ""))
    if not value:
        return None
    for holder in holders_of(odef.name):
        if _used(conn, company_id, holder, value, int(record["RECORDNO"])):
            return holder[0]
    return None

"""Reading and writing stored records: one row per record, fields as JSON, indexed keys.

A record is a ``dict`` of field name -> stored text (see :mod:`values`), plus the
line items of objects that own lines under the lines container name
(``{"ENTRIES": [{...}, {...}]}`` for GLBATCH).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from .catalogue import TIMESTAMP, ObjectDef
from .models import Entity
from .writemarks import wrote

Record = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """Which records a caller sees: its entity's plus top-level ones; ``show_private`` lifts the limit at top level."""

    entity_id: str | None = None
    show_private: bool = False

    def sql(self) -> tuple[str, list[Any]]:
        if self.entity_id is None:
            return ("1=1", []) if self.show_private else ("entity_id IS NULL", [])
        return "(entity_id IS NULL OR entity_id = ?)", [self.entity_id]


EVERYTHING = Scope(show_private=True)


def next_recordno(conn: sqlite3.Connection, company_id: str) -> int:
    """Take the next number of the company's RECORDNO sequence."""
    return next_recordnos(conn, company_id, 1)[0]


def next_recordnos(conn: sqlite3.Connection, company_id: str, count: int) -> range:
    """Take the next `count` numbers of the company's RECORDNO sequence at once (an entry's lines)."""
    if count <= 0:
        return range(0)
    row = conn.execute(
        "UPDATE companies SET next_recordno = next_recordno + ? WHERE company_id = ? RETURNING next_recordno - ?",
        (count, company_id, count),
    ).fetchone()
    if row is None:
        raise LookupError(f"no company {company_id!r}")
    return range(int(row[0]), int(row[0]) + count)


def stored_timestamp(now: dt.datetime) -> str:
    """``now`` (a UTC instant) in the stored form of a TIMESTAMP field: whole seconds, no offset."""
    return now.replace(tzinfo=None, microsecond=0).isoformat()


def _stamp(odef: ObjectDef, record: Record, name: str, value: str) -> None:
    field = odef.field(name)
    if field is not None and (field.type == TIMESTAMP or name not in ("WHENCREATED", "WHENMODIFIED")):
        record[field.name] = value


def _keys(odef: ObjectDef, record: Record) -> tuple[str | None, str | None, str | None]:
    def pick(name: str | None) -> str | None:
        return str(record.get(name, "")) if name else None

    return pick(odef.id_field), pick(odef.name_field), pick(odef.ref_field)


def insert_record(
    conn: sqlite3.Connection,
    odef: ObjectDef,
    company_id: str,
    record: Record,
    *,
    entity: Entity | None,
    now: dt.datetime,
    user_id: str,
    recordno: int | None = None,
) -> Record:
    """Store a new record: assign RECORDNO (unless one was taken already), stamp audit and entity fields."""
    recordno = recordno if recordno is not None else next_recordno(conn, company_id)
    return insert_records(conn, odef, company_id, [(recordno, record)], entity=entity, now=now, user_id=user_id)[0]


def insert_records(
    conn: sqlite3.Connection,
    odef: ObjectDef,
    company_id: str,
    numbered: list[tuple[int, Record]],
    *,
    entity: Entity | None,
    now: dt.datetime,
    user_id: str,
) -> list[Record]:
    """Store new records under the RECORDNOs already taken for them (an entry's lines), in one statement."""
    stamp = stored_timestamp(now)
    entity_id = entity.entity_id if (entity and odef.entity_scoped) else None
    stored, rows = [], []
    for recordno, given in numbered:
        record = dict(given)
        record["RECORDNO"] = str(recordno)
        for name in ("WHENCREATED", "WHENMODIFIED", "AUWHENCREATED"):
            _stamp(odef, record, name, stamp)
        for name in ("CREATEDBY", "MODIFIEDBY"):
            _stamp(odef, record, name, user_id)
        if entity_id is not None:
            record.update(MEGAENTITYKEY=str(entity.recordno), MEGAENTITYID=entity.entity_id,
                          MEGAENTITYNAME=entity.name)
        id_value, name_value, ref_value = _keys(odef, record)
        stored.append(record)
        rows.append((company_id, odef.name, recordno, entity_id, id_value, name_value, ref_value, json.dumps(record)))
    wrote(conn, odef.name)
    if len(rows) == 1:  # most writes store one record: a plain execute costs less than an executemany
        conn.execute(_INSERT, rows[0])
    else:
        conn.executemany(_INSERT, rows)
    return stored


_INSERT = ("INSERT INTO records (company_id, object, recordno, entity_id, id_value, name_value, ref_value, fields)"
           " VALUES (?,?,?,?,?,?,?,?)")


def save_record(
    conn: sqlite3.Connection, odef: ObjectDef, company_id: str, record: Record, *, now: dt.datetime, user_id: str
) -> Record:
    """Write back a changed record, stamping WHENMODIFIED/MODIFIEDBY."""
    record = dict(record)
    _stamp(odef, record, "WHENMODIFIED", stored_timestamp(now))
    _stamp(odef, record, "MODIFIEDBY", user_id)
    id_value, name_value, ref_value = _keys(odef, record)
    wrote(conn, odef.name)
    conn.execute(
        "UPDATE records SET id_value = ?, name_value = ?, ref_value = ?, fields = ?"
        " WHERE company_id = ? AND object = ? AND recordno = ?",
        (id_value, name_value, ref_value, json.dumps(record), company_id, odef.name, int(record["RECORDNO"])),
    )
    return record


def delete_record(conn: sqlite3.Connection, company_id: str, object_name: str, recordno: int) -> None:
    wrote(conn, object_name)
    conn.execute(
        "DELETE FROM records WHERE company_id = ? AND object = ? AND recordno = ?", (company_id, object_name, recordno)
    )


def as_recordno(value: object) -> int | None:
    """A RECORDNO from text, or None when it is not a plain number SQLite can hold."""
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def get_record(
    conn: sqlite3.Connection, company_id: str, object_name: str, recordno: int | str, scope: Scope = EVERYTHING
) -> Record | None:
    """The record with this RECORDNO (an int or its text) that the scope sees, or None."""
    recordno = as_recordno(recordno)
    if recordno is None:
        return None
    where, params = scope.sql()
    row = conn.execute(
        f"SELECT fields FROM records WHERE company_id = ? AND object = ? AND recordno = ? AND {where}",
        [company_id, object_name, recordno, *params],
    ).fetchone()
    return json.loads(row[0]) if row else None


def _where_column(
    conn: sqlite3.Connection, company_id: str, object_name: str, column: str, value: str, scope: Scope
) -> list[Record]:
    where, params = scope.sql()
    rows = conn.execute(
        f"SELECT fields FROM records WHERE company_id = ? AND object = ? AND {column} = ? AND {where}"
        " ORDER BY recordno",
        [company_id, object_name, value, *params],
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def find_by_id(
    conn: sqlite3.Connection, odef: ObjectDef, company_id: str, id_value: str, scope: Scope = EVERYTHING
) -> Record | None:
    """The record whose id field (ACCOUNTNO, CUSTOMERID, ...) is ``id_value``; RECORDNO when the object has no id."""
    if odef.id_field is None:
        return get_record(conn, company_id, odef.name, id_value, scope)
    found = _where_column(conn, company_id, odef.name, "id_value", id_value, scope)
    return found[0] if found else None


def find_by_ref(
    conn: sqlite3.Connection, odef: ObjectDef, company_id: str, ref_value: str, scope: Scope = EVERYTHING
) -> list[Record]:
    """Records whose natural key (ref field: GLBATCH REFERENCENO, ICITEMTOTAL ITEMID, ...) is ``ref_value``."""
    return _where_column(conn, company_id, odef.name, "ref_value", ref_value, scope)

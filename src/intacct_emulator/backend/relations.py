"""Related-object paths in query (``CUSTOMER.NAME`` on ARINVOICE, ``PARENT.NAME`` on CLASS).

A path's first part names a relationship of the object (a field holding another
object's id: CUSTOMERID -> CUSTOMER, PARENTID -> PARENT, CLOSINGACCOUNTNO ->
CLOSINGACCOUNT), its second a field of the related object.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from .catalogue import Field, ObjectDef
from .records import Record, find_by_id


def relationship_paths(odef: ObjectDef) -> dict[str, Field]:
    """Relationship name -> the field holding the related record's id."""
    paths: dict[str, Field] = {}
    for field in odef.relationships:
        if "." in field.name:
            continue
        if field.relation:
            paths.setdefault(field.relation, field)
            continue
        name = field.name
        for suffix in ("ID", "NO"):
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
        paths.setdefault(name, field)
    return paths


def _split(odef: ObjectDef, path: str) -> tuple[Field, ObjectDef, Field] | None:
    from .objects import get_object

    head, _, tail = path.partition(".")
    link = relationship_paths(odef).get(head.upper())
    if link is None or not tail:
        return None
    target = get_object(link.ref or "")
    target_field = target.field(tail) if target else None
    if target is None or target_field is None:
        return None
    return link, target, target_field


def related_field(odef: ObjectDef, path: str) -> Field | None:
    """A read-only field standing for ``path`` (typed like the related field), or None."""
    found = _split(odef, path)
    if found is None:
        return None
    link, _, target_field = found
    name = f"{path.partition('.')[0].upper()}.{target_field.name}"
    return replace(target_field, name=name, readonly=True, required=False, ref=None)


def related_sql(odef: ObjectDef, path: str) -> str:
    """A correlated subquery giving the related record's field (NULL when unset or not found)."""
    link, target, target_field = _split(odef, path)  # type: ignore[misc]
    key = "rel.id_value" if target.id_field else "CAST(rel.recordno AS TEXT)"
    return (
        f"(SELECT NULLIF(json_extract(rel.fields, '$.\"{target_field.name}\"'), '') FROM records AS rel"
        f" WHERE rel.company_id = records.company_id AND rel.object = '{target.name}'"
        f" AND {key} = json_extract(records.fields, '$.\"{link.name}\"') LIMIT 1)"
    )


def fill_related(conn: sqlite3.Connection, company_id: str, odef: ObjectDef, records: list[Record],
                 names: list[str]) -> None:
    """Put the value of each related path in ``names`` into each record (under the path's name)."""
    cache: dict[tuple[str, str], Record | None] = {}
    for name in names:
        found = _split(odef, name) if odef.field(name) is None else None
        if found is None:
            continue
        link, target, target_field = found
        for record in records:
            key = str(record.get(link.name, ""))
            if (target.name, key) not in cache:
                cache[(target.name, key)] = find_by_id(conn, target, company_id, key) if key else None
            related = cache[(target.name, key)]
            record[name] = related.get(target_field.name, "") if related else ""

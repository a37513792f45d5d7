"""Generic create, update and delete (several objects per create/update, each billed)."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ..backend.catalogue import ObjectDef
from ..backend.records import (
    Record, delete_record, find_by_id, get_record, insert_record, next_recordno, save_record,
)
from .base import CallContext, FunctionOutcome, business_error, check_permission, child_text, require_object
from .write_rules import (
    check_duplicate, check_lines_required, check_owner, check_required, check_unreferenced, resolve_references,
)
from .xmlin import read_object
from .xmlout import data_element

# object -> (ctx, odef, new record, previous record or None) -> record to store; raises FunctionFailure
Preparer = Callable[[CallContext, ObjectDef, Record, "Record | None"], Record]
# object -> (ctx, stored record, previous record or None) -> None, once the record is stored
Follower = Callable[[CallContext, Record, "Record | None"], None]
# object -> (ctx, record about to be deleted) -> None; raises FunctionFailure to refuse, or cleans up
DeleteHook = Callable[[CallContext, Record], None]
PREPARERS: dict[str, Preparer] = {}
FOLLOWERS: dict[str, Follower] = {}
DELETE_HOOKS: dict[str, DeleteHook] = {}
IMMUTABLE_IDS = {"ITEM", "CUSTOMER", "VENDOR"}   # their ids cannot change once created
GENERIC_DELETE_ONLY = {"ARINVOICE"}  # created by legacy functions, deleted by either


def _writable(ctx: CallContext, operation: str, tag: str) -> ObjectDef:
    odef = require_object(tag, errorno="BL01001973")
    check_permission(ctx, operation, odef)
    if not (odef.writable or (operation == "delete" and odef.name in GENERIC_DELETE_ONLY)):
        raise business_error(f"The {operation} function is not supported for object {odef.name}",
                             f"{odef.label} records cannot be written with the generic {operation} function.")
    return odef


def _validate(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    check_required(odef, record)
    if odef.lines is not None:
        check_lines_required(odef, record.get(odef.lines.container, []))
    check_duplicate(ctx, odef, record)
    preparer = PREPARERS.get(odef.name)
    if preparer:
        record = preparer(ctx, odef, record, previous)
    resolve_references(ctx, odef, record)
    return record


def _answer(odef: ObjectDef, record: Record) -> etree._Element:
    node = etree.Element(odef.name.lower())
    etree.SubElement(node, "RECORDNO").text = str(record["RECORDNO"])
    if odef.id_field:
        etree.SubElement(node, odef.id_field).text = str(record.get(odef.id_field, ""))
    return node


def _objects(fn: etree._Element) -> list[etree._Element]:
    items = [c for c in fn if isinstance(c.tag, str)]
    if not items:
        raise business_error(f"No object to {fn.tag}", "The function holds no object element.")
    return items


def create_one(ctx: CallContext, odef: ObjectDef, node: etree._Element) -> Record:
    """Validate and store one object element; returns the stored record."""
    given = read_object(odef, node)
    record: Record = {k: v for k, v in given.fields.items() if k != "RECORDNO"}
    if odef.lines is not None:
        record[odef.lines.container] = given.lines or []
    return create_record(ctx, odef, record)


def create_record(ctx: CallContext, odef: ObjectDef, record: Record) -> Record:
    """Validate and store a new record given in stored form (legacy functions build one too)."""
    record = odef.with_defaults(record)
    recordno = next_recordno(ctx.conn, ctx.company_id)  # known before validation, so lines can be numbered
    record["RECORDNO"] = str(recordno)
    record = _validate(ctx, odef, record, None)
    stored = insert_record(ctx.conn, odef, ctx.company_id, record, entity=ctx.entity(), now=ctx.now,
                           user_id=ctx.user.user_id, recordno=recordno)
    _follow(ctx, odef, stored, None)
    return stored


def _follow(ctx: CallContext, odef: ObjectDef, stored: Record, previous: Record | None) -> None:
    follower = FOLLOWERS.get(odef.name)
    if follower:
        follower(ctx, stored, previous)


def _write_each(ctx: CallContext, fn: etree._Element, operation: str,
                write_one: Callable[[CallContext, ObjectDef, etree._Element], Record]) -> FunctionOutcome:
    """Write every object element of the function as one unit; answer and bill one per object."""
    data = data_element(listtype="objects", count=0)
    # The dispatcher runs every function in its own savepoint: a failure on any object undoes them all.
    for node in _objects(fn):
        odef = _writable(ctx, operation, node.tag)
        data.append(_answer(odef, write_one(ctx, odef, node)))
    data.set("count", str(len(data)))
    return FunctionOutcome([data], billable=len(data))


def create(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    return _write_each(ctx, fn, "create", create_one)


def _existing(ctx: CallContext, odef: ObjectDef, fields: dict[str, str]) -> Record:
    key = fields.get("RECORDNO") or (fields.get(odef.id_field) if odef.id_field else None)
    if not key:
        wanted = f"RECORDNO or {odef.id_field}" if odef.id_field else "RECORDNO"
        raise business_error(f"Missing key to update {odef.name}", f"Give the {wanted} of the record to update.")
    if fields.get("RECORDNO"):
        record = get_record(ctx.conn, ctx.company_id, odef.name, key, ctx.scope())
    else:
        record = find_by_id(ctx.conn, odef, ctx.company_id, key, ctx.scope())
    if record is None:
        raise business_error(f"Cannot find {odef.label.lower()} with key '{key}' to update.")
    return record


def update_one(ctx: CallContext, odef: ObjectDef, node: etree._Element) -> Record:
    given = read_object(odef, node)
    previous = _existing(ctx, odef, given.fields)
    changes = {k: v for k, v in given.fields.items() if k != "RECORDNO"}
    return update_record(ctx, odef, previous, changes, given.lines)


def update_record(ctx: CallContext, odef: ObjectDef, previous: Record, changes: Record,
                  lines: list[Record] | None) -> Record:
    """Apply `changes` (stored form; `lines` replaces the lines when given) to a stored record, every rule checked."""
    check_owner(ctx, odef, previous, "update")
    if odef.name in IMMUTABLE_IDS and odef.id_field in changes and changes[odef.id_field] != previous[odef.id_field]:
        raise business_error(f"{odef.id_field} cannot be changed for {odef.label.lower()} {previous[odef.id_field]}",
                             f"The {odef.label.lower()} {previous[odef.id_field]} keeps its ID; "
                             f"'{changes[odef.id_field]}' was given.",
                             f"Create a new {odef.label.lower()} instead.")
    record = {**previous, **changes}
    if odef.lines is not None and lines is not None:
        record[odef.lines.container] = lines
    record = _validate(ctx, odef, record, previous)
    stored = save_record(ctx.conn, odef, ctx.company_id, record, now=ctx.now, user_id=ctx.user.user_id)
    _follow(ctx, odef, stored, previous)
    return stored


def update(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    return _write_each(ctx, fn, "update", update_one)


def check_deletable(ctx: CallContext, odef: ObjectDef, record: Record) -> None:
    """What every delete, generic or legacy, must pass: the caller owns the record and nothing uses it."""
    check_owner(ctx, odef, record, "delete")
    check_unreferenced(ctx, odef, record)


def delete_records(ctx: CallContext, odef: ObjectDef, records: list[Record]) -> None:
    """Delete the records, each after its object's delete hook (which may refuse or clean up)."""
    hook = DELETE_HOOKS.get(odef.name)
    for record in records:
        if hook:
            hook(ctx, record)
        delete_record(ctx.conn, ctx.company_id, odef.name, int(record["RECORDNO"]))


def delete(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Delete by RECORDNOs; an unknown key fails the whole function. No <data> on success."""
    odef = _writable(ctx, "delete", child_text(fn, "object") or "")
    keys = [k.strip() for k in (child_text(fn, "keys") or "").split(",") if k.strip()]
    if not keys:
        raise business_error(f"No keys given to delete {odef.name}")
    records = []
    for key in keys:
        record = get_record(ctx.conn, ctx.company_id, odef.name, key, ctx.scope())
        if record is None:
            raise business_error(f"Cannot find {odef.label.lower()} with key '{key}' to delete.")
        check_deletable(ctx, odef, record)
        records.append(record)
    delete_records(ctx, odef, records)
    return FunctionOutcome([], billable=len(records))

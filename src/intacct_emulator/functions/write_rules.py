"""Checks and derived values shared by every generic write: required fields, references, duplicates."""

from __future__ import annotations

from ..backend.catalogue import ObjectDef
from ..backend.objects import get_object
from ..backend.records import Record, find_by_id
from ..backend.references import referenced_by
from .base import DUPLICATE_ERROR, CallContext, ErrorInfo, FunctionFailure, business_error

# ref field -> [(companion field, field of the referenced record it copies)]
COMPANIONS: dict[str, list[tuple[str, str]]] = {
    "PARENTID": [("PARENTKEY", "RECORDNO"), ("PARENTNAME", "@name")],
    "CUSTOMERID": [("CUSTOMERNAME", "@name")],
    "CUSTVENDID": [("CUSTVENDNAME", "@name")],
    "LOC.LOCATIONID": [("LOC.NAME", "@name")],
    "ARACCOUNT": [("ARACCOUNTTITLE", "@name")],
    "APACCOUNT": [("APACCOUNTTITLE", "@name")],
    "CLOSINGACCOUNTNO": [("CLOSINGACCOUNTTITLE", "@name")],
    "JOURNAL": [("JOURNALKEY", "RECORDNO")],
}


def check_required(odef: ObjectDef, record: Record) -> None:
    for field in odef.fields:
        if field.required and not field.readonly and not str(record.get(field.name, "")).strip():
            raise business_error(f"Required field {field.name} is missing on {odef.name}",
                                 f"{field.display_label} is required.", f"Provide a value for {field.name}.")


def check_duplicate(ctx: CallContext, odef: ObjectDef, record: Record) -> None:
    """Ids are unique across the company (every entity): BL34000061 when taken by another record."""
    if odef.id_field is None:
        return
    value = str(record.get(odef.id_field, ""))
    other = find_by_id(ctx.conn, odef, ctx.company_id, value) if value else None
    if other is not None and other["RECORDNO"] != record.get("RECORDNO"):
        raise FunctionFailure(ErrorInfo(DUPLICATE_ERROR,
                                        f"Another {odef.label} with the given value(s) {value} already exists",
                                        None, "Use a unique value instead."))


def resolve_references(ctx: CallContext, odef: ObjectDef, record: Record) -> None:
    """Every header field that names another record must name one the caller can see; fill companions."""
    for field in odef.relationships:
        value = str(record.get(field.name, ""))
        if not value:
            continue
        target_def = get_object(field.ref or "")
        if target_def is None:
            continue
        target = ctx.find_reference(target_def, value)
        if target is None:
            raise business_error(f"Invalid {target_def.label} '{value}' specified for {field.name}",
                                 f"No {target_def.label} with ID {value} exists.",
                                 f"Use an existing {target_def.label} ID.")
        for companion, source in COMPANIONS.get(field.name, []):
            if odef.field(companion) is not None:
                key = target_def.name_field if source == "@name" else source
                record[companion] = str(target.get(key or "", ""))


def check_lines_required(odef: ObjectDef, lines: list[Record]) -> None:
    if odef.lines is None:
        return
    for number, line in enumerate(lines, start=1):
        for field in odef.lines.fields:
            if field.required and not str(line.get(field.name, "")).strip():
                raise business_error(f"Required field {field.name} is missing on line {number}",
                                     f"{field.display_label} is required on every {odef.lines.element}.")


def check_owner(ctx: CallContext, odef: ObjectDef, record: Record, operation: str) -> None:
    """An entity session may change only its own records; shared top-level ones are read-only there."""
    if ctx.entity_id is None or record.get("MEGAENTITYID") == ctx.entity_id:
        return
    key = record.get(odef.id_field or "RECORDNO", record.get("RECORDNO"))
    raise business_error(f"Cannot {operation} {odef.label.lower()} {key} at entity {ctx.entity_id}",
                         f"The {odef.label.lower()} {key} was created at the top level and is read-only in an entity.",
                         "Sign in at the top level to change it.")


def check_unreferenced(ctx: CallContext, odef: ObjectDef, record: Record) -> None:
    """Refuse to delete a record that other records still use (an account with journal entries, ...)."""
    holder = referenced_by(ctx.conn, ctx.company_id, odef, record)
    if holder is not None:
        key = record.get(odef.id_field or "RECORDNO", record.get("RECORDNO"))
        holder_label = get_object(holder).label
        raise business_error(f"Cannot delete {odef.label.lower()} {key}: it is used by {holder_label} records",
                             f"{odef.label} {key} is referenced by at least one {holder_label}.",
                             "Make it inactive instead.")

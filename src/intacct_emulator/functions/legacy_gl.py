"""Legacy journal entries: create_gltransaction and delete_gltransaction, on the GLBATCH rules."""

from __future__ import annotations

from lxml import etree

from ..backend.objects import get_object
from ..backend.records import Record, get_record
from ..backend.values import ValueError_, to_storage
from .base import CallContext, FunctionOutcome, business_error, check_permission, child_text
from .legacy_in import key_element, required_text, ymd
from .write_rules import check_owner
from .writes import create_record, delete_records

# glentry element -> GLENTRY field
_LINE_FIELDS = {
    "glaccountno": "ACCOUNTNO", "document": "DOCUMENT", "memo": "DESCRIPTION", "locationid": "LOCATION",
    "departmentid": "DEPARTMENT", "customerid": "CUSTOMERID", "vendorid": "VENDORID", "employeeid": "EMPLOYEEID",
    "projectid": "PROJECTID", "taskid": "TASKID", "costtypeid": "COSTTYPEID", "itemid": "ITEMID",
    "classid": "CLASSID", "contractid": "CONTRACTID", "warehouseid": "WAREHOUSEID", "currency": "CURRENCY",
    "exchratetype": "EXCH_RATE_TYPE_ID",
}
_TR_TYPES = {"debit": "1", "credit": "-1", "1": "1", "-1": "-1"}


def _custom_fields(node: etree._Element, fields: dict[str, str], where: str) -> None:
    """Legacy <customfields><customfield><customfieldname/><customfieldvalue/> as generic fields (GLDIMFUND...)."""
    for custom in node.findall("customfields/customfield"):
        name = (custom.findtext("customfieldname") or "").strip().upper()
        field = get_object("GLBATCH").lines.field(name) if where == "line" else get_object("GLBATCH").field(name)
        if field is None:
            raise business_error(f"Unknown custom field {name} on a {where}")
        fields[field.name] = (custom.findtext("customfieldvalue") or "").strip()


def _line(node: etree._Element, number: int) -> Record:
    raw_type = (node.findtext("trtype") or "").strip().lower()
    if raw_type not in _TR_TYPES:
        raise business_error(f"Invalid trtype '{raw_type}' on line {number}", "Use debit or credit.")
    line: Record = {"TR_TYPE": _TR_TYPES[raw_type], "TRX_AMOUNT": (node.findtext("amount") or "").strip()}
    for tag, name in _LINE_FIELDS.items():
        value = child_text(node, tag)
        if value:
            line[name] = value
    exchange_rate = child_text(node, "exchrate")
    if exchange_rate:
        try:
            line["EXCHANGE_RATE"] = to_storage(get_object("GLBATCH").lines.field("EXCHANGE_RATE"), exchange_rate)
        except ValueError_ as exc:
            raise business_error(f"{exc} on line {number}") from None
    _custom_fields(node, line, "line")
    return line


def create_gltransaction(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """A journal entry in the legacy shape; the same rules as GLBATCH. Answers ``<key>`` = RECORDNO."""
    odef = get_object("GLBATCH")
    check_permission(ctx, "create_gltransaction", odef)
    entries = fn.find("gltransactionentries")
    nodes = [] if entries is None else entries.findall("glentry")
    record: Record = {
        "JOURNAL": required_text(fn, "journalid", "create_gltransaction"),
        "BATCH_DATE": ymd(fn, "datecreated", "create_gltransaction", required=True),
        "REVERSEDATE": ymd(fn, "reversedate", "create_gltransaction"),
        "BATCH_TITLE": required_text(fn, "description", "create_gltransaction"),
        "REFERENCENO": child_text(fn, "referenceno") or "",
        "BASELOCATION_NO": child_text(fn, "sourceentity") or "",
        "ENTRIES": [_line(node, n) for n, node in enumerate(nodes, start=1)],
    }
    _custom_fields(fn, record, "header")
    stored = create_record(ctx, odef, record)
    return FunctionOutcome([key_element(stored["RECORDNO"])], billable=1)


def delete_gltransaction(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Delete a journal entry by its RECORDNO (the ``key`` attribute)."""
    odef = get_object("GLBATCH")
    check_permission(ctx, "delete_gltransaction", odef)
    key = (fn.get("key") or "").strip()
    record = get_record(ctx.conn, ctx.company_id, odef.name, key, ctx.scope())
    if record is None:
        raise business_error(f"Cannot find journal entry with key '{key}' to delete.")
    check_owner(ctx, odef, record, "delete")
    delete_records(ctx, odef, [record])
    return FunctionOutcome([], billable=1)

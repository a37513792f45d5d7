"""Creating, updating and deleting records over REST, through the same backend rules as the XML functions.

Nothing here decides a business rule: the generic writes (`functions.writes`),
the invoice/adjustment record builders and the payment hooks are the XML side's
own, called with records in stored form, so a record is refused or accepted
the same way on either wire. A `FunctionFailure` becomes a `RestError` here:
duplicate id -> `rest_duplicate_status` (409), permission -> 403, other rules -> 422
`operationFailed` with each backend error as a detail (reference §2.5).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from intacct_emulator.backend.catalogue import ObjectDef
from intacct_emulator.backend.objects import get_object
from intacct_emulator.backend.receivables import money
from intacct_emulator.backend.records import Record, get_record
from intacct_emulator.config import EmulatorConfig
from intacct_emulator.functions import adjustments, ap_adjustments, invoices, orderentry, writes
from intacct_emulator.functions.bills import require_vendor
from intacct_emulator.functions.base import (
    DUPLICATE_ERROR, PERMISSION_ERROR, CallContext, FunctionFailure, business_error, check_permission,
)

from . import convert
from .envelope import RestError, bad_request, not_found
from .objects import CREDIT_DETAILS, RestObject


def failure_to_rest(failure: FunctionFailure, config: EmulatorConfig, verb: str, what: str) -> RestError:
    first = failure.errors[0]
    details = [{"code": e.errorno, "message": " ".join(p for p in (e.description, e.description2) if p),
                **({"additionalInfo": {"correction": e.correction}} if e.correction else {})} for e in failure.errors]
    if first.errorno == DUPLICATE_ERROR:
        return RestError(config.rest_duplicate_status, "duplicateId", first.description, details=details)
    if first.errorno == PERMISSION_ERROR:
        return RestError(403, "forbidden", first.description, details=details)
    return RestError(422, "operationFailed", f"Operation {verb} {what} failed", details=details)


def _lines(ctx: CallContext, robj: RestObject, odef: ObjectDef, raw: list[Any] | None, config: EmulatorConfig,
           lookup: convert.Lookup) -> list[Record] | None:
    if raw is None:
        return None
    return [convert.line_to_stored(robj, odef, line, n, lookup, unknown=config.rest_unknown_fields)
            for n, line in enumerate(raw, start=1)]


def create(ctx: CallContext, robj: RestObject, body: Any, config: EmulatorConfig) -> Record:
    odef = get_object(robj.backend)
    if robj.writer is None:
        raise RestError(405, "methodNotAllowed", f"POST is not supported for {robj.path}: it is read-only here")
    lookup = convert.record_lookup(ctx.conn, ctx.company_id)
    record, raw_lines = convert.to_stored(robj, odef, body, lookup, unknown=config.rest_unknown_fields)
    if robj.writer == "payment":
        _refuse_other_credit_form(raw_lines or [], config)
    lines = _lines(ctx, robj, odef, raw_lines, config, lookup) or []
    check_permission(ctx, "create", odef)
    if robj.writer == "invoice":
        return _create_invoice(ctx, record, lines)
    if robj.writer == "sales_document":
        return orderentry.create_document(ctx, dict(robj.fixed)["DOCPARID"], record, lines)
    if robj.writer in ("adjustment", "ap_adjustment"):
        return _create_adjustment(ctx, record, lines, payables=robj.writer == "ap_adjustment")
    if robj.writer == "payment" and not record.get("TRX_AMOUNTTOPAY"):
        record["TRX_AMOUNTTOPAY"] = str(sum((_amount(d.get("TRX_PAYMENTAMOUNT")) for d in lines), _amount(0)))
    if odef.lines is not None:
        record[odef.lines.container] = lines
    return writes.create_record(ctx, odef, record)


def _refuse_other_credit_form(details: list[Any], config: EmulatorConfig) -> None:
    """Only the configured credit form names a credit memo (`rest_credit_detail`); the other one is no field."""
    other = next(name for name in CREDIT_DETAILS if name != config.rest_credit_detail)
    for number, detail in enumerate(details):
        flat = convert.flatten(detail) if isinstance(detail, dict) else {}
        named = next((k for k in flat if k.startswith((f"{other}.", f"{other}Line.")) or k == CREDIT_DETAILS[other]),
                     None)
        if named is not None:
            target = f"/paymentDetails/{number}/{named.replace('.', '/')}"
            raise bad_request(f"{target} is not a valid field", error_id="REST-1043", target=target)


def _amount(text: Any) -> Any:
    return money(text or 0)


def _ar_lines(ctx: CallContext, lines: list[Record]) -> list[Record]:
    if not lines:
        raise business_error("A document needs at least one line under lines")
    return [invoices.checked_ar_line(ctx, line, n) for n, line in enumerate(lines, start=1)]


def _create_invoice(ctx: CallContext, record: Record, lines: list[Record]) -> Record:
    customer = invoices.require_customer(ctx, record.get("CUSTOMERID", ""))
    when = record.get("WHENCREATED") or ""
    if not when:
        raise bad_request("/invoiceDate is required", target="/invoiceDate")
    posted = record.get("WHENPOSTED") or when
    invoices.check_posting_date(ctx, posted, "invoice")
    if not (record.get("WHENDUE") or record.get("TERMNAME")):
        raise business_error("An invoice needs a due date or a payment term", "Give dueDate or term.")
    draft = record.pop("STATE", "") == "Draft"
    header = {**record, "WHENPOSTED": posted, "DOCNUMBER": record.get("PONUMBER", ""),
              "CURRENCY": record.get("CURRENCY") or "USD", "BASECURR": record.get("BASECURR") or "USD",
              "ARINVOICEITEMS": _ar_lines(ctx, lines)}
    number = header.pop("RECORDID", None) or None
    return invoices.create_invoice_record(ctx, customer, header, number, draft=draft)


def _create_adjustment(ctx: CallContext, record: Record, lines: list[Record], *, payables: bool = False) -> Record:
    """An AR adjustment (a customer's credit or debit memo) or, `payables`, an AP one (a vendor's), through the
    XML side's adjustment core; `documentNumber` names the invoice or bill a credit applies to."""
    if payables:
        party = require_vendor(ctx, record.get("VENDORID", ""))
    else:
        party = invoices.require_customer(ctx, record.get("CUSTOMERID", ""))
    when = record.get("WHENCREATED") or ctx.now.date().isoformat()
    posted = record.get("WHENPOSTED") or when
    invoices.check_posting_date(ctx, posted, "adjustment")
    header = {"RECORDID": record.get("RECORDID") or None, "DESCRIPTION": record.get("DESCRIPTION", ""),
              "EXTERNALID": record.get("EXTERNALID", ""), "WHENCREATED": when, "WHENPOSTED": posted,
              "CURRENCY": record.get("CURRENCY") or "USD", "BASECURR": record.get("BASECURR") or "USD"}
    draft = record.get("STATE") == "Draft"
    if payables:
        return adjustments.store_adjustment(ctx, ap_adjustments.AP, party, header, _ar_lines(ctx, lines),
                                            record.get("DOCNUMBER", ""), ap_adjustments.target_bill, draft=draft)
    return adjustments.create_adjustment_record(ctx, party, header, _ar_lines(ctx, lines),
                                                record.get("DOCNUMBER", ""), draft=draft)


def existing(ctx: CallContext, robj: RestObject, key: str) -> Record:
    record = get_record(ctx.conn, ctx.company_id, robj.backend, key, ctx.scope())
    if record is None:
        raise not_found(robj.path, key)
    return record


def _merge_lines(odef: ObjectDef, previous: Record, changed: list[Record], raw: list[Any]) -> list[Record]:
    """Owned lines on PATCH (reference §3.1): with `key` updates that line, without adds one, delete removes."""
    assert odef.lines is not None
    current = {str(line.get("RECORDNO")): dict(line) for line in previous.get(odef.lines.container, [])}
    added: list[Record] = []
    for line, given in zip(changed, raw):
        key = str(given.get("key", "")) if isinstance(given, dict) else ""
        if key and key not in current:
            raise bad_request(f"/lines: no line with key {key}", target="/lines")
        if isinstance(given, dict) and given.get("ia::operation") == "delete":
            current.pop(key, None)
        elif key:
            current[key].update(line)
        else:
            added.append(line)
    return [*current.values(), *added]


def update(ctx: CallContext, robj: RestObject, key: str, body: Any, config: EmulatorConfig) -> Record:
    odef = get_object(robj.backend)
    if not robj.updatable or robj.writer != "generic":
        raise RestError(405, "methodNotAllowed", f"PATCH is not supported for {robj.path}")
    check_permission(ctx, "update", odef)
    previous = existing(ctx, robj, key)
    lookup = convert.record_lookup(ctx.conn, ctx.company_id)
    if isinstance(body, dict) and str(body.get("key", key)) != str(key):
        raise bad_request(f"/key {body.get('key')} differs from the key {key} in the path", target="/key")
    changes, raw_lines = convert.to_stored(robj, odef, body, lookup, unknown=config.rest_unknown_fields)
    lines = None
    if raw_lines is not None and odef.lines is not None:
        lines = _merge_lines(odef, previous, _lines(ctx, robj, odef, raw_lines, config, lookup) or [], raw_lines)
    return writes.update_record(ctx, odef, previous, changes, lines)


def delete(ctx: CallContext, robj: RestObject, key: str) -> None:
    odef = get_object(robj.backend)
    if not robj.deletable or robj.writer is None or not (odef.writable or odef.name in writes.GENERIC_DELETE_ONLY):
        raise RestError(405, "methodNotAllowed", f"DELETE is not supported for {robj.path}")
    check_permission(ctx, "delete", odef)
    record = existing(ctx, robj, key)
    writes.check_deletable(ctx, odef, record)
    writes.delete_records(ctx, odef, [record])


def reference_of(robj: RestObject, record: Record, config: EmulatorConfig | None = None) -> dict[str, str]:
    """`{key, id, href}`; a sales document's `id` is its DOCID unless `rest_document_id` = key (UNVERIFIED)."""
    odef = get_object(robj.backend)
    key = str(record["RECORDNO"])
    by_key = odef.name == "SODOCUMENT" and config is not None and config.rest_document_id == "key"
    record_id = key if by_key else str(record.get(odef.id_field or "RECORDNO", key))
    return {"key": key, "id": record_id, "href": f"/objects/{quote(robj.path, safe='/:')}/{key}"}

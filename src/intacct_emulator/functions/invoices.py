"""Receivables invoices: legacy create_invoice, the invoice store shared with order entry, and invoice deletes."""

from __future__ import annotations

from lxml import etree

from collections.abc import Callable

from ..backend.catalogue import ObjectDef
from ..backend.objects import get_object
from ..backend.receivables import add_customer_due, invoice_totals, money, to_cents
from ..backend.records import Record, find_by_id, find_by_ref, insert_record, next_recordno
from ..backend.sequences import next_number
from .base import (
    DUPLICATE_ERROR, CallContext, ErrorInfo, FunctionFailure, FunctionOutcome, business_error, check_permission,
    child_text,
)
from .legacy_in import key_element, required_text, ymd

_LINE_MAP = {"memo": "ENTRYDESCRIPTION", "locationid": "LOCATIONID", "departmentid": "DEPARTMENTID",
             "classid": "CLASSID", "itemid": "ITEMID", "projectid": "PROJECTID", "warehouseid": "WAREHOUSEID",
             "offsetglaccountno": "OFFSETGLACCOUNTNO", "customerid": "CUSTOMERID", "vendorid": "VENDORID",
             "employeeid": "EMPLOYEEID", "contractid": "CONTRACTID", "accountlabel": "ACCOUNTLABEL"}
_LINE_DIMENSIONS = {"LOCATIONID": "LOCATION", "DEPARTMENTID": "DEPARTMENT", "CLASSID": "CLASS", "ITEMID": "ITEM",
                    "WAREHOUSEID": "WAREHOUSE", "CUSTOMERID": "CUSTOMER", "GLDIMFUND": "FUND",
                    "GLDIMPROGRAM": "PROGRAM"}


def check_posting_date(ctx: CallContext, iso_date: str, what: str) -> None:
    """Refuse a date on or before the day the books are closed through (the entity's, else the company's)."""
    closed = ctx.backend.closed_through(ctx.conn, ctx.company_id, ctx.entity_id)
    if iso_date and closed is not None and iso_date <= closed.isoformat():
        where = f" at entity {ctx.entity_id}" if ctx.entity_id else ""
        raise business_error(f"The {what} date {iso_date} is in a closed period",
                             f"The books are closed through {closed.isoformat()}{where}: the period ending"
                             f" {closed.isoformat()} and every earlier one accept no new entries.",
                             f"Use a date after {closed.isoformat()}, or ask an administrator to reopen the period.")


def custom_fields(node: etree._Element, allowed: Callable[[str], str | None], where: str) -> dict[str, str]:
    """``<customfields><customfield><customfieldname/><customfieldvalue/>`` as stored fields.

    ``allowed`` gives the stored name of a custom field (GLDIMFUND) or None when the object has no such field.
    """
    found: dict[str, str] = {}
    for item in node.findall("customfields/customfield"):
        raw_name = (item.findtext("customfieldname") or "").strip()
        name = allowed(raw_name)
        if name is None:
            raise business_error(f"Unknown custom field '{raw_name}'{where}",
                                 f"{raw_name or 'An empty name'} is not a custom field of this record.",
                                 "Use lookup to list the object's fields.")
        found[name] = (item.findtext("customfieldvalue") or "").strip()
    return found


def legacy_ar_line(ctx: CallContext, odef: ObjectDef, node: etree._Element, number: int) -> Record:
    """One ``lineitem`` of create_invoice / create_aradjustment in stored form; amounts rounded to cents."""
    accountno = child_text(node, "glaccountno") or ""
    label = child_text(node, "accountlabel") or ""
    if not accountno and label:
        raise business_error(f"Invalid account label '{label}' on line {number}",
                             "No AR account labels are set up in this company.", "Give <glaccountno> instead.")
    account = find_by_id(ctx.conn, get_object("GLACCOUNT"), ctx.company_id, accountno, ctx.reference_scope())
    if account is None or account.get("STATUS") != "active":
        raise business_error(f"Invalid GL account '{accountno}' on line {number}",
                             "The account does not exist or is inactive.")
    line: Record = {"ACCOUNTNO": accountno, "AMOUNT": child_text(node, "amount") or ""}
    for tag, name in _LINE_MAP.items():
        if child_text(node, tag):
            line[name] = child_text(node, tag)
    assert odef.lines is not None
    line.update(custom_fields(node, lambda n: f.name if (f := odef.lines.field(n)) and not f.readonly else None,
                              f" on line {number}"))
    return checked_ar_line(ctx, line, number, account_checked=True)


def checked_ar_line(ctx: CallContext, line: Record, number: int, *, account_checked: bool = False) -> Record:
    """An AR invoice/adjustment line in stored form, checked (account, non-zero amount, dimensions), cents-rounded.

    Shared by the legacy XML functions and the REST wire, so both refuse the same lines the same way.
    """
    accountno = str(line.get("ACCOUNTNO", ""))
    if not account_checked:
        account = find_by_id(ctx.conn, get_object("GLACCOUNT"), ctx.company_id, accountno, ctx.reference_scope())
        if account is None or account.get("STATUS") != "active":
            raise business_error(f"Invalid GL account '{accountno}' on line {number}",
                                 "The account does not exist or is inactive.")
    raw = str(line.get("AMOUNT", ""))
    amount = to_cents(raw)  # the gateway rounds AR amounts to cents
    if amount is None or amount == 0:
        raise business_error(f"Invalid amount '{raw}' on line {number}", "Give a non-zero amount such as 125.00.")
    line = {**line, "AMOUNT": str(amount)}
    for name, object_name in _LINE_DIMENSIONS.items():
        require_line_reference(ctx, object_name, line.get(name), number)
    return line


def legacy_ar_lines(ctx: CallContext, odef: ObjectDef, fn: etree._Element, container: str) -> list[Record]:
    items = fn.find(container)
    lines = [] if items is None else [legacy_ar_line(ctx, odef, n, i)
                                      for i, n in enumerate(items.findall("lineitem"), 1)]
    if not lines:
        raise business_error(f"A {odef.label.lower()} needs at least one <lineitem> under <{container}>")
    return lines


def require_line_reference(ctx: CallContext, object_name: str, value: str | None, number: int) -> None:
    """A legacy line's dimension value (location, item, ...) must name a record the caller may use."""
    if value and find_by_id(ctx.conn, get_object(object_name), ctx.company_id, value, ctx.reference_scope()) is None:
        raise business_error(f"Invalid {object_name.title()} '{value}' on line {number}")


def document_number(ctx: CallContext, odef: ObjectDef, given: str | None) -> str:
    """The given invoice/adjustment number, refused when another record has it; else the company's next one."""
    if given:
        if find_by_ref(ctx.conn, odef, ctx.company_id, given):
            raise FunctionFailure(ErrorInfo(DUPLICATE_ERROR,
                                            f"Another {odef.label} with the given value(s) {given} already exists",
                                            f"{odef.ref_field} {given} is already used by another {odef.label}.",
                                            "Use a unique value instead."))
        return given
    return next_number(ctx.conn, ctx.company_id, odef.name,
                       taken=lambda number: bool(find_by_ref(ctx.conn, odef, ctx.company_id, number)),
                       now=ctx.now, user_id=ctx.user.user_id)


def store_invoice(ctx: CallContext, invoice: Record, *, draft: bool = False) -> Record:
    """Insert an invoice (each line with its own RECORDNO, for ENTRYKEY) and raise the customer's due."""
    invoice_totals(invoice)
    if draft:
        invoice["STATE"] = "Draft"
    recordno = next_recordno(ctx.conn, ctx.company_id)
    for line in invoice.get("ARINVOICEITEMS", []):
        line["RECORDNO"], line["RECORDKEY"] = str(next_recordno(ctx.conn, ctx.company_id)), str(recordno)
    stored = insert_record(ctx.conn, get_object("ARINVOICE"), ctx.company_id, invoice, entity=ctx.entity(),
                           now=ctx.now, user_id=ctx.user.user_id, recordno=recordno)
    add_customer_due(ctx.conn, ctx.company_id, invoice["CUSTOMERID"], money(invoice["TOTALDUE"]), now=ctx.now,
                     user_id=ctx.user.user_id)
    return stored


def require_customer(ctx: CallContext, customer_id: str) -> Record:
    customer = find_by_id(ctx.conn, get_object("CUSTOMER"), ctx.company_id, customer_id, ctx.reference_scope())
    if customer is None:
        raise business_error(f"Invalid Customer '{customer_id}' specified.", "The customer does not exist.")
    if customer.get("STATUS") != "active":
        raise business_error(f"Customer {customer_id} is inactive.")
    return customer


def legacy_action(fn: etree._Element) -> str:
    """<action>: Draft keeps the document a draft, Submit (the default) posts it."""
    action = child_text(fn, "action") or "Submit"
    if action not in ("Draft", "Submit"):
        raise business_error(f"Invalid action '{action}'", "Use Draft or Submit.")
    return action


def create_invoice(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy AR invoice; answers ``<key>`` = the new RECORDNO. Without <invoiceno>, the next number is taken."""
    odef = get_object("ARINVOICE")
    check_permission(ctx, "create_invoice", odef)
    customer = require_customer(ctx, required_text(fn, "customerid", "create_invoice"))
    when = ymd(fn, "datecreated", "create_invoice", required=True)
    check_posting_date(ctx, when, "invoice")
    if not (fn.find("datedue") is not None or child_text(fn, "termname")):
        raise business_error("An invoice needs a due date or a payment term", "Give <datedue> or <termname>.")
    action = legacy_action(fn)
    lines = legacy_ar_lines(ctx, odef, fn, "invoiceitems")
    header = custom_fields(fn, lambda n: f.name if (f := odef.field(n)) and not f.readonly else None, "")
    invoice: Record = {
        **header, "WHENCREATED": when,
        "WHENPOSTED": ymd(fn, "dateposted", "create_invoice") or when, "WHENDUE": ymd(fn, "datedue", "create_invoice"),
        "DOCNUMBER": child_text(fn, "ponumber") or "",
        "PONUMBER": child_text(fn, "ponumber") or "", "DESCRIPTION": child_text(fn, "description") or "",
        "TERMNAME": child_text(fn, "termname") or "", "EXTERNALID": child_text(fn, "externalid") or "",
        "CURRENCY": child_text(fn, "currency") or "USD", "BASECURR": child_text(fn, "basecurr") or "USD",
        "BILLTO.CONTACTNAME": fn.findtext("billto/contactname", "").strip(),
        "SHIPTO.CONTACTNAME": fn.findtext("shipto/contactname", "").strip(),
        "ARINVOICEITEMS": lines,
    }
    stored = create_invoice_record(ctx, customer, invoice, child_text(fn, "invoiceno"), draft=action == "Draft")
    return FunctionOutcome([key_element(stored["RECORDNO"])], billable=1)


def create_invoice_record(ctx: CallContext, customer: Record, invoice: Record, invoice_no: str | None, *,
                          draft: bool) -> Record:
    """Number and store an invoice whose header and lines are checked already (XML and REST alike)."""
    invoice = {**invoice, "CUSTOMERID": customer["CUSTOMERID"], "CUSTOMERNAME": customer.get("NAME", ""),
               "MODULEKEY": "4.AR"}
    invoice["RECORDID"] = document_number(ctx, get_object("ARINVOICE"), invoice_no)
    return store_invoice(ctx, invoice, draft=draft)


def remove_invoice(ctx: CallContext, invoice: Record) -> None:
    """Delete hook: an invoice with payments applied stays; otherwise its amount leaves the customer's balance."""
    if money(invoice.get("TOTALPAID")) > 0:
        raise business_error(f"Invoice {invoice['RECORDNO']} has payments applied and cannot be deleted",
                             "Reverse the payments first.")
    add_customer_due(ctx.conn, ctx.company_id, invoice["CUSTOMERID"], -money(invoice.get("TOTALDUE")),
                     now=ctx.now, user_id=ctx.user.user_id)

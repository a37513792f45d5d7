"""Receivables invoices: legacy create_invoice, the invoice store shared with order entry, and invoice deletes."""

from __future__ import annotations

from lxml import etree

from ..backend.objects import get_object
from ..backend.receivables import add_customer_due, invoice_totals, money, to_cents
from ..backend.records import Record, find_by_id, insert_record, next_recordno
from .base import CallContext, FunctionOutcome, business_error, check_permission, child_text
from .legacy_in import key_element, required_text, ymd

_INVOICE_LINE_MAP = {"memo": "ENTRYDESCRIPTION", "locationid": "LOCATIONID", "departmentid": "DEPARTMENTID",
                     "classid": "CLASSID", "itemid": "ITEMID", "projectid": "PROJECTID", "warehouseid": "WAREHOUSEID",
                     "offsetglaccountno": "OFFSETGLACCOUNTNO"}
_INVOICE_DIMENSIONS = {"LOCATIONID": "LOCATION", "DEPARTMENTID": "DEPARTMENT", "CLASSID": "CLASS", "ITEMID": "ITEM",
                       "WAREHOUSEID": "WAREHOUSE"}


def check_posting_date(ctx: CallContext, iso_date: str, what: str) -> None:
    closed = ctx.backend.closed_through(ctx.conn, ctx.company_id, ctx.entity_id)
    if iso_date and closed is not None and iso_date <= closed.isoformat():
        raise business_error(f"The {what} date {iso_date} is in a closed period",
                             f"The books are closed through {closed.isoformat()}.")


def _invoice_line(ctx: CallContext, node: etree._Element, number: int) -> Record:
    accountno = child_text(node, "glaccountno") or ""
    account = find_by_id(ctx.conn, get_object("GLACCOUNT"), ctx.company_id, accountno, ctx.reference_scope())
    if account is None or account.get("STATUS") != "active":
        raise business_error(f"Invalid GL account '{accountno}' on line {number}",
                             "The account does not exist or is inactive.")
    raw = child_text(node, "amount") or ""
    amount = to_cents(raw)  # the gateway rounds invoice amounts to cents
    if amount is None or amount == 0:
        raise business_error(f"Invalid amount '{raw}' on line {number}", "Give a non-zero amount such as 125.00.")
    line: Record = {"ACCOUNTNO": accountno, "AMOUNT": str(amount)}
    for tag, name in _INVOICE_LINE_MAP.items():
        if child_text(node, tag):
            line[name] = child_text(node, tag)
    for name, object_name in _INVOICE_DIMENSIONS.items():
        require_line_reference(ctx, object_name, line.get(name), number)
    return line


def require_line_reference(ctx: CallContext, object_name: str, value: str | None, number: int) -> None:
    """A legacy line's dimension value (location, item, ...) must name a record the caller may use."""
    if value and find_by_id(ctx.conn, get_object(object_name), ctx.company_id, value, ctx.reference_scope()) is None:
        raise business_error(f"Invalid {object_name.title()} '{value}' on line {number}")


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


def create_invoice(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy AR invoice; answers ``<key>`` = the new RECORDNO."""
    check_permission(ctx, "create_invoice", get_object("ARINVOICE"))
    customer = require_customer(ctx, required_text(fn, "customerid", "create_invoice"))
    when = ymd(fn, "datecreated", "create_invoice", required=True)
    check_posting_date(ctx, when, "invoice")
    if not (fn.find("datedue") is not None or child_text(fn, "termname")):
        raise business_error("An invoice needs a due date or a payment term", "Give <datedue> or <termname>.")
    action = child_text(fn, "action") or "Submit"
    if action not in ("Draft", "Submit"):
        raise business_error(f"Invalid action '{action}'", "Use Draft or Submit.")
    items = fn.find("invoiceitems")
    lines = [] if items is None else [_invoice_line(ctx, n, i) for i, n in enumerate(items.findall("lineitem"), 1)]
    if not lines:
        raise business_error("An invoice needs at least one <lineitem> under <invoiceitems>")
    invoice: Record = {
        "CUSTOMERID": customer["CUSTOMERID"], "CUSTOMERNAME": customer.get("NAME", ""), "WHENCREATED": when,
        "WHENPOSTED": ymd(fn, "dateposted", "create_invoice") or when, "WHENDUE": ymd(fn, "datedue", "create_invoice"),
        "RECORDID": child_text(fn, "invoiceno") or "", "DOCNUMBER": child_text(fn, "ponumber") or "",
        "PONUMBER": child_text(fn, "ponumber") or "", "DESCRIPTION": child_text(fn, "description") or "",
        "TERMNAME": child_text(fn, "termname") or "", "EXTERNALID": child_text(fn, "externalid") or "",
        "CURRENCY": child_text(fn, "currency") or "USD", "BASECURR": child_text(fn, "basecurr") or "USD",
        "MODULEKEY": "4.AR", "ARINVOICEITEMS": lines,
    }
    stored = store_invoice(ctx, invoice, draft=action == "Draft")
    return FunctionOutcome([key_element(stored["RECORDNO"])], billable=1)


def remove_invoice(ctx: CallContext, invoice: Record) -> None:
    """Delete hook: an invoice with payments applied stays; otherwise its amount leaves the customer's balance."""
    if money(invoice.get("TOTALPAID")) > 0:
        raise business_error(f"Invoice {invoice['RECORDNO']} has payments applied and cannot be deleted",
                             "Reverse the payments first.")
    add_customer_due(ctx.conn, ctx.company_id, invoice["CUSTOMERID"], -money(invoice.get("TOTALDUE")),
                     now=ctx.now, user_id=ctx.user.user_id)

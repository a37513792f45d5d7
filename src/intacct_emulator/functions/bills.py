"""Payables bills: the generic APBILL create (hooks of the generic writes) and AP terms.

A bill names an active vendor, a bill date outside the closed books, and a due date or an AP
term (the term gives the due date: DUEDATE days from the bill date). A bill number (RECORDID)
is unique per vendor, as when the company refuses duplicate bill numbers. Each line takes a GL
account, or an item whose expense account it posts to; the bill's total raises the vendor's due.
"""

from __future__ import annotations

import datetime as dt

from ..backend.catalogue import ObjectDef
from ..backend.objects import get_object
from ..backend.receivables import ZERO, add_customer_due, money, to_cents
from ..backend.records import Record, find_by_id, find_by_ref, next_recordno
from .base import DUPLICATE_ERROR, CallContext, ErrorInfo, FunctionFailure, business_error
from .invoices import check_posting_date, require_line_reference

_LINE_DIMENSIONS = {"LOCATIONID": "LOCATION", "DEPARTMENTID": "DEPARTMENT", "CLASSID": "CLASS",
                    "WAREHOUSEID": "WAREHOUSE", "CUSTOMERID": "CUSTOMER", "GLDIMFUND": "FUND",
                    "GLDIMPROGRAM": "PROGRAM"}


def require_vendor(ctx: CallContext, vendor_id: str) -> Record:
    vendor = find_by_id(ctx.conn, get_object("VENDOR"), ctx.company_id, vendor_id, ctx.reference_scope())
    if vendor is None:
        raise business_error(f"Invalid Vendor '{vendor_id}' specified.", "The vendor does not exist.",
                             "Use an existing vendor ID.")
    if vendor.get("STATUS") != "active":
        raise business_error(f"Vendor {vendor_id} is inactive.", None, "Activate the vendor or use another one.")
    return vendor


def due_date(ctx: CallContext, term_name: str, bill_date: str) -> str:
    """The due date an AP term gives a bill dated ``bill_date``; an unknown or inactive term is refused."""
    term = find_by_id(ctx.conn, get_object("APTERM"), ctx.company_id, term_name, ctx.reference_scope())
    if term is None or term.get("STATUS") == "inactive":
        raise business_error(f"Invalid AP term '{term_name}'", f"No active AP term named {term_name} exists.",
                             "Use the name of an existing AP term, or give WHENDUE instead.")
    start = dt.date.fromisoformat(bill_date)
    days = int(term.get("DUEDATE") or 0)
    if term.get("DUEFROM") == "of next month from bill date":
        start = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return (start + dt.timedelta(days=days)).isoformat()


def _check_number(ctx: CallContext, record: Record) -> None:
    number = str(record.get("RECORDID") or "")
    if not number:
        return
    for other in find_by_ref(ctx.conn, get_object("APBILL"), ctx.company_id, number):
        if other.get("VENDORID") == record.get("VENDORID") and other.get("RECORDNO") != record.get("RECORDNO"):
            raise FunctionFailure(ErrorInfo(DUPLICATE_ERROR,
                                            f"Another AP Bill with the given value(s) {number} already exists",
                                            f"Vendor {record.get('VENDORID')} already has a bill numbered {number}.",
                                            "Use a unique bill number for this vendor."))


def _line(ctx: CallContext, line: Record, number: int) -> None:
    """One APBILLITEM checked and completed: its account (or its item's expense account), its amount in cents."""
    item_id = str(line.get("ITEMID") or "")
    if item_id:
        require_line_reference(ctx, "ITEM", item_id, number)
    if not line.get("ACCOUNTNO") and item_id:
        item = find_by_id(ctx.conn, get_object("ITEM"), ctx.company_id, item_id, ctx.reference_scope())
        line["ACCOUNTNO"] = str((item or {}).get("EXPENSEACCTKEY") or "")
        if not line["ACCOUNTNO"]:
            raise business_error(f"Item {item_id} on line {number} has no expense GL account",
                                 "A bill line posts to its GL account, or to its item's expense account.",
                                 "Give ACCOUNTNO on the line, or set the item's expense GL account.")
    account_no = str(line.get("ACCOUNTNO") or "")
    account = find_by_id(ctx.conn, get_object("GLACCOUNT"), ctx.company_id, account_no, ctx.reference_scope())
    if account is None or account.get("STATUS") != "active":
        raise business_error(f"Invalid GL account '{account_no}' on line {number}",
                             "The account does not exist or is inactive.", "Give an active ACCOUNTNO or an ITEMID.")
    raw = line.get("TRX_AMOUNT") or ""
    amount = to_cents(raw)
    if amount is None or amount == 0:
        raise business_error(f"Invalid amount '{raw}' on line {number}", "Give a non-zero amount such as 125.00.")
    for name, object_name in _LINE_DIMENSIONS.items():
        require_line_reference(ctx, object_name, line.get(name), number)
    line.update(TRX_AMOUNT=str(amount), AMOUNT=str(amount), TOTALPAID=str(ZERO), TOTALDUE=str(amount),
                LINE_NO=str(number))


def prepare_apbill(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    """Generic create APBILL: vendor, dates, term, lines and totals (posted bills are not updated)."""
    if previous is not None:
        raise business_error(f"Bill {previous['RECORDNO']} is posted and cannot be changed",
                             "Reverse the bill and enter a new one.")
    vendor = require_vendor(ctx, str(record.get("VENDORID", "")))
    when = str(record.get("WHENCREATED", ""))
    check_posting_date(ctx, str(record.get("WHENPOSTED") or when), "bill")
    term = str(record.get("TERMNAME") or "")
    if term:
        record["WHENDUE"] = record.get("WHENDUE") or due_date(ctx, term, when)
    elif not record.get("WHENDUE"):
        raise business_error("A bill needs a due date or an AP term", "Give WHENDUE or TERMNAME.")
    _check_number(ctx, record)
    lines = record.get("APBILLITEMS", [])
    if not lines:
        raise business_error("An APBILL needs at least one APBILLITEM under APBILLITEMS")
    for number, line in enumerate(lines, start=1):
        _line(ctx, line, number)
        line.update(RECORDNO=str(next_recordno(ctx.conn, ctx.company_id)), RECORDKEY=record["RECORDNO"])
    total = sum((money(line["TRX_AMOUNT"]) for line in lines), ZERO)
    draft = record.get("ACTION") == "Draft"
    record.update(VENDORNAME=vendor.get("NAME", ""), RECORDTYPE="pi", MODULEKEY="3.AP",
                  STATE="Draft" if draft else "Posted", WHENPOSTED=record.get("WHENPOSTED") or when,
                  CURRENCY=record.get("CURRENCY") or "USD", BASECURR=record.get("BASECURR") or "USD",
                  TOTALENTERED=str(total), TRX_TOTALENTERED=str(total), TOTALPAID=str(ZERO), TRX_TOTALPAID=str(ZERO),
                  TOTALDUE=str(total), TRX_TOTALDUE=str(total))
    return record


def raise_vendor_due(ctx: CallContext, record: Record, previous: Record | None) -> None:
    """A posted bill raises what the company owes its vendor."""
    if previous is None and record.get("STATE") == "Posted":
        add_customer_due(ctx.conn, ctx.company_id, record["VENDORID"], money(record.get("TOTALDUE")), now=ctx.now,
                         user_id=ctx.user.user_id, object_name="VENDOR")


def refuse_posted_bill_delete(ctx: CallContext, record: Record) -> None:
    if money(record.get("TOTALPAID")) > 0:
        raise business_error(f"Bill {record['RECORDNO']} has payments or credits applied and cannot be deleted",
                             "Reverse them first.")
    if record.get("STATE") != "Draft":
        add_customer_due(ctx.conn, ctx.company_id, record["VENDORID"], -money(record.get("TOTALDUE")), now=ctx.now,
                         user_id=ctx.user.user_id, object_name="VENDOR")

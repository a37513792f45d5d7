"""Payables adjustments: legacy create_apadjustment (vendor debit and credit memos).

A vendor credit memo is an adjustment whose lines total less than zero. When it names a bill of
the same vendor in <billno> (the bill's RECORDID), the emulator applies the credit to that bill at
once, lowering its TOTALDUE, as the AR side does for credit memos (see functions.adjustments).
"""

from __future__ import annotations

from lxml import etree

from ..backend.objects import get_object
from ..backend.receivables import ZERO, add_customer_due, money, settle_invoice
from ..backend.records import Record, find_by_ref, insert_record, next_recordno
from .base import CallContext, FunctionOutcome, business_error, check_permission, child_text
from .bills import require_vendor
from .invoices import check_posting_date, document_number, legacy_action, legacy_ar_lines
from .legacy_in import key_element, required_text, ymd


def _target_bill(ctx: CallContext, bill_no: str, vendor_id: str, credit: bool) -> Record | None:
    """The bill a credit applies to, checked; None when no <billno> was given."""
    if not bill_no:
        return None
    bills = [b for b in find_by_ref(ctx.conn, get_object("APBILL"), ctx.company_id, bill_no, ctx.scope())
             if b.get("VENDORID") == vendor_id]
    if not bills:
        raise business_error(f"Invalid bill number '{bill_no}'", f"Vendor {vendor_id} has no AP bill {bill_no}.",
                             "Give the number (RECORDID) of an existing bill of this vendor, or leave <billno> out.")
    bill = bills[0]
    if credit and bill.get("STATE") == "Draft":
        raise business_error(f"Bill {bill_no} is a draft and cannot take a credit")
    if credit and bill.get("STATE") == "Paid":
        raise business_error(f"Bill {bill_no} is already paid in full", "A paid bill accepts no further credits.")
    return bill


def create_apadjustment(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy AP adjustment; answers ``<key>`` = the new RECORDNO. Without <adjustmentno>, the next number."""
    odef = get_object("APADJUSTMENT")
    check_permission(ctx, "create_apadjustment", odef)
    vendor = require_vendor(ctx, required_text(fn, "vendorid", "create_apadjustment"))
    when = ymd(fn, "datecreated", "create_apadjustment", required=True)
    posted = ymd(fn, "dateposted", "create_apadjustment") or when
    check_posting_date(ctx, posted, "adjustment")
    draft = legacy_action(fn) == "Draft"
    lines = legacy_ar_lines(ctx, odef, fn, "apadjustmentitems")
    total = sum((money(line["AMOUNT"]) for line in lines), ZERO)
    bill_no = child_text(fn, "billno") or ""
    bill = _target_bill(ctx, bill_no, vendor["VENDORID"], credit=total < 0 and not draft)
    applied = ZERO
    if bill is not None and total < 0 and not draft:
        applied = -total
        due = money(bill.get("TOTALDUE"))
        if applied > due:
            raise business_error(f"Credit of {applied} to bill {bill_no} exceeds its amount due {due}",
                                 "Over-application is not allowed.", "Lower the credit or leave <billno> out.")
    recordno = next_recordno(ctx.conn, ctx.company_id)
    for number, line in enumerate(lines, start=1):
        line.update(RECORDNO=str(next_recordno(ctx.conn, ctx.company_id)), RECORDKEY=str(recordno),
                    LINE_NO=str(number), TRX_AMOUNT=line["AMOUNT"])
    paid = -applied
    adjustment: Record = {
        "RECORDTYPE": "pa", "VENDORID": vendor["VENDORID"], "VENDORNAME": vendor.get("NAME", ""),
        "RECORDID": document_number(ctx, odef, child_text(fn, "adjustmentno")), "DOCNUMBER": bill_no,
        "DESCRIPTION": child_text(fn, "description") or "", "EXTERNALID": child_text(fn, "externalid") or "",
        "WHENCREATED": when, "WHENPOSTED": posted, "CURRENCY": child_text(fn, "currency") or "USD",
        "BASECURR": child_text(fn, "basecurr") or "USD", "MODULEKEY": "3.AP",
        "STATE": "Draft" if draft else ("Paid" if applied else "Posted"),
        "TOTALENTERED": str(total), "TRX_TOTALENTERED": str(total), "TOTALPAID": str(paid),
        "TRX_TOTALPAID": str(paid), "TOTALDUE": str(total - paid), "TRX_TOTALDUE": str(total - paid),
        "APADJUSTMENTITEMS": lines,
    }
    if applied:
        adjustment.update(BILLKEY=bill["RECORDNO"], WHENPAID=posted)
        settle_invoice(ctx.conn, ctx.company_id, bill, applied, "", paid_on=posted, now=ctx.now,
                       user_id=ctx.user.user_id, object_name="APBILL")
    stored = insert_record(ctx.conn, odef, ctx.company_id, adjustment, entity=ctx.entity(), now=ctx.now,
                           user_id=ctx.user.user_id, recordno=recordno)
    if not draft:
        add_customer_due(ctx.conn, ctx.company_id, vendor["VENDORID"], total, now=ctx.now,
                         user_id=ctx.user.user_id, object_name="VENDOR")
    return FunctionOutcome([key_element(stored["RECORDNO"])], billable=1)

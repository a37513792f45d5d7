"""Payables adjustments: legacy create_apadjustment (vendor debit and credit memos).

A vendor credit memo is an adjustment whose lines total less than zero. When it names a bill of
the same vendor in <billno> (the bill's RECORDID), the emulator applies the credit to that bill at
once, lowering its TOTALDUE, as the AR side does for credit memos (see functions.adjustments).
"""

from __future__ import annotations

from lxml import etree

from ..backend.objects import get_object
from ..backend.records import Record, find_by_ref
from .adjustments import Side, create_adjustment
from .base import CallContext, FunctionOutcome, business_error, check_permission
from .bills import require_vendor
from .legacy_in import required_text


def target_bill(ctx: CallContext, bill_no: str, vendor_id: str, credit: bool) -> Record | None:
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


AP = Side("create_apadjustment", "APADJUSTMENT", "VENDORID", "VENDORNAME", "VENDOR", "APBILL", "billno", "BILLKEY",
          "pa", "3.AP")


def create_apadjustment(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy AP adjustment; answers ``<key>`` = the new RECORDNO. Without <adjustmentno>, the next number."""
    check_permission(ctx, AP.function, get_object(AP.object_name))
    vendor = require_vendor(ctx, required_text(fn, "vendorid", AP.function))
    return create_adjustment(ctx, fn, AP, vendor, target_bill)

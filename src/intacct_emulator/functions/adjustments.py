"""Receivables adjustments: legacy create_aradjustment (debit and credit memos).

A credit memo is an adjustment whose lines total less than zero (the gateway's
convention: "Amount must be negative for credit memos"). When it names an invoice
of the same customer in <invoiceno>, the emulator applies the credit to that
invoice at once, lowering its TOTALDUE and moving its STATE and WHENMODIFIED
(our choice: the reference does not say how real Intacct links the two; there a
credit is applied through a payment's inline credit).
"""

from __future__ import annotations

from lxml import etree

from ..backend.objects import get_object
from ..backend.receivables import ZERO, add_customer_due, money, settle_invoice
from ..backend.records import Record, find_by_ref, insert_record, next_recordno
from .base import CallContext, FunctionOutcome, business_error, check_permission, child_text
from .invoices import check_posting_date, document_number, legacy_action, legacy_ar_lines, require_customer
from .legacy_in import key_element, required_text, ymd


def _target_invoice(ctx: CallContext, invoice_no: str, customer_id: str, credit: bool) -> Record | None:
    """The invoice a credit memo applies to, checked; None when no <invoiceno> was given."""
    if not invoice_no:
        return None
    found = find_by_ref(ctx.conn, get_object("ARINVOICE"), ctx.company_id, invoice_no, ctx.scope())
    if not found:
        raise business_error(f"Invalid invoice number '{invoice_no}'", f"No AR invoice {invoice_no} exists.",
                             "Give the number (RECORDID) of an existing invoice, or leave <invoiceno> out.")
    invoice = found[0]
    if invoice.get("CUSTOMERID") != customer_id:
        raise business_error(f"Invoice {invoice_no} belongs to customer {invoice.get('CUSTOMERID')}, not {customer_id}")
    if credit and invoice.get("STATE") == "Draft":
        raise business_error(f"Invoice {invoice_no} is a draft and cannot take a credit")
    if credit and invoice.get("STATE") == "Paid":
        raise business_error(f"Invoice {invoice_no} is already paid in full",
                             "A paid invoice accepts no further credits.")
    return invoice


def create_aradjustment(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy AR adjustment; answers ``<key>`` = the new RECORDNO. Without <adjustmentno>, the next number."""
    odef = get_object("ARADJUSTMENT")
    check_permission(ctx, "create_aradjustment", odef)
    customer = require_customer(ctx, required_text(fn, "customerid", "create_aradjustment"))
    when = ymd(fn, "datecreated", "create_aradjustment", required=True)
    posted = ymd(fn, "dateposted", "create_aradjustment") or when
    check_posting_date(ctx, posted, "adjustment")
    action = legacy_action(fn)
    lines = legacy_ar_lines(ctx, odef, fn, "aradjustmentitems")
    header = {"RECORDID": child_text(fn, "adjustmentno"), "DESCRIPTION": child_text(fn, "description") or "",
              "EXTERNALID": child_text(fn, "externalid") or "", "WHENCREATED": when, "WHENPOSTED": posted,
              "CURRENCY": child_text(fn, "currency") or "USD", "BASECURR": child_text(fn, "basecurr") or "USD"}
    stored = create_adjustment_record(ctx, customer, header, lines, child_text(fn, "invoiceno") or "",
                                      draft=action == "Draft")
    return FunctionOutcome([key_element(stored["RECORDNO"])], billable=1)


def create_adjustment_record(ctx: CallContext, customer: Record, header: Record, lines: list[Record],
                             invoice_no: str, *, draft: bool) -> Record:
    """Store an adjustment whose lines are checked already; a credit naming an invoice is applied to it.

    `header` holds RECORDID (None: the next number), DESCRIPTION, EXTERNALID, WHENCREATED, WHENPOSTED,
    CURRENCY and BASECURR. Shared by create_aradjustment and the REST wire.
    """
    odef = get_object("ARADJUSTMENT")
    posted = header["WHENPOSTED"]
    total = sum((money(line["AMOUNT"]) for line in lines), ZERO)
    invoice = _target_invoice(ctx, invoice_no, customer["CUSTOMERID"], credit=total < 0 and not draft)
    applied = ZERO
    if invoice is not None and total < 0 and not draft:
        applied = -total
        due = money(invoice.get("TOTALDUE"))
        if applied > due:
            raise business_error(f"Credit of {applied} to invoice {invoice_no} exceeds its amount due {due}",
                                 "Over-application is not allowed.", "Lower the credit or leave <invoiceno> out.")
    recordno = next_recordno(ctx.conn, ctx.company_id)
    for number, line in enumerate(lines, start=1):
        line.update(RECORDNO=str(next_recordno(ctx.conn, ctx.company_id)), RECORDKEY=str(recordno),
                    LINE_NO=str(number), TRX_AMOUNT=line["AMOUNT"])
    paid = -applied
    adjustment: Record = {
        "RECORDTYPE": "ra", "CUSTOMERID": customer["CUSTOMERID"], "CUSTOMERNAME": customer.get("NAME", ""),
        **header, "RECORDID": document_number(ctx, odef, header.get("RECORDID")), "DOCNUMBER": invoice_no,
        "MODULEKEY": "4.AR",
        "STATE": "Draft" if draft else ("Paid" if applied else "Posted"),
        "TOTALENTERED": str(total), "TRX_TOTALENTERED": str(total), "TOTALPAID": str(paid),
        "TRX_TOTALPAID": str(paid), "TOTALDUE": str(total - paid), "TRX_TOTALDUE": str(total - paid),
        "ARADJUSTMENTITEMS": lines,
    }
    if applied:
        adjustment.update(INVOICEKEY=invoice["RECORDNO"], WHENPAID=posted)
        settle_invoice(ctx.conn, ctx.company_id, invoice, applied, "", paid_on=posted, now=ctx.now,
                       user_id=ctx.user.user_id)
    stored = insert_record(ctx.conn, odef, ctx.company_id, adjustment, entity=ctx.entity(), now=ctx.now,
                           user_id=ctx.user.user_id, recordno=recordno)
    if not draft:
        add_customer_due(ctx.conn, ctx.company_id, customer["CUSTOMERID"], total, now=ctx.now,
                         user_id=ctx.user.user_id)
    return stored

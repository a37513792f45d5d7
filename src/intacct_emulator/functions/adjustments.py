"""Adjustments: legacy create_aradjustment (debit and credit memos), and the core AP adjustments share.

A credit memo is an adjustment whose lines total less than zero (the gateway's
convention: "Amount must be negative for credit memos"). When it names an invoice
of the same customer in <invoiceno>, the emulator applies the credit to that
invoice at once, lowering its TOTALDUE and moving its STATE and WHENMODIFIED
(our choice: the reference does not say how real Intacct links the two; there a
credit is applied through a payment's inline credit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Side:
    """What differs between AR and AP adjustments: the objects, the party and the document credited."""

    function: str              # create_aradjustment
    object_name: str           # ARADJUSTMENT
    party_field: str           # CUSTOMERID
    party_name_field: str      # CUSTOMERNAME
    party_object: str          # CUSTOMER (whose TOTALDUE moves)
    document_object: str       # ARINVOICE (what a credit is applied to)
    document_tag: str          # invoiceno
    document_key: str          # INVOICEKEY
    record_type: str           # ra
    module: str                # 4.AR


AR = Side("create_aradjustment", "ARADJUSTMENT", "CUSTOMERID", "CUSTOMERNAME", "CUSTOMER", "ARINVOICE",
          "invoiceno", "INVOICEKEY", "ra", "4.AR")


def create_aradjustment(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy AR adjustment; answers ``<key>`` = the new RECORDNO. Without <adjustmentno>, the next number."""
    check_permission(ctx, AR.function, get_object(AR.object_name))
    customer = require_customer(ctx, required_text(fn, "customerid", AR.function))
    return create_adjustment(ctx, fn, AR, customer, _target_invoice)


def create_adjustment(ctx: CallContext, fn: etree._Element, side: Side, party: Record,
                      target: Callable[[CallContext, str, str, bool], Record | None]) -> FunctionOutcome:
    """An AR or AP adjustment of ``party`` read from the legacy function: dated, its lines checked, then stored."""
    odef = get_object(side.object_name)
    when = ymd(fn, "datecreated", side.function, required=True)
    posted = ymd(fn, "dateposted", side.function) or when
    check_posting_date(ctx, posted, "adjustment")
    lines = legacy_ar_lines(ctx, odef, fn, f"{side.object_name.lower()}items")
    header = {"RECORDID": child_text(fn, "adjustmentno"), "DESCRIPTION": child_text(fn, "description") or "",
              "EXTERNALID": child_text(fn, "externalid") or "", "WHENCREATED": when, "WHENPOSTED": posted,
              "CURRENCY": child_text(fn, "currency") or "USD", "BASECURR": child_text(fn, "basecurr") or "USD"}
    stored = store_adjustment(ctx, side, party, header, lines, child_text(fn, side.document_tag) or "", target,
                              draft=legacy_action(fn) == "Draft")
    return FunctionOutcome([key_element(stored["RECORDNO"])], billable=1)


def create_adjustment_record(ctx: CallContext, customer: Record, header: Record, lines: list[Record],
                             invoice_no: str, *, draft: bool) -> Record:
    """An AR adjustment whose lines are checked already (the REST wire's entry)."""
    return store_adjustment(ctx, AR, customer, header, lines, invoice_no, _target_invoice, draft=draft)


def store_adjustment(ctx: CallContext, side: Side, party: Record, header: Record, lines: list[Record],
                     document_no: str, target: Callable[[CallContext, str, str, bool], Record | None], *,
                     draft: bool) -> Record:
    """Store an adjustment whose lines are checked already; a credit is applied at once to the document
    ``target`` finds for ``document_no``, and the party's due moves by its total.

    `header` holds RECORDID (None: the next number), DESCRIPTION, EXTERNALID, WHENCREATED, WHENPOSTED,
    CURRENCY and BASECURR. Shared by the legacy functions (AR and AP) and the REST wire.
    """
    odef = get_object(side.object_name)
    posted = header["WHENPOSTED"]
    total = sum((money(line["AMOUNT"]) for line in lines), ZERO)
    party_id = party[side.party_field]
    document = target(ctx, document_no, party_id, total < 0 and not draft)
    applied = ZERO
    if document is not None and total < 0 and not draft:
        applied = -total
        due = money(document.get("TOTALDUE"))
        if applied > due:
            what = get_object(side.document_object).label.split()[-1].lower()
            raise business_error(f"Credit of {applied} to {what} {document_no} exceeds its amount due {due}",
                                 "Over-application is not allowed.",
                                 f"Lower the credit or leave <{side.document_tag}> out.")
    recordno = next_recordno(ctx.conn, ctx.company_id)
    for number, line in enumerate(lines, start=1):
        line.update(RECORDNO=str(next_recordno(ctx.conn, ctx.company_id)), RECORDKEY=str(recordno),
                    LINE_NO=str(number), TRX_AMOUNT=line["AMOUNT"])
    paid = -applied
    adjustment: Record = {
        "RECORDTYPE": side.record_type, side.party_field: party_id, side.party_name_field: party.get("NAME", ""),
        **header, "RECORDID": document_number(ctx, odef, header.get("RECORDID")), "DOCNUMBER": document_no,
        "MODULEKEY": side.module,
        "STATE": "Draft" if draft else ("Paid" if applied else "Posted"),
        "TOTALENTERED": str(total), "TRX_TOTALENTERED": str(total), "TOTALPAID": str(paid),
        "TRX_TOTALPAID": str(paid), "TOTALDUE": str(total - paid), "TRX_TOTALDUE": str(total - paid),
        f"{side.object_name}ITEMS": lines,
    }
    if applied:
        adjustment.update({side.document_key: document["RECORDNO"], "WHENPAID": posted})
        settle_invoice(ctx.conn, ctx.company_id, document, applied, "", paid_on=posted, now=ctx.now,
                       user_id=ctx.user.user_id, object_name=side.document_object)
    stored = insert_record(ctx.conn, odef, ctx.company_id, adjustment, entity=ctx.entity(), now=ctx.now,
                           user_id=ctx.user.user_id, recordno=recordno)
    if not draft:
        add_customer_due(ctx.conn, ctx.company_id, party_id, total, now=ctx.now, user_id=ctx.user.user_id,
                         object_name=side.party_object)
    return stored

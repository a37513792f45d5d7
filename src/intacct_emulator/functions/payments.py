"""Receivables payments: generic ARPYMT (hooks of the generic writes) and legacy create_arpayment."""

from __future__ import annotations

from lxml import etree

from ..backend.catalogue import ObjectDef
from ..backend.errors import RuleViolation
from ..backend.objects import get_object
from ..backend.receivables import apply_payment, check_payment, money, to_cents
from ..backend.records import Record, insert_record
from ..backend.values import ValueError_, to_storage
from .base import CallContext, FunctionOutcome, business_error, check_permission, child_text
from .invoices import check_posting_date, require_customer
from .legacy_in import key_element, required_text, violation_failure, ymd


def _prepare_payment(ctx: CallContext, record: Record, previous: Record | None) -> Record:
    """Validate a payment (customer, account, invoices, no over-application), total it and set its state.

    ACTION Draft keeps it a draft (not applied); Submit (the default) posts it. Only drafts may change.
    """
    if previous is not None and previous.get("STATE") != "Draft":
        raise business_error(f"Payment {previous['RECORDNO']} is {previous.get('STATE', '').lower()} and cannot be"
                             " changed", "Only draft payments can be updated or deleted.")
    check_posting_date(ctx, str(record.get("RECEIPTDATE", "")), "payment")
    try:
        check_payment(ctx.conn, ctx.company_id, ctx.reference_scope(), record)
    except RuleViolation as violation:
        raise violation_failure(violation, "Could not create ARPYMT record!") from None
    applied = sum((money(d.get("TRX_PAYMENTAMOUNT")) for d in record.get("ARPYMTDETAILS", [])), money(0))
    given = next((record[k] for k in ("TRX_AMOUNTTOPAY", "AMOUNTTOPAY", "AMOUNTOPAY") if record.get(k)), None)
    entered = to_cents(given) if given is not None else applied
    if entered is None or entered < applied:
        raise business_error(f"Payment amount {given} is less than the {applied} applied to invoices")
    action = record.get("ACTION") or ("Draft" if previous is not None else "Submit")
    record.update(TOTALENTERED=str(entered), TRX_TOTALENTERED=str(entered), TOTALPAID=str(applied),
                  TRX_TOTALPAID=str(applied), TOTALDUE=str(entered - applied), TRX_TOTALDUE=str(entered - applied),
                  WHENCREATED=record.get("RECEIPTDATE", ""), DISPLAYSTATE="Applied" if applied else "Not applied",
                  STATE="Draft" if action == "Draft" else "Posted", RECORDTYPE="rp",
                  PAYMENTDATE=record.get("PAYMENTDATE") or record.get("RECEIPTDATE", ""))
    return record


def prepare_arpymt(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    """Generic create/update ARPYMT: at least one ARPYMTDETAIL, then the payment rules."""
    if not record.get("ARPYMTDETAILS"):
        raise business_error("An ARPYMT needs at least one ARPYMTDETAIL under ARPYMTDETAILS")
    return _prepare_payment(ctx, record, previous)


def apply_arpymt(ctx: CallContext, record: Record, previous: Record | None) -> None:
    """Apply a payment to its invoices when it is posted (created submitted, or a draft submitted)."""
    if record.get("STATE") == "Posted" and (previous is None or previous.get("STATE") == "Draft"):
        apply_payment(ctx.conn, ctx.company_id, record, now=ctx.now, user_id=ctx.user.user_id)


def refuse_posted_payment_delete(ctx: CallContext, record: Record) -> None:
    if record.get("STATE") != "Draft":
        raise business_error(f"Payment {record['RECORDNO']} is posted and cannot be deleted",
                             "Only draft payments can be deleted; reverse a posted payment instead.")


def _payment_method(odef: ObjectDef, text: str) -> str:
    try:
        return to_storage(odef.field("PAYMENTMETHOD"), text)
    except ValueError_ as exc:
        raise business_error(str(exc)) from None


def create_arpayment(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy AR payment: stored as an ARPYMT, applied to invoices by invoicekey; answers ``<key>``."""
    odef = get_object("ARPYMT")
    check_permission(ctx, "create_arpayment", odef)
    customer = require_customer(ctx, required_text(fn, "customerid", "create_arpayment"))
    amount = to_cents(required_text(fn, "paymentamount", "create_arpayment"))
    if amount is None or amount <= 0:
        raise business_error(f"Invalid paymentamount '{child_text(fn, 'paymentamount')}'", "Give a positive amount.")
    details = [{"RECORDKEY": n.findtext("invoicekey", "").strip(), "TRX_PAYMENTAMOUNT": n.findtext("amount", "").strip()}
               for n in fn.findall("arpaymentitem")]
    payment: Record = {
        "CUSTOMERID": customer["CUSTOMERID"], "CUSTOMERNAME": customer.get("NAME", ""),
        "RECEIPTDATE": ymd(fn, "datereceived", "create_arpayment") or ctx.now.date().isoformat(),
        "PAYMENTMETHOD": _payment_method(odef, child_text(fn, "paymentmethod") or ""),
        "FINANCIALENTITY": child_text(fn, "bankaccountid") or "", "PRBATCH": child_text(fn, "batchkey") or "",
        "UNDEPOSITEDACCOUNTNO": child_text(fn, "undepfundsacct") or "", "DOCNUMBER": child_text(fn, "refid") or "",
        "TRX_AMOUNTTOPAY": str(amount), "ARPYMTDETAILS": details,
    }
    if payment["PRBATCH"] and not payment["UNDEPOSITEDACCOUNTNO"]:
        payment["FINANCIALENTITY"] = payment["FINANCIALENTITY"] or payment["PRBATCH"]
    payment = _prepare_payment(ctx, payment, None)
    stored = insert_record(ctx.conn, odef, ctx.company_id, payment, entity=ctx.entity(), now=ctx.now,
                           user_id=ctx.user.user_id)
    apply_arpymt(ctx, stored, None)
    return FunctionOutcome([key_element(stored["RECORDNO"])], billable=1)

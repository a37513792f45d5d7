"""AR state changes: invoices and the application of payments to them.

Amounts are Decimals quantised to cents and stored as strings. A payment never
applies more to an invoice than the invoice still owes.
"""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3
from collections import defaultdict

from .errors import Problem, RuleViolation
from .objects import get_object
from .records import Record, Scope, find_by_id, get_record, save_record
from .values import CENT, ValueError_, parse_decimal

ZERO = decimal.Decimal("0.00")


def money(text: object) -> decimal.Decimal:
    """A stored amount as a Decimal of cents (empty = 0)."""
    return decimal.Decimal(str(text or "0")).quantize(CENT)


def invoice_totals(invoice: Record) -> None:
    """Set TOTALENTERED/TOTALDUE/TOTALPAID (and TRX_ copies) of a new invoice from its lines."""
    total = sum((money(line.get("AMOUNT")) for line in invoice.get("ARINVOICEITEMS", [])), ZERO)
    for number, line in enumerate(invoice.get("ARINVOICEITEMS", []), start=1):
        line["LINE_NO"] = str(number)
        line["TRX_AMOUNT"] = line.get("AMOUNT", "")
        line["TOTALPAID"], line["TOTALDUE"] = str(ZERO), str(money(line.get("AMOUNT")))
    invoice.update(TOTALENTERED=str(total), TRX_TOTALENTERED=str(total), TOTALPAID=str(ZERO),
                   TRX_TOTALPAID=str(ZERO), TOTALDUE=str(total), TRX_TOTALDUE=str(total), STATE="Posted")


def to_cents(raw: object) -> decimal.Decimal | None:
    """A payment amount rounded half-up to cents, as the gateway rounds AR payment amounts; None if not a number."""
    try:
        return parse_decimal(str(raw)).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
    except (ValueError_, decimal.InvalidOperation):
        return None


def _payment_account_problems(conn: sqlite3.Connection, company_id: str, scope: Scope, payment: Record) -> list[Problem]:
    account_no = str(payment.get("UNDEPOSITEDACCOUNTNO", ""))
    if not (account_no or payment.get("FINANCIALENTITY") or payment.get("PRBATCH")):
        return [("The payment needs a bank account (FINANCIALENTITY), a summary (PRBATCH) or an undeposited funds"
                 " account (UNDEPOSITEDACCOUNTNO)", None)]
    if account_no:
        account = find_by_id(conn, get_object("GLACCOUNT"), company_id, account_no, scope)
        if account is None or account.get("STATUS") != "active":
            return [(f"Undeposited funds account {account_no} does not exist or is inactive", None)]
    return []


def _line(invoice: Record, entry_key: str) -> Record | None:
    return next((line for line in invoice.get("ARINVOICEITEMS", []) if line.get("RECORDNO") == entry_key), None)


def _positive(detail: Record, field: str, key: str, number: int, problems: list[Problem]) -> decimal.Decimal | None:
    """A detail amount rounded to cents in place; a problem (and None) unless it is a positive number."""
    amount = to_cents(detail.get(field, ""))
    if amount is None or amount <= 0:
        problems.append((f"Amount {detail.get(field, '')} for invoice {key} on line {number} must be a positive"
                         " number", None))
        return None
    detail[field] = str(amount)
    return amount


def _credit_problem(conn: sqlite3.Connection, company_id: str, scope: Scope, detail: Record, customer_id: str,
                    number: int, used: dict[str, decimal.Decimal]) -> Problem | None:
    """An inline credit (ADJUSTMENTKEY, TRX_ADJUSTMENTAMOUNT) must be an open credit memo of the customer."""
    key = str(detail.get("ADJUSTMENTKEY", ""))
    credit = get_record(conn, company_id, "ARADJUSTMENT", key, scope)
    if credit is None:
        return f"Credit {key} on line {number} does not exist", None
    open_amount = -money(credit.get("TOTALDUE"))
    if credit.get("STATE") not in ("Posted", "Partially Paid") or open_amount <= 0:
        return f"Credit {key} on line {number} has no open balance to apply", None
    if customer_id and credit.get("CUSTOMERID") != customer_id:
        return f"Credit {key} on line {number} belongs to customer {credit.get('CUSTOMERID')}, not {customer_id}", None
    used[key] += money(detail["TRX_ADJUSTMENTAMOUNT"])
    if used[key] > open_amount:
        return (f"Credit of {used[key]} from adjustment {key} exceeds its open balance {open_amount}",
                "Over-application is not allowed.")
    return None


def _invoice_problem(invoice: Record | None, key: str, number: int, customer_id: str) -> Problem | None:
    if invoice is None:
        return f"Invoice {key} on line {number} does not exist", None
    if invoice.get("STATE") == "Draft":
        return f"Invoice {key} on line {number} is a draft and cannot be paid", None
    if invoice.get("STATE") == "Paid":
        return f"Invoice {key} on line {number} is already paid in full", "A paid invoice accepts no further payments."
    if customer_id and invoice.get("CUSTOMERID") != customer_id:
        return f"Invoice {key} on line {number} belongs to customer {invoice.get('CUSTOMERID')}, not {customer_id}", None
    return None


def check_payment(conn: sqlite3.Connection, company_id: str, scope: Scope, payment: Record) -> None:
    """Refuse a payment whose customer, account, invoices, credits or amounts are wrong, or that over-applies.

    A detail pays an invoice with money (TRX_PAYMENTAMOUNT), with an open credit memo (ADJUSTMENTKEY and
    TRX_ADJUSTMENTAMOUNT), or both. Amounts are rounded to cents in place. Without CUSTOMERID the payment
    may pay several customers' invoices, which the gateway allows when PAYERNAME names the payer.
    """
    problems: list[Problem] = []
    customer_id = str(payment.get("CUSTOMERID", ""))
    if customer_id and find_by_id(conn, get_object("CUSTOMER"), company_id, customer_id, scope) is None:
        problems.append((f"Customer {customer_id} does not exist", None))
    if not customer_id and not payment.get("PAYERNAME"):
        problems.append(("CUSTOMERID is required (or PAYERNAME, for a payment from several customers)", None))
    problems += _payment_account_problems(conn, company_id, scope, payment)
    applied: dict[tuple[str, str], decimal.Decimal] = defaultdict(lambda: ZERO)
    credits_used: dict[str, decimal.Decimal] = defaultdict(lambda: ZERO)
    for number, detail in enumerate(payment.get("ARPYMTDETAILS", []), start=1):
        key, entry_key = str(detail.get("RECORDKEY", "")), str(detail.get("ENTRYKEY", ""))
        has_credit = bool(detail.get("ADJUSTMENTKEY"))
        cash = ZERO
        if not has_credit or detail.get("TRX_PAYMENTAMOUNT"):
            cash = _positive(detail, "TRX_PAYMENTAMOUNT", key, number, problems)
        credit = _positive(detail, "TRX_ADJUSTMENTAMOUNT", key, number, problems) if has_credit else ZERO
        if cash is None or credit is None:
            continue
        invoice = get_record(conn, company_id, "ARINVOICE", key, scope)
        problem = _invoice_problem(invoice, key, number, customer_id)
        if problem is None and has_credit:
            problem = _credit_problem(conn, company_id, scope, detail, customer_id, number, credits_used)
        if problem is not None:
            problems.append(problem)
            continue
        target, due = invoice, money(invoice.get("TOTALDUE"))
        if entry_key:
            target = _line(invoice, entry_key)
            if target is None:
                problems.append((f"Invoice {key} has no line {entry_key} (ENTRYKEY on line {number})", None))
                continue
            due = money(target.get("TOTALDUE"))
        applied[(key, entry_key)] += cash + credit
        if applied[(key, entry_key)] > due:
            what = f"line {entry_key} of invoice {key}" if entry_key else f"invoice {key}"
            problems.append((f"Payment of {applied[(key, entry_key)]} to {what} exceeds its amount due {due}",
                             "Over-application is not allowed."))
    if problems:
        raise RuleViolation(problems)


def apply_payment(
    conn: sqlite3.Connection, company_id: str, payment: Record, *, now: dt.datetime, user_id: str
) -> None:
    """Apply each detail to its invoice (a given line, else line by line in order) and lower the customers' dues.

    Money lowers the customer's balance; a credit memo already did when it was posted, so applying it only
    moves the credit's open balance onto the invoice.
    """
    for detail in payment.get("ARPYMTDETAILS", []):
        cash = money(detail.get("TRX_PAYMENTAMOUNT"))
        credit = money(detail.get("TRX_ADJUSTMENTAMOUNT"))
        detail["PAYMENTAMOUNT"] = str(cash)
        invoice = get_record(conn, company_id, "ARINVOICE", detail["RECORDKEY"])
        paid_on = payment.get("RECEIPTDATE", "")
        settle_invoice(conn, company_id, invoice, cash + credit, str(detail.get("ENTRYKEY", "")),
                       paid_on=paid_on, now=now, user_id=user_id)
        if credit:
            _use_credit(conn, company_id, str(detail["ADJUSTMENTKEY"]), credit, paid_on=paid_on, now=now,
                        user_id=user_id)
        add_customer_due(conn, company_id, invoice["CUSTOMERID"], -cash, now=now, user_id=user_id)


def _use_credit(conn: sqlite3.Connection, company_id: str, key: str, amount: decimal.Decimal, *, paid_on: str,
                now: dt.datetime, user_id: str) -> None:
    """Move ``amount`` of a credit memo's (negative) open balance onto an invoice."""
    credit = get_record(conn, company_id, "ARADJUSTMENT", key)
    _move_balance(credit, -amount, paid_on)
    save_record(conn, get_object("ARADJUSTMENT"), company_id, credit, now=now, user_id=user_id)


def settle_invoice(
    conn: sqlite3.Connection, company_id: str, invoice: Record, amount: decimal.Decimal, entry_key: str, *,
    paid_on: str, now: dt.datetime, user_id: str, object_name: str = "ARINVOICE",
) -> None:
    """Lower an invoice's (or an AP bill's) due by a payment or a credit (one line, else the waterfall); move
    its state and WHENMODIFIED, so an incremental pull finds it. The caller has checked the amount fits the due."""
    odef = get_object(object_name)
    assert odef is not None and odef.lines is not None
    lines = [_line(invoice, entry_key)] if entry_key else invoice.get(odef.lines.container, [])
    _waterfall(lines, amount)
    _move_balance(invoice, amount, paid_on)
    save_record(conn, odef, company_id, invoice, now=now, user_id=user_id)


def _move_balance(document: Record, amount: decimal.Decimal, paid_on: str) -> None:
    """Add ``amount`` to TOTALPAID and take it from TOTALDUE; Paid (with WHENPAID) once nothing is due."""
    paid = money(document.get("TOTALPAID")) + amount
    due = money(document.get("TOTALDUE")) - amount
    document.update(TOTALPAID=str(paid), TRX_TOTALPAID=str(paid), TOTALDUE=str(due), TRX_TOTALDUE=str(due),
                    STATE="Paid" if due == ZERO else "Partially Paid")
    if due == ZERO:
        document["WHENPAID"] = paid_on


def _waterfall(lines: list[Record], amount: decimal.Decimal) -> None:
    for line in lines:
        if amount <= ZERO:
            break
        take = min(amount, money(line.get("TOTALDUE")))
        line["TOTALPAID"] = str(money(line.get("TOTALPAID")) + take)
        line["TOTALDUE"] = str(money(line.get("TOTALDUE")) - take)
        amount -= take


def add_customer_due(
    conn: sqlite3.Connection, company_id: str, customer_id: str, amount: decimal.Decimal, *, now: dt.datetime,
    user_id: str, object_name: str = "CUSTOMER",
) -> None:
    """Move a customer's (or, with object_name="VENDOR", a vendor's) TOTALDUE by ``amount``."""
    party_def = get_object(object_name)
    party = find_by_id(conn, party_def, company_id, customer_id)
    if party is not None:
        party["TOTALDUE"] = str(money(party.get("TOTALDUE")) + amount)
        save_record(conn, party_def, company_id, party, now=now, user_id=user_id)

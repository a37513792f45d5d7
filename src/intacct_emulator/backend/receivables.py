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
from .values import ValueError_, parse_decimal

CENT = decimal.Decimal("0.01")
ZERO = decimal.Decimal("0.00")


def money(text: object) -> decimal.Decimal:
    """A stored amount as a Decimal of cents (empty = 0)."""
    return decimal.Decimal(str(text or "0")).quantize(CENT)


def amount_problem(raw: str, what: str) -> Problem | None:
    """Why ``raw`` is not a positive amount of at most 2 decimals, or None."""
    try:
        value = parse_decimal(raw)
    except ValueError_:
        return (f"Invalid amount '{raw}' for {what}", "Give a number such as 125.00.")
    if value <= 0:
        return (f"Amount {raw} for {what} must be positive", None)
    if value != value.quantize(CENT):
        return (f"Amount {raw} for {what} has more than 2 decimal places", None)
    return None


def invoice_totals(invoice: Record) -> None:
    """Set TOTALENTERED/TOTALDUE/TOTALPAID (and TRX_ copies) of a new invoice from its lines."""
    total = sum((money(line.get("AMOUNT")) for line in invoice.get("ARINVOICEITEMS", [])), ZERO)
    for number, line in enumerate(invoice.get("ARINVOICEITEMS", []), start=1):
        line["LINE_NO"] = str(number)
        line["TRX_AMOUNT"] = line.get("AMOUNT", "")
        line["TOTALPAID"], line["TOTALDUE"] = str(ZERO), str(money(line.get("AMOUNT")))
    invoice.update(TOTALENTERED=str(total), TRX_TOTALENTERED=str(total), TOTALPAID=str(ZERO),
                   TRX_TOTALPAID=str(ZERO), TOTALDUE=str(total), TRX_TOTALDUE=str(total), STATE="Posted")


def check_payment(conn: sqlite3.Connection, company_id: str, scope: Scope, payment: Record) -> None:
    """Refuse a payment whose customer, account, invoices or amounts are wrong, or that over-applies."""
    problems: list[Problem] = []
    customer_id = str(payment.get("CUSTOMERID", ""))
    if find_by_id(conn, get_object("CUSTOMER"), company_id, customer_id, scope) is None:
        problems.append((f"Customer {customer_id} does not exist", None))
    account_no = str(payment.get("UNDEPOSITEDACCOUNTNO", ""))
    if not account_no and not payment.get("FINANCIALENTITY"):
        problems.append(("The payment needs a bank account (FINANCIALENTITY) or an undeposited funds account"
                         " (UNDEPOSITEDACCOUNTNO)", None))
    if account_no:
        account = find_by_id(conn, get_object("GLACCOUNT"), company_id, account_no, scope)
        if account is None or account.get("STATUS") != "active":
            problems.append((f"Undeposited funds account {account_no} does not exist or is inactive", None))
    applied: dict[str, decimal.Decimal] = defaultdict(lambda: ZERO)
    for number, detail in enumerate(payment.get("ARPYMTDETAILS", []), start=1):
        key = str(detail.get("RECORDKEY", ""))
        bad = amount_problem(str(detail.get("TRX_PAYMENTAMOUNT", "")), f"invoice {key} on line {number}")
        if bad:
            problems.append(bad)
            continue
        invoice = get_record(conn, company_id, "ARINVOICE", key, scope)
        if invoice is None:
            problems.append((f"Invoice {key} on line {number} does not exist", None))
            continue
        if invoice.get("CUSTOMERID") != customer_id:
            problems.append((f"Invoice {key} on line {number} belongs to customer {invoice.get('CUSTOMERID')},"
                             f" not {customer_id}", None))
        applied[key] += money(detail["TRX_PAYMENTAMOUNT"])
        if applied[key] > money(invoice.get("TOTALDUE")):
            problems.append((f"Payment of {applied[key]} to invoice {key} exceeds its amount due"
                             f" {money(invoice.get('TOTALDUE'))}", "Over-application is not allowed."))
    if problems:
        raise RuleViolation(problems)


def apply_payment(
    conn: sqlite3.Connection, company_id: str, payment: Record, *, now: dt.datetime, user_id: str
) -> None:
    """Apply each detail to its invoice (line by line, in line order) and lower the customer's balance."""
    invoice_def, customer_def = get_object("ARINVOICE"), get_object("CUSTOMER")
    applied_total = ZERO
    for detail in payment.get("ARPYMTDETAILS", []):
        amount = money(detail["TRX_PAYMENTAMOUNT"])
        detail["PAYMENTAMOUNT"] = str(amount)
        invoice = get_record(conn, company_id, "ARINVOICE", int(detail["RECORDKEY"]))
        _waterfall(invoice, amount)
        paid = money(invoice.get("TOTALPAID")) + amount
        due = money(invoice.get("TOTALDUE")) - amount
        invoice.update(TOTALPAID=str(paid), TRX_TOTALPAID=str(paid), TOTALDUE=str(due), TRX_TOTALDUE=str(due),
                       STATE="Paid" if due == ZERO else "Partially Paid")
        if due == ZERO:
            invoice["WHENPAID"] = payment.get("RECEIPTDATE", "")
        save_record(conn, invoice_def, company_id, invoice, now=now, user_id=user_id)
        applied_total += amount
    customer = find_by_id(conn, customer_def, company_id, str(payment["CUSTOMERID"]))
    if customer is not None and applied_total:
        customer["TOTALDUE"] = str(money(customer.get("TOTALDUE")) - applied_total)
        save_record(conn, customer_def, company_id, customer, now=now, user_id=user_id)


def _waterfall(invoice: Record, amount: decimal.Decimal) -> None:
    for line in invoice.get("ARINVOICEITEMS", []):
        if amount <= ZERO:
            break
        take = min(amount, money(line.get("TOTALDUE")))
        line["TOTALPAID"] = str(money(line.get("TOTALPAID")) + take)
        line["TOTALDUE"] = str(money(line.get("TOTALDUE")) - take)
        amount -= take


def add_customer_due(
    conn: sqlite3.Connection, company_id: str, customer_id: str, amount: decimal.Decimal, *, now: dt.datetime,
    user_id: str,
) -> None:
    customer_def = get_object("CUSTOMER")
    customer = find_by_id(conn, customer_def, company_id, customer_id)
    if customer is not None:
        customer["TOTALDUE"] = str(money(customer.get("TOTALDUE")) + amount)
        save_record(conn, customer_def, company_id, customer, now=now, user_id=user_id)

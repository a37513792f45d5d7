"""Builders for receivables writes: AR invoices, AR adjustments (credit and debit memos) and AR payments.

Typed in, function out: amounts are Decimals of exactly two places, dates are
dates, and each builder returns the function to send (legacy `create_invoice` /
`create_aradjustment`, generic `create` ARPYMT) with the caller's controlid.
No application logic here: which invoice a payment settles is the caller's choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .functions import Create
from .legacy import CreateArAdjustment, CreateInvoice, Legacy

CENT = Decimal("0.01")
PAYMENT_METHODS = ("Printed Check", "Cash", "EFT", "Credit Card", "Online", "Online Charge Card",
                   "Online ACH Debit", "Record Transfer")

def money(amount: Decimal, what: str) -> Decimal:
    """``amount`` when it is a finite Decimal of at most two places; refuse anything else rather than round."""
    if not isinstance(amount, Decimal) or isinstance(amount, bool):
        raise TypeError(f"{what} must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValueError(f"{what} {amount} is not an amount of whole cents")
    return amount.quantize(CENT)


def legacy_custom_fields(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """`{GLDIMFUND: F01}` as the legacy `<customfields><customfield>` block (None when empty)."""
    if not values:
        return None
    return {"customfield": [{"customfieldname": name, "customfieldvalue": value} for name, value in values.items()]}


@dataclass(frozen=True)
class ArLine:
    """One line of an AR invoice or adjustment: a GL account, an amount and its dimensions."""

    account_no: str
    amount: Decimal
    memo: str | None = None
    location_id: str | None = None
    department_id: str | None = None
    class_id: str | None = None
    project_id: str | None = None
    customer_id: str | None = None
    item_id: str | None = None
    warehouse_id: str | None = None
    custom_fields: Mapping[str, str] = field(default_factory=dict)  # UDDs such as GLDIMFUND

    def to_fields(self, number: int) -> dict[str, Any]:
        fields = {"glaccountno": self.account_no, "amount": money(self.amount, f"amount of line {number}"),
                  "memo": self.memo, "locationid": self.location_id, "departmentid": self.department_id,
                  "customfields": legacy_custom_fields(self.custom_fields), "projectid": self.project_id,
                  "customerid": self.customer_id, "itemid": self.item_id, "classid": self.class_id,
                  "warehouseid": self.warehouse_id}
        return {k: v for k, v in fields.items() if v is not None}


def _lines(lines: Sequence[ArLine], what: str) -> list[dict[str, Any]]:
    if not lines:
        raise ValueError(f"{what} needs at least one line")
    return [line.to_fields(n) for n, line in enumerate(lines, start=1)]


def _present(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def invoice(customer_id: str, invoice_date: date, lines: Sequence[ArLine], *, controlid: str,
            due_date: date | None = None, term_name: str | None = None, invoice_no: str | None = None,
            po_number: str | None = None, description: str | None = None, currency: str | None = None,
            draft: bool = False, custom_fields: Mapping[str, str] | None = None) -> Legacy:
    """Legacy `create_invoice`. Without ``invoice_no`` the company numbers it; a duplicate number is refused."""
    if due_date is None and not term_name:
        raise ValueError("an invoice needs a due date or a payment term")
    return CreateInvoice(_present({
        "customerid": customer_id, "datecreated": invoice_date, "datedue": due_date, "termname": term_name,
        "action": "Draft" if draft else None, "invoiceno": invoice_no, "ponumber": po_number,
        "description": description, "currency": currency, "customfields": legacy_custom_fields(custom_fields or {}),
        "invoiceitems": _lines(lines, "an invoice"),
    }), controlid=controlid)


def adjustment(customer_id: str, adjustment_date: date, lines: Sequence[ArLine], *, controlid: str,
               adjustment_no: str | None = None, invoice_no: str | None = None, description: str | None = None,
               currency: str | None = None, draft: bool = False) -> Legacy:
    """Legacy `create_aradjustment`: negative line amounts make a credit memo, positive ones a debit memo.

    ``invoice_no`` names the invoice (its number, RECORDID) the adjustment is for.
    """
    return CreateArAdjustment(_present({
        "customerid": customer_id, "datecreated": adjustment_date, "adjustmentno": adjustment_no,
        "action": "Draft" if draft else None, "invoiceno": invoice_no, "description": description,
        "currency": currency, "aradjustmentitems": _lines(lines, "an adjustment"),
    }), controlid=controlid)


@dataclass(frozen=True)
class Application:
    """What a payment applies to one invoice (its RECORDNO), optionally to one of its lines: money (``amount``)
    and/or an open credit memo (the ARADJUSTMENT's RECORDNO and the part of it to use)."""

    invoice_recordno: str | int
    amount: Decimal | None
    line_recordno: str | int | None = None
    credit_recordno: str | int | None = None
    credit_amount: Decimal | None = None

    def to_detail(self) -> dict[str, Any]:
        if (self.credit_recordno is None) != (self.credit_amount is None):
            raise ValueError("a credit needs both its record number and the amount to use")
        if self.amount is None and self.credit_amount is None:
            raise ValueError(f"nothing applied to invoice {self.invoice_recordno}")
        what = f"invoice {self.invoice_recordno}"
        return _present({
            "RECORDKEY": str(self.invoice_recordno),
            "ENTRYKEY": None if self.line_recordno is None else str(self.line_recordno),
            "TRX_PAYMENTAMOUNT": None if self.amount is None else money(self.amount, f"amount applied to {what}"),
            "ADJUSTMENTKEY": None if self.credit_recordno is None else str(self.credit_recordno),
            "TRX_ADJUSTMENTAMOUNT": None if self.credit_amount is None else money(self.credit_amount,
                                                                                  f"credit applied to {what}"),
        })


def payment(customer_id: str, receipt_date: date, applications: Sequence[Application], *, controlid: str,
            method: str = "EFT", reference: str | None = None, undeposited_account: str | None = None,
            bank_account: str | None = None, description: str | None = None,
            amount: Decimal | None = None) -> Create:
    """Generic `create` ARPYMT applied to invoices (money and/or open credits); ``reference`` (DOCNUMBER) is how
    it is found again."""
    if method not in PAYMENT_METHODS:
        raise ValueError(f"payment method {method!r} is not one of {', '.join(PAYMENT_METHODS)}")
    if not (undeposited_account or bank_account):
        raise ValueError("a payment needs an undeposited funds account or a bank account")
    if not applications:
        raise ValueError("a payment needs at least one invoice to apply to")
    details = [a.to_detail() for a in applications]
    record = _present({
        "PAYMENTMETHOD": method, "CUSTOMERID": customer_id, "RECEIPTDATE": receipt_date,
        "UNDEPOSITEDACCOUNTNO": undeposited_account, "FINANCIALENTITY": bank_account, "DOCNUMBER": reference,
        "DESCRIPTION": description,
        "TRX_AMOUNTTOPAY": None if amount is None else money(amount, "payment amount"),
        "ARPYMTDETAILS": {"ARPYMTDETAIL": details},
    })
    return Create("ARPYMT", record, controlid=controlid)

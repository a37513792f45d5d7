"""Order-to-cash records as the rules see them (SPEC §3): customers, invoices, payments, credit memos
(and the record kinds and gates every outbox kind shares, AP bills included: `domain.payables`).

Plain frozen values built by the store from its rows (or by tests by hand); nothing here does
I/O. Validation is in `domain.receivables_rules`, matching in `domain.customer_match`, and the
Intacct payloads in `domain.receivables_payloads`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from intacct_bridge.domain.sync_settings import CustomField


class RecordKind(StrEnum):
    """Every kind of record the outbox posts; the value is its name in settings, URLs and references."""

    JOURNAL_ENTRY = "journal_entry"
    CUSTOMER = "customer"
    INVOICE = "invoice"
    PAYMENT = "payment"
    CREDIT_MEMO = "credit_memo"
    VENDOR = "vendor"
    ITEM = "item"
    BILL = "bill"                    # AP bills (purchase invoices), `domain.payables`
    AP_ADJUSTMENT = "ap_adjustment"  # AP adjustments (vendor credit memos)


def noun(kind: RecordKind) -> str:
    """The kind as a word for messages: `credit_memo` -> "credit memo"."""
    return kind.value.replace("_", " ")


class CustomerMatch(StrEnum):
    """How a source customer is found among Intacct's customers (seed 003 "How do you match customers?")."""

    NAME = "name"
    FIRST_LAST = "first_last"
    COMPANY = "company"
    CATCH_ALL = "catch_all"


# A customer's `matched_by`: the CustomerMatch value that found it in Intacct, or this when we created it.
CREATED_BY_US = "created"


class InvoiceMode(StrEnum):
    """AR invoices (create_invoice) or Order Entry sales invoices (create_sotransaction)."""

    AR_INVOICE = "ar_invoice"
    SALES_INVOICE = "sales_invoice"


class TaxMode(StrEnum):
    """Tax as its own invoice line (to the tax account or item), or as an amount on the document."""

    LINE = "line"
    AMOUNT = "amount"


class DepositMode(StrEnum):
    """Where payments go: the undeposited-funds GL account (seed 004) or straight to a bank account."""

    UNDEPOSITED = "undeposited"
    BANK = "bank"


class GateMode(StrEnum):
    """Per kind: halt (nothing posts while any is invalid) or hold (invalid ones wait, valid ones go)."""

    HALT = "halt"
    HOLD = "hold"


class InvoiceState(StrEnum):
    """What Intacct says of an invoice's balance, pulled back."""

    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"


UNDEPOSITED = "undeposited"  # a payment's deposit_to meaning "the configured undeposited-funds account"
DEFAULT_GATES: dict[RecordKind, GateMode] = {
    RecordKind.JOURNAL_ENTRY: GateMode.HALT, RecordKind.CUSTOMER: GateMode.HOLD, RecordKind.INVOICE: GateMode.HOLD,
    RecordKind.PAYMENT: GateMode.HOLD, RecordKind.CREDIT_MEMO: GateMode.HOLD,
    RecordKind.VENDOR: GateMode.HOLD, RecordKind.ITEM: GateMode.HOLD, RecordKind.BILL: GateMode.HOLD,
    RecordKind.AP_ADJUSTMENT: GateMode.HOLD,
}
# The o2c_settings column holding each kind's gate mode.
GATE_COLUMNS = {RecordKind.JOURNAL_ENTRY: "gate_journal_entries", RecordKind.CUSTOMER: "gate_customers",
                RecordKind.INVOICE: "gate_invoices", RecordKind.PAYMENT: "gate_payments",
                RecordKind.CREDIT_MEMO: "gate_credit_memos", RecordKind.VENDOR: "gate_vendors",
                RecordKind.ITEM: "gate_items", RecordKind.BILL: "gate_bills",
                RecordKind.AP_ADJUSTMENT: "gate_ap_adjustments"}


@dataclass(frozen=True)
class Address:
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None

    def is_empty(self) -> bool:
        return not any(vars(self).values())

    def as_dict(self) -> dict[str, str | None]:
        return dict(vars(self))


@dataclass(frozen=True)
class CustomerView:
    """A customer of the source; `customer_id` is its Intacct CUSTOMERID once matched or created."""

    id: int
    external_id: str
    name: str | None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    email: str | None = None
    phone: str | None = None
    bill_to: Address = field(default_factory=Address)
    ship_to: Address = field(default_factory=Address)
    customer_id: str | None = None
    posted_name: str | None = None
    posted_values: Mapping[str, str] | None = None   # the Intacct values last posted, when we created it


@dataclass(frozen=True)
class InvoiceLineView:
    """One invoice line: an item (sku) or a GL account, quantity x unit price = amount."""

    line_no: int
    sku: str | None = None
    gl_account: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    location: str | None = None
    department: str | None = None
    class_id: str | None = None
    warehouse: str | None = None
    custom_value: str | None = None
    dimensions: Mapping[str, str] | None = None  # user-defined dimensions beyond the custom field, by object

    @property
    def effective_amount(self) -> Decimal:
        """The amount as given, else quantity x price to the cent (0 when neither can be had)."""
        if self.amount is not None:
            return self.amount
        if self.quantity is None or self.unit_price is None:
            return Decimal("0.00")
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class InvoiceView:
    """An order/invoice as it would be posted: header, lines, and the extra amounts that become lines."""

    id: int
    external_id: str
    customer: CustomerView | None
    invoice_date: date | None
    lines: tuple[InvoiceLineView, ...] = ()
    number: str | None = None
    due_date: date | None = None
    terms: str | None = None
    reference: str | None = None
    memo: str | None = None
    currency: str | None = None
    discount_amount: Decimal | None = None
    shipping_amount: Decimal | None = None
    shipping_method: str | None = None
    tax_amount: Decimal | None = None
    warehouse: str | None = None
    location: str | None = None
    department: str | None = None
    entity: str | None = None
    intacct_key: str | None = None
    intacct_number: str | None = None  # the number Intacct gave it once posted (what a credit memo names)
    version: int = 1                   # > 1: a corrected version (the earlier one was cancelled in Intacct)

    @property
    def lines_total(self) -> Decimal:
        return sum((line.effective_amount for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        """What the customer owes for it: lines - discount + shipping + tax."""
        return (self.lines_total - (self.discount_amount or 0) + (self.shipping_amount or 0)
                + (self.tax_amount or 0)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ApplicationView:
    """Part of a payment applied to one invoice; `invoice` is None when the invoice is unknown."""

    invoice_external_id: str
    amount: Decimal | None
    invoice: InvoiceView | None = None
    invoice_state: InvoiceState | None = None  # as pulled from Intacct, when known
    invoice_total_due: Decimal | None = None


@dataclass(frozen=True)
class PaymentView:
    id: int
    external_id: str
    customer: CustomerView | None
    received_on: date | None
    amount: Decimal | None
    applications: tuple[ApplicationView, ...] = ()
    method: str | None = None
    reference: str | None = None
    deposit_to: str | None = None  # UNDEPOSITED or a bank account id; None: the workspace's setting
    memo: str | None = None
    entity: str | None = None      # at the entity level: where it posts (None: the workspace's default)


@dataclass(frozen=True)
class CreditMemoLineView:
    line_no: int
    amount: Decimal | None
    gl_account: str | None = None
    sku: str | None = None
    description: str | None = None
    location: str | None = None
    department: str | None = None
    class_id: str | None = None
    warehouse: str | None = None
    custom_value: str | None = None
    dimensions: Mapping[str, str] | None = None  # user-defined dimensions beyond the custom field, by object


@dataclass(frozen=True)
class CreditMemoView:
    id: int
    external_id: str
    customer: CustomerView | None
    memo_date: date | None
    lines: tuple[CreditMemoLineView, ...] = ()
    invoice: InvoiceView | None = None
    invoice_external_id: str | None = None
    number: str | None = None
    memo: str | None = None
    entity: str | None = None      # at the entity level: where it posts (None: the workspace's default)

    @property
    def total(self) -> Decimal:
        return sum((line.amount or Decimal(0) for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class ReceivablesSettings:
    """The workspace's order-to-cash choices, as the rules and payload builders read them."""

    customer_match: CustomerMatch = CustomerMatch.NAME
    catch_all_customer_id: str | None = None
    customer_id_prefix: str = "C-"
    invoice_mode: InvoiceMode = InvoiceMode.AR_INVOICE
    transaction_definition: str = "Sales Invoice"
    revenue_account: str | None = None
    discount_item: str | None = None
    discount_account: str | None = None
    shipping_item: str | None = None
    shipping_account: str | None = None
    tax_mode: TaxMode = TaxMode.LINE
    tax_item: str | None = None
    tax_account: str | None = None
    ar_account: str | None = None
    undeposited_account: str | None = None
    deposit_mode: DepositMode = DepositMode.UNDEPOSITED
    bank_account: str | None = None
    custom_line_field: str | None = None  # the workspace's custom dimension's line field, e.g. GLDIMFUND
    user_dimensions: tuple[CustomField, ...] = ()  # the other user-defined dimensions lines may name
    gates: Mapping[RecordKind, GateMode] = field(default_factory=lambda: dict(DEFAULT_GATES))

    def gate(self, kind: RecordKind) -> GateMode:
        """Halt or hold for this kind (SPEC §2 halts journal entries; seeds 003/004 hold order-to-cash)."""
        return self.gates.get(kind, DEFAULT_GATES[kind])


# Intacct's payment methods (ARPYMT PAYMENTMETHOD), and the everyday words shops send for them.
PAYMENT_METHODS = ("Printed Check", "Cash", "EFT", "Credit Card", "Online", "Online Charge Card",
                   "Online ACH Debit", "Record Transfer")
PAYMENT_METHOD_ALIASES = {
    "check": "Printed Check", "cheque": "Printed Check", "card": "Credit Card", "credit": "Credit Card",
    "creditcard": "Credit Card", "ach": "EFT", "bank transfer": "EFT", "transfer": "EFT", "wire": "EFT",
}


def payment_method(raw: str | None) -> str | None:
    """Intacct's name for a payment method given in any case or by a common alias; None if unknown."""
    if raw is None:
        return None
    wanted = " ".join(raw.split()).casefold()
    for method in PAYMENT_METHODS:
        if method.casefold() == wanted:
            return method
    return PAYMENT_METHOD_ALIASES.get(wanted) or PAYMENT_METHOD_ALIASES.get(wanted.replace(" ", ""))

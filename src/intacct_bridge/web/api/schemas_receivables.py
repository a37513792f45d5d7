"""Request and response bodies for customers, invoices, payments, credit memos and their settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.web.api.schemas_records import MAX_BULK, Reason
from intacct_bridge.web.api.bulk import Each
from intacct_bridge.web.api.types import Amount, Day, ExternalId, Moment, Quantity, Strict, text

MAX_LINES = 1000
Id100 = text(100)
Text300 = text(300)


class AddressIn(Strict):
    address1: text(300) | None = None  # type: ignore[valid-type]
    address2: text(300) | None = None  # type: ignore[valid-type]
    city: Id100 | None = None  # type: ignore[valid-type]
    state: Id100 | None = None  # type: ignore[valid-type]
    zip: Id100 | None = None  # type: ignore[valid-type]
    country: Id100 | None = None  # type: ignore[valid-type]


class CustomerDetails(Strict):
    """What a document may say of its customer: used to create the customer when it is not known yet."""

    name: Text300 | None = None  # type: ignore[valid-type]
    first_name: Text300 | None = None  # type: ignore[valid-type]
    last_name: Text300 | None = None  # type: ignore[valid-type]
    company_name: Text300 | None = None  # type: ignore[valid-type]
    email: Text300 | None = None  # type: ignore[valid-type]
    phone: Id100 | None = None  # type: ignore[valid-type]
    bill_to: AddressIn | None = None
    ship_to: AddressIn | None = None


class CustomerIn(CustomerDetails):
    external_id: ExternalId
    created_at: Moment | None = None


class CustomerBulk(Strict):
    customers: list[Each[CustomerIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class Dimensions(Strict):
    location: Id100 | None = None  # type: ignore[valid-type]
    department: Id100 | None = None  # type: ignore[valid-type]
    class_id: Id100 | None = None  # type: ignore[valid-type]
    warehouse: Id100 | None = None  # type: ignore[valid-type]
    custom_value: Id100 | None = Field(default=None, description="Value of the workspace's custom dimension.")
    dimensions: dict[Id100, Id100] | None = Field(  # type: ignore[valid-type]
        default=None, max_length=20, description="User-defined dimensions beyond the custom field, by Intacct "
        "object, e.g. {\"PROGRAM\": \"P-10\"}.")


class InvoiceLineIn(Dimensions):
    line_no: int | None = Field(default=None, ge=1, le=100_000)
    sku: Id100 | None = Field(default=None, description="The item's id in Intacct (the product SKU).")
    gl_account: Id100 | None = None  # type: ignore[valid-type]
    description: text(1000) | None = None  # type: ignore[valid-type]
    quantity: Quantity | None = None
    unit: text(50) | None = None  # type: ignore[valid-type]
    unit_price: Amount | None = None
    amount: Amount | None = Field(default=None, description="Default: quantity x unit price.")


class DocumentIn(Strict):
    external_id: ExternalId
    customer_external_id: ExternalId
    customer: CustomerDetails | None = Field(default=None, description="To create the customer if unknown.")
    created_at: Moment | None = None


class InvoiceIn(DocumentIn):
    invoice_date: Day
    due_date: Day | None = None
    number: text(45) | None = Field(default=None, description="Your invoice number; none: Intacct's next.")  # type: ignore[valid-type]
    terms: Id100 | None = None  # type: ignore[valid-type]
    reference: Id100 | None = None  # type: ignore[valid-type]
    memo: text(1000) | None = None  # type: ignore[valid-type]
    currency: text(3) | None = None  # type: ignore[valid-type]
    discount_amount: Amount | None = None
    shipping_amount: Amount | None = None
    shipping_method: Id100 | None = None  # type: ignore[valid-type]
    tax_amount: Amount | None = None
    warehouse: Id100 | None = None  # type: ignore[valid-type]
    location: Id100 | None = None  # type: ignore[valid-type]
    department: Id100 | None = None  # type: ignore[valid-type]
    entity: Id100 | None = None  # type: ignore[valid-type]
    updated_at: Moment | None = Field(default=None, description="When your system last changed it.")
    lines: list[InvoiceLineIn] = Field(default_factory=list, max_length=MAX_LINES)


class InvoiceBulk(Strict):
    invoices: list[Each[InvoiceIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class ApplicationIn(Strict):
    invoice_external_id: ExternalId
    amount: Amount | None = Field(default=None, description="Default: the whole payment (one invoice only).")


class PaymentIn(DocumentIn):
    received_on: Day
    amount: Amount
    method: text(50) | None = Field(default=None, description="Printed Check, Cash, EFT, Credit Card, Online...")  # type: ignore[valid-type]
    reference: Id100 | None = None  # type: ignore[valid-type]
    deposit_to: Id100 | None = Field(default=None, description="\"undeposited\" or a bank account id.")  # type: ignore[valid-type]
    memo: text(1000) | None = None  # type: ignore[valid-type]
    entity: Id100 | None = Field(default=None, description="At the entity level: the entity it posts at.")  # type: ignore[valid-type]
    applications: list[ApplicationIn] = Field(default_factory=list, max_length=MAX_LINES)


class PaymentBulk(Strict):
    payments: list[Each[PaymentIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class CreditMemoLineIn(Dimensions):
    line_no: int | None = Field(default=None, ge=1, le=100_000)
    gl_account: Id100 | None = None  # type: ignore[valid-type]
    sku: Id100 | None = None  # type: ignore[valid-type]
    description: text(1000) | None = None  # type: ignore[valid-type]
    amount: Amount


class CreditMemoIn(DocumentIn):
    memo_date: Day
    invoice_external_id: ExternalId | None = Field(default=None, description="The invoice it credits, if one.")
    number: text(45) | None = None  # type: ignore[valid-type]
    memo: text(1000) | None = None  # type: ignore[valid-type]
    entity: Id100 | None = Field(default=None, description="At the entity level: the entity it posts at.")  # type: ignore[valid-type]
    lines: list[CreditMemoLineIn] = Field(default_factory=list, max_length=MAX_LINES)


class CreditMemoBulk(Strict):
    credit_memos: list[Each[CreditMemoIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class VersionOut(BaseModel):
    """One write of a record to Intacct: a version of the document, or the adjustment that cancelled one."""

    kind: Literal["document", "cancellation"]
    version: int
    reason: str | None = Field(description="changed | deleted (a cancellation: why the version was cancelled)")
    reference: str | None = Field(description="What Intacct finds it by (EXTERNALID, number); None while queued")
    controlid: str | None
    state: str = Field(description="pending, posted, unconfirmed, failed; a queued cancellation: unposted")
    intacct_key: str | None
    date: str | None
    total: str | None
    number: str | None
    cancels: str | None = Field(description="The reference of the version a cancellation takes back")
    changed: list[str] = Field(default=[], description="The fields that changed at the source (a cancellation: "
                                                       "those that made it; a version: those it brings)")
    at: str = Field(description="When it was sent (or queued), UTC")


class DeletedOut(BaseModel):
    """What deleting a document did: deleted (never sent), its cancellation queued, or its waiting version
    withdrawn."""

    outcome: Literal["deleted", "cancellation_queued", "withdrawn"]
    cancellation_id: int | None = None
    message: str


class Outbox(BaseModel):
    """Where a record stands with Intacct, and why it cannot be posted as it stands (`problems`)."""

    id: int
    external_id: str
    status: ActionStatus
    intacct_key: str | None
    posted_at: datetime | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    problems: list[Reason]
    versions: list[VersionOut] | None = Field(
        default=None, description="One record's answer: every write of it in order (versions and cancellations)")


class CustomerOut(Outbox):
    name: str | None
    first_name: str | None
    last_name: str | None
    company_name: str | None
    email: str | None
    phone: str | None
    bill_to: dict[str, str | None] | None
    ship_to: dict[str, str | None] | None
    customer_id: str | None = Field(description="Its CUSTOMERID in Intacct, once matched or created.")
    matched_by: str | None


class CustomerRefOut(BaseModel):
    id: int
    external_id: str
    name: str | None
    customer_id: str | None


class LineOut(BaseModel):
    line_no: int
    sku: str | None
    gl_account: str | None
    description: str | None
    quantity: str | None
    unit: str | None
    unit_price: str | None
    amount: str | None
    location: str | None
    department: str | None
    class_id: str | None
    warehouse: str | None
    custom_value: str | None
    dimensions: dict[str, str] | None = None


class InvoiceOut(Outbox):
    customer: CustomerRefOut
    number: str | None
    invoice_date: date
    due_date: date | None
    terms: str | None
    reference: str | None
    memo: str | None
    currency: str | None
    discount_amount: str | None
    shipping_amount: str | None
    shipping_method: str | None
    tax_amount: str | None
    total: str
    lines: list[LineOut]
    intacct_number: str | None
    intacct_state: str | None = Field(description="open, partly_paid or paid, as pulled from Intacct.")
    intacct_total_due: str | None
    intacct_total_paid: str | None


class ApplicationOut(BaseModel):
    invoice_id: int
    invoice_external_id: str
    amount: str


class PaymentOut(Outbox):
    customer: CustomerRefOut
    received_on: date
    amount: str
    method: str | None
    reference: str | None
    deposit_to: str | None
    memo: str | None
    applications: list[ApplicationOut]


class CreditMemoOut(Outbox):
    customer: CustomerRefOut
    memo_date: date
    invoice_external_id: str | None
    number: str | None
    memo: str | None
    total: str
    lines: list[LineOut]


GateModeIn = Literal["halt", "hold"]


class ReceivablesSettingsIn(Strict):
    """Order-to-cash settings to change; fields left out keep their value."""

    customer_match: Literal["name", "first_last", "company", "catch_all"] | None = None
    catch_all_customer_id: Id100 | None = None  # type: ignore[valid-type]
    customer_id_prefix: text(10) | None = None  # type: ignore[valid-type]
    invoice_mode: Literal["ar_invoice", "sales_invoice"] | None = None
    transaction_definition: Id100 | None = None  # type: ignore[valid-type]
    revenue_account: Id100 | None = None  # type: ignore[valid-type]
    discount_item: Id100 | None = None  # type: ignore[valid-type]
    discount_account: Id100 | None = None  # type: ignore[valid-type]
    shipping_item: Id100 | None = None  # type: ignore[valid-type]
    shipping_account: Id100 | None = None  # type: ignore[valid-type]
    tax_mode: Literal["line", "amount"] | None = None
    tax_item: Id100 | None = None  # type: ignore[valid-type]
    tax_account: Id100 | None = None  # type: ignore[valid-type]
    ar_account: Id100 | None = None  # type: ignore[valid-type]
    undeposited_account: Id100 | None = None  # type: ignore[valid-type]
    deposit_mode: Literal["undeposited", "bank"] | None = None
    bank_account: Id100 | None = None  # type: ignore[valid-type]
    gate_journal_entries: GateModeIn | None = None
    gate_customers: GateModeIn | None = None
    gate_invoices: GateModeIn | None = None
    gate_payments: GateModeIn | None = None
    gate_credit_memos: GateModeIn | None = None
    gate_vendors: GateModeIn | None = None
    gate_items: GateModeIn | None = None
    gate_bills: GateModeIn | None = None
    gate_ap_adjustments: GateModeIn | None = None


class ReceivablesSettingsOut(BaseModel):
    customer_match: str
    catch_all_customer_id: str | None
    customer_id_prefix: str
    invoice_mode: str
    transaction_definition: str
    revenue_account: str | None
    discount_item: str | None
    discount_account: str | None
    shipping_item: str | None
    shipping_account: str | None
    tax_mode: str
    tax_item: str | None
    tax_account: str | None
    ar_account: str | None
    undeposited_account: str | None
    deposit_mode: str
    bank_account: str | None
    gates: dict[str, str] = Field(description="halt or hold, per record kind.")

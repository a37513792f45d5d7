"""Order-to-cash records (SPEC §3): customers, invoices, payments, credit memos, and what is pulled back.

Every record that is posted to Intacct carries the same outbox columns (`OutboxColumns`), so the
one outbox can reserve, send, settle and record any kind the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship, validates

from intacct_bridge.domain.receivables import (
    CustomerMatch,
    DepositMode,
    GateMode,
    InvoiceMode,
    TaxMode,
)
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import Money, Quantity, UTCDateTime


class CustomerIdFixed(Conflict):
    """An attempt to change a customer's Intacct CUSTOMERID once it was assigned."""


class MasterColumns:
    """What a record pushed as master data keeps to update only what changed (customers, vendors, items):
    `fingerprint` of the Intacct values its fields make now, and what Intacct was last sent and confirmed."""

    fingerprint: Mapped[str | None] = mapped_column(String(64))
    posted_values: Mapped[dict[str, str] | None] = mapped_column(JSON)
    posted_fingerprint: Mapped[str | None] = mapped_column(String(64))


class OutboxColumns:
    """Where a record stands with Intacct; the same columns on every posted kind.

    `created_at` is when the source recorded it (aware UTC), `intacct_key` what Intacct knows
    it by (RECORDNO, or the id for a customer).
    """

    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.UNPOSTED.value)
    intacct_key: Mapped[str | None] = mapped_column(String(100))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            UniqueConstraint("workspace_id", "external_id"),
            Index(f"ix_{name}_workspace_status", "workspace_id", "status"),
        )


class Dimensions:
    """The dimension values a line may carry."""

    location: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    class_id: Mapped[str | None] = mapped_column(String(100))
    warehouse: Mapped[str | None] = mapped_column(String(100))
    custom_value: Mapped[str | None] = mapped_column(String(100))
    dimensions: Mapped[dict[str, str] | None] = mapped_column(JSON)  # user-defined ones, by object (PROGRAM)


class Customer(MasterColumns, OutboxColumns, Base):
    """A customer of the source. `customer_id` (Intacct's CUSTOMERID) is set once and never changes."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(300))
    first_name: Mapped[str | None] = mapped_column(String(150))
    last_name: Mapped[str | None] = mapped_column(String(150))
    company_name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(100))
    bill_to: Mapped[dict[str, str | None] | None] = mapped_column(JSON)
    ship_to: Mapped[dict[str, str | None] | None] = mapped_column(JSON)
    customer_id: Mapped[str | None] = mapped_column(String(100), index=True)
    posted_name: Mapped[str | None] = mapped_column(String(300))
    matched_by: Mapped[str | None] = mapped_column(String(16))

    @validates("customer_id")
    def _customer_id_is_set_once(self, key: str, value: str | None) -> str | None:
        """Invoices and payments in Intacct hang on the CUSTOMERID: once given it never changes."""
        current = self.customer_id
        if current is not None and value != current:
            raise CustomerIdFixed(
                f"customer {self.external_id!r} is already {current!r} in Sage Intacct; its id cannot change "
                f"to {value!r} (a rename changes the name only)"
            )
        return value


class Invoice(OutboxColumns, Base):
    """An order/invoice of the source; `fingerprint` hashes what would be posted, to refuse changes after."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str | None] = mapped_column(String(100))
    invoice_date: Mapped[date] = mapped_column()
    due_date: Mapped[date | None] = mapped_column()
    terms: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(200))
    memo: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(3))
    discount_amount: Mapped[Decimal | None] = mapped_column(Money)
    shipping_amount: Mapped[Decimal | None] = mapped_column(Money)
    shipping_method: Mapped[str | None] = mapped_column(String(200))
    tax_amount: Mapped[Decimal | None] = mapped_column(Money)
    warehouse: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    entity: Mapped[str | None] = mapped_column(String(100))
    source_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fingerprint: Mapped[str] = mapped_column(String(64))
    intacct_number: Mapped[str | None] = mapped_column(String(100))  # the number Intacct gave it (RECORDID)
    intacct_state: Mapped[str | None] = mapped_column(String(16))
    intacct_total_due: Mapped[Decimal | None] = mapped_column(Money)
    intacct_total_paid: Mapped[Decimal | None] = mapped_column(Money)
    intacct_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 1, then one more each time a posted invoice changes at the source (its earlier version is cancelled).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    customer: Mapped[Customer] = relationship(lazy="joined")
    lines: Mapped[list[InvoiceLine]] = relationship(
        lazy="selectin", order_by="InvoiceLine.line_no", cascade="all, delete-orphan", back_populates="invoice"
    )


class InvoiceLine(Dimensions, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (UniqueConstraint("invoice_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str | None] = mapped_column(String(100))
    gl_account: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    unit: Mapped[str | None] = mapped_column(String(50))
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    amount: Mapped[Decimal | None] = mapped_column(Money)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(OutboxColumns, Base):
    """A payment received; `deposit_to` is "undeposited" or a bank account id (None: the setting)."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    received_on: Mapped[date] = mapped_column()
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str | None] = mapped_column(String(50))
    reference: Mapped[str | None] = mapped_column(String(200))
    deposit_to: Mapped[str | None] = mapped_column(String(100))
    memo: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(100))   # at the entity level: where it posts
    fingerprint: Mapped[str] = mapped_column(String(64))

    customer: Mapped[Customer] = relationship(lazy="joined")
    applications: Mapped[list[PaymentApplication]] = relationship(
        lazy="selectin", order_by="PaymentApplication.id", cascade="all, delete-orphan", back_populates="payment"
    )


class PaymentApplication(Base):
    """The part of a payment applied to one invoice."""

    __tablename__ = "payment_applications"
    __table_args__ = (UniqueConstraint("payment_id", "invoice_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)

    payment: Mapped[Payment] = relationship(back_populates="applications")
    invoice: Mapped[Invoice] = relationship(lazy="joined")


class CreditMemo(OutboxColumns, Base):
    """A credit memo (posted as an AR adjustment), against the invoice it credits when there is one."""

    __tablename__ = "credit_memos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str | None] = mapped_column(String(100))
    memo_date: Mapped[date] = mapped_column()
    memo: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(100))   # at the entity level: where it posts
    fingerprint: Mapped[str] = mapped_column(String(64))

    customer: Mapped[Customer] = relationship(lazy="joined")
    invoice: Mapped[Invoice | None] = relationship(lazy="joined")
    lines: Mapped[list[CreditMemoLine]] = relationship(
        lazy="selectin", order_by="CreditMemoLine.line_no", cascade="all, delete-orphan", back_populates="credit_memo"
    )


class CreditMemoLine(Dimensions, Base):
    __tablename__ = "credit_memo_lines"
    __table_args__ = (UniqueConstraint("credit_memo_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_memo_id: Mapped[int] = mapped_column(ForeignKey("credit_memos.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    gl_account: Mapped[str | None] = mapped_column(String(100))
    sku: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Money)

    credit_memo: Mapped[CreditMemo] = relationship(back_populates="lines")


class StockLevel(Base):
    """Quantity on hand of one item in one warehouse, as last pulled from Intacct."""

    __tablename__ = "stock_levels"
    __table_args__ = (UniqueConstraint("workspace_id", "item_id", "warehouse_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    warehouse_id: Mapped[str] = mapped_column(String(100))
    on_hand: Mapped[Decimal] = mapped_column(Quantity)
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pulled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IntacctArInvoice(Base):
    """An AR invoice that exists only in Intacct (pulled): what a payment portal collects on."""

    __tablename__ = "intacct_ar_invoices"
    __table_args__ = (UniqueConstraint("workspace_id", "recordno"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    recordno: Mapped[str] = mapped_column(String(100))
    number: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[str | None] = mapped_column(String(100), index=True)
    invoice_date: Mapped[date | None] = mapped_column()
    due_date: Mapped[date | None] = mapped_column()
    total: Mapped[Decimal | None] = mapped_column(Money)
    total_due: Mapped[Decimal | None] = mapped_column(Money)
    state: Mapped[str | None] = mapped_column(String(16))
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pulled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReceivablesSettingsRow(Base):
    """The workspace's order-to-cash choices (one row per workspace; `domain.receivables.ReceivablesSettings`)."""

    __tablename__ = "o2c_settings"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    customer_match: Mapped[str] = mapped_column(String(16), default=CustomerMatch.NAME.value)
    catch_all_customer_id: Mapped[str | None] = mapped_column(String(100))
    customer_id_prefix: Mapped[str] = mapped_column(String(10), default="C-")
    invoice_mode: Mapped[str] = mapped_column(String(16), default=InvoiceMode.AR_INVOICE.value)
    transaction_definition: Mapped[str] = mapped_column(String(100), default="Sales Invoice")
    revenue_account: Mapped[str | None] = mapped_column(String(100))
    discount_item: Mapped[str | None] = mapped_column(String(100))
    discount_account: Mapped[str | None] = mapped_column(String(100))
    shipping_item: Mapped[str | None] = mapped_column(String(100))
    shipping_account: Mapped[str | None] = mapped_column(String(100))
    tax_mode: Mapped[str] = mapped_column(String(16), default=TaxMode.LINE.value)
    tax_item: Mapped[str | None] = mapped_column(String(100))
    tax_account: Mapped[str | None] = mapped_column(String(100))
    ar_account: Mapped[str | None] = mapped_column(String(100))
    undeposited_account: Mapped[str | None] = mapped_column(String(100))
    deposit_mode: Mapped[str] = mapped_column(String(16), default=DepositMode.UNDEPOSITED.value)
    bank_account: Mapped[str | None] = mapped_column(String(100))
    gate_journal_entries: Mapped[str] = mapped_column(String(8), default=GateMode.HALT.value)
    gate_customers: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    gate_invoices: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    gate_payments: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    gate_credit_memos: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    gate_vendors: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    gate_items: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    gate_bills: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    gate_ap_adjustments: Mapped[str] = mapped_column(String(8), default=GateMode.HOLD.value)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PullMark(Base):
    """How far an incremental pull got: the newest WHENMODIFIED seen of one stream (e.g. AR invoices)."""

    __tablename__ = "pull_marks"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    modified_through: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pulled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

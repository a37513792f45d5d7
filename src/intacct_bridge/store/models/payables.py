"""AP records (seed 001): bills (purchase invoices) and AP adjustments (vendor credit memos).

They carry the outbox columns every posted kind has (`OutboxColumns`). `vendor_id` is the
vendor's id in Intacct (VENDORID), checked there before posting; a bill's `number` is the
vendor's invoice number, unique per vendor, which finds it again in Intacct.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intacct_bridge.store.models.base import Base
from intacct_bridge.store.models.receivables import Dimensions, OutboxColumns
from intacct_bridge.store.types import Money


class Bill(OutboxColumns, Base):
    """A purchase invoice; `fingerprint` hashes what would be posted, to refuse changes after."""

    __tablename__ = "bills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    vendor_id: Mapped[str] = mapped_column(String(100), index=True)
    number: Mapped[str | None] = mapped_column(String(100))
    bill_date: Mapped[date] = mapped_column()
    due_date: Mapped[date | None] = mapped_column()
    terms: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(200))
    memo: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(3))
    entity: Mapped[str | None] = mapped_column(String(100))   # at the entity level: where it posts
    fingerprint: Mapped[str] = mapped_column(String(64))
    # 1, then one more each time a posted bill changes at the source (its earlier version is cancelled).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    lines: Mapped[list[BillLine]] = relationship(
        lazy="selectin", order_by="BillLine.line_no", cascade="all, delete-orphan", back_populates="bill"
    )


class BillLine(Dimensions, Base):
    __tablename__ = "bill_lines"
    __table_args__ = (UniqueConstraint("bill_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    gl_account: Mapped[str | None] = mapped_column(String(100))
    sku: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Money)

    bill: Mapped[Bill] = relationship(back_populates="lines")


class ApAdjustment(OutboxColumns, Base):
    """A vendor credit memo, posted as an AP adjustment against the bill it credits when there is one."""

    __tablename__ = "ap_adjustments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    vendor_id: Mapped[str] = mapped_column(String(100), index=True)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str | None] = mapped_column(String(100))
    adjustment_date: Mapped[date] = mapped_column()
    memo: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(100))   # at the entity level: where it posts
    fingerprint: Mapped[str] = mapped_column(String(64))

    bill: Mapped[Bill | None] = relationship(lazy="joined")
    lines: Mapped[list[ApAdjustmentLine]] = relationship(
        lazy="selectin", order_by="ApAdjustmentLine.line_no", cascade="all, delete-orphan",
        back_populates="adjustment",
    )


class ApAdjustmentLine(Dimensions, Base):
    __tablename__ = "ap_adjustment_lines"
    __table_args__ = (UniqueConstraint("ap_adjustment_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ap_adjustment_id: Mapped[int] = mapped_column(ForeignKey("ap_adjustments.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    gl_account: Mapped[str | None] = mapped_column(String(100))
    sku: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Money)

    adjustment: Mapped[ApAdjustment] = relationship(back_populates="lines")

"""Master data pushed to Intacct (seed 001): vendors and non-stock items, with what was last posted.

Besides the outbox columns each row keeps `fingerprint` (of the Intacct values its fields make now),
and `posted_values` / `posted_fingerprint` (what Intacct was last sent and confirmed): a posted
record whose fingerprint moved is sent again as an update of only the fields that changed.
Customers carry the same three columns (`receivables.MasterColumns`).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base
from intacct_bridge.store.models.receivables import MasterColumns, OutboxColumns
from intacct_bridge.store.types import Money


class ContactColumns:
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(100))
    address1: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    zip: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))


class Vendor(MasterColumns, ContactColumns, OutboxColumns, Base):
    """A supplier of the source. `vendor_id` (Intacct's VENDORID) cannot change once the vendor was created."""

    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    vendor_id: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    company_name: Mapped[str | None] = mapped_column(String(300))
    tax_id: Mapped[str | None] = mapped_column(String(100))
    terms: Mapped[str | None] = mapped_column(String(100))
    vendor_type: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str | None] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True)   # Intacct STATUS active / inactive


class Item(MasterColumns, OutboxColumns, Base):
    """A non-stock item of the source. `item_id` (Intacct's ITEMID) cannot change once the item was created."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    item_id: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    item_type: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(String(1000))
    base_price: Mapped[Decimal | None] = mapped_column(Money)
    standard_cost: Mapped[Decimal | None] = mapped_column(Money)
    taxable: Mapped[bool | None] = mapped_column(Boolean)
    income_account: Mapped[str | None] = mapped_column(String(100))
    expense_account: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

"""Request and response bodies for vendors and non-stock items (master data pushed to Intacct)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from intacct_bridge.web.api.schemas_receivables import Outbox
from intacct_bridge.web.api.schemas_records import MAX_BULK
from intacct_bridge.web.api.bulk import Each
from intacct_bridge.web.api.types import Amount, ExternalId, Moment, Strict, text

ItemType = Literal["Non-Inventory", "Non-Inventory (Purchase only)", "Non-Inventory (Sales only)"]


class MasterIn(Strict):
    external_id: ExternalId
    name: text(100)  # type: ignore[valid-type]
    active: bool = Field(default=True, description="Intacct STATUS: active (true) or inactive (false).")
    created_at: Moment | None = None


class VendorIn(MasterIn):
    vendor_id: text(20) | None = Field(default=None, description="Its VENDORID in Intacct (default: the "  # type: ignore[valid-type]
                                       "external id). It cannot change once the vendor was created.")
    company_name: text(100) | None = None  # type: ignore[valid-type]
    email: text(300) | None = None  # type: ignore[valid-type]
    phone: text(100) | None = None  # type: ignore[valid-type]
    address1: text(300) | None = None  # type: ignore[valid-type]
    city: text(100) | None = None  # type: ignore[valid-type]
    state: text(100) | None = None  # type: ignore[valid-type]
    zip: text(100) | None = None  # type: ignore[valid-type]
    country: text(100) | None = None  # type: ignore[valid-type]
    tax_id: text(20) | None = None  # type: ignore[valid-type]
    terms: text(100) | None = Field(default=None, description="An AP term's name in Intacct.")  # type: ignore[valid-type]
    vendor_type: text(100) | None = None  # type: ignore[valid-type]
    currency: text(3) | None = None  # type: ignore[valid-type]


class VendorBulk(Strict):
    vendors: list[Each[VendorIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class ItemIn(MasterIn):
    item_id: text(30) | None = Field(default=None, description="Its ITEMID in Intacct (default: the external "  # type: ignore[valid-type]
                                     "id). It cannot change once the item was created.")
    item_type: ItemType | None = Field(default=None, description="A non-stock type; default Non-Inventory.")
    description: text(1000) | None = None  # type: ignore[valid-type]
    base_price: Amount | None = None
    standard_cost: Amount | None = None
    taxable: bool | None = None
    income_account: text(100) | None = None  # type: ignore[valid-type]
    expense_account: text(100) | None = None  # type: ignore[valid-type]


class ItemBulk(Strict):
    items: list[Each[ItemIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class MasterOut(Outbox):
    name: str | None
    active: bool
    changes_to_send: bool = Field(description="Posted, with changed fields waiting to be sent as an update.")
    posted_values: dict[str, str] | None = Field(description="The Intacct fields as last posted.")


class VendorOut(MasterOut):
    vendor_id: str
    company_name: str | None
    email: str | None
    phone: str | None
    address1: str | None
    city: str | None
    state: str | None
    zip: str | None
    country: str | None
    tax_id: str | None
    terms: str | None
    vendor_type: str | None
    currency: str | None


class ItemOut(MasterOut):
    item_id: str
    item_type: str | None
    description: str | None
    base_price: str | None
    standard_cost: str | None
    taxable: bool | None
    income_account: str | None
    expense_account: str | None


__all__ = ["ItemBulk", "ItemIn", "ItemOut", "VendorBulk", "VendorIn", "VendorOut"]

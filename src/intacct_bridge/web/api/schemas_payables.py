"""Request and response bodies for AP bills and AP adjustments (vendor credit memos)."""

from __future__ import annotations

from pydantic import Field

from intacct_bridge.web.api.schemas_receivables import (
    MAX_LINES,
    CreditMemoLineIn,
    Id100,
    LineOut,
    Outbox,
)
from intacct_bridge.web.api.schemas_records import MAX_BULK
from intacct_bridge.web.api.bulk import Each
from intacct_bridge.web.api.types import Day, ExternalId, Moment, Strict, text

VendorId = text(20)


class BillLineIn(CreditMemoLineIn):
    """A GL account or an item (its expense account), the amount, a memo (`description`) and dimensions."""


class ApDocumentIn(Strict):
    external_id: ExternalId
    vendor_id: VendorId = Field(description="The vendor's id in Sage Intacct (VENDORID).")  # type: ignore[valid-type]
    entity: Id100 | None = Field(default=None, description="At the entity level: the entity it posts at.")  # type: ignore[valid-type]
    created_at: Moment | None = None


class BillIn(ApDocumentIn):
    bill_date: Day
    number: text(45) = Field(description="The vendor's invoice number: unique per vendor.")  # type: ignore[valid-type]
    due_date: Day | None = Field(default=None, description="Or give terms.")
    terms: Id100 | None = Field(default=None, description="An AP term in Intacct, e.g. Net 30.")  # type: ignore[valid-type]
    reference: Id100 | None = None  # type: ignore[valid-type]
    memo: text(1000) | None = None  # type: ignore[valid-type]
    currency: text(3) | None = None  # type: ignore[valid-type]
    lines: list[BillLineIn] = Field(default_factory=list, max_length=MAX_LINES)


class BillBulk(Strict):
    bills: list[Each[BillIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class ApAdjustmentIn(ApDocumentIn):
    adjustment_date: Day
    bill_external_id: ExternalId | None = Field(default=None, description="The bill it credits, if one.")
    number: text(45) | None = None  # type: ignore[valid-type]
    memo: text(1000) | None = None  # type: ignore[valid-type]
    lines: list[BillLineIn] = Field(default_factory=list, max_length=MAX_LINES)


class ApAdjustmentBulk(Strict):
    ap_adjustments: list[Each[ApAdjustmentIn]] = Field(min_length=1, max_length=MAX_BULK)  # type: ignore[valid-type]


class BillOut(Outbox):
    vendor_id: str
    bill_date: Day
    number: str | None
    due_date: Day | None
    terms: str | None
    reference: str | None
    memo: str | None
    currency: str | None
    entity: str | None
    total: str
    lines: list[LineOut]


class ApAdjustmentOut(Outbox):
    vendor_id: str
    adjustment_date: Day
    bill_external_id: str | None
    number: str | None
    memo: str | None
    entity: str | None
    total: str
    lines: list[LineOut]

"""AP records as the rules see them (seed 001 "Purchase invoice and credit memo → AP bill").

A bill is a purchase invoice of a vendor Intacct knows (VENDORID), with lines to a GL account or
an item; an AP adjustment is a vendor credit memo, against one of the bills when it names one.
Their lines are the same amount lines credit memos have (`CreditMemoLineView`). Plain frozen
values built by the store (`store.repositories.payables`); rules in `domain.payables_rules`,
payloads in `domain.payables_payloads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from intacct_bridge.domain.receivables import CreditMemoLineView

AmountLineView = CreditMemoLineView  # an amount to a GL account or item, with its memo and dimensions


def lines_total(lines: tuple[AmountLineView, ...]) -> Decimal:
    return sum((line.amount or Decimal(0) for line in lines), Decimal("0.00"))


@dataclass(frozen=True)
class BillView:
    """A purchase invoice as it would be posted: `number` is the vendor's invoice number (RECORDID)."""

    id: int
    external_id: str
    vendor_id: str | None
    bill_date: date | None
    lines: tuple[AmountLineView, ...] = ()
    number: str | None = None
    due_date: date | None = None
    terms: str | None = None
    reference: str | None = None
    memo: str | None = None
    currency: str | None = None
    entity: str | None = None      # at the entity level: where it posts (None: the workspace's default)
    intacct_key: str | None = None
    version: int = 1               # > 1: a corrected version (the earlier one was cancelled in Intacct)

    @property
    def total(self) -> Decimal:
        return lines_total(self.lines)


@dataclass(frozen=True)
class ApAdjustmentView:
    """A vendor credit memo: positive amounts credited, posted as a negative AP adjustment."""

    id: int
    external_id: str
    vendor_id: str | None
    adjustment_date: date | None
    lines: tuple[AmountLineView, ...] = ()
    bill: BillView | None = None
    bill_external_id: str | None = None
    bill_number: str | None = None  # the bill's RECORDID in Intacct, once it is posted
    number: str | None = None
    memo: str | None = None
    entity: str | None = None      # at the entity level: where it posts (None: the workspace's default)

    @property
    def total(self) -> Decimal:
        return lines_total(self.lines)

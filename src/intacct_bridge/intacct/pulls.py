"""Readers for incremental pulls: AR invoices, AR payments and stock levels changed since a moment
(and the AP terms, read whole).

Each reader streams typed rows (Decimal amounts, dates, aware UTC timestamps) from
`iter_query` with a `WHENMODIFIED > since` filter, so a pull asks only for what
changed. Without ``since`` the invoice reader returns the open invoices (a first
pull); later pulls also see invoices that became paid, so the caller can close them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from . import query as q
from .legacy import GetCompanyPrefs, GetIcItemTotals
from .lookup import LookupClient

OPEN_STATES = ("Posted", "Partially Paid")
INVOICE_FIELDS = ["RECORDNO", "RECORDID", "CUSTOMERID", "STATE", "TOTALENTERED", "TOTALPAID", "TOTALDUE",
                  "WHENCREATED", "WHENDUE", "WHENPAID", "DOCNUMBER", "WHENMODIFIED"]
PAYMENT_FIELDS = ["RECORDNO", "CUSTOMERID", "RECEIPTDATE", "TOTALENTERED", "DOCNUMBER", "PAYMENTMETHOD", "STATE",
                  "WHENMODIFIED"]
# Stock per item and warehouse as the emulator names it (ICITEMTOTAL, the records behind get_icitemtotals);
# the reference names no generic object for it, so against real Intacct use stock_levels() instead.
STOCK_OBJECT = "ICITEMTOTAL"
STOCK_FIELDS = ["ITEMID", "WAREHOUSEID", "ONHAND", "ONORDER", "ONHOLD", "WHENMODIFIED"]


def _date(text: Any) -> date | None:
    return datetime.strptime(text, "%m/%d/%Y").date() if text else None


def _moment(text: Any) -> datetime | None:
    return datetime.strptime(text, "%m/%d/%Y %H:%M:%S").replace(tzinfo=UTC) if text else None


def _amount(text: Any) -> Decimal:
    return Decimal(text or "0").quantize(Decimal("0.01"))


def _since(since: datetime) -> datetime:
    """The moment as the gateway's filter wants it: UTC wall time, whole seconds."""
    if since.tzinfo is None:
        raise ValueError("since must be a timezone-aware datetime")
    return since.astimezone(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class InvoiceBalance:
    recordno: str
    invoice_no: str
    customer_id: str
    state: str
    total_entered: Decimal
    total_paid: Decimal
    total_due: Decimal
    invoice_date: date | None
    due_date: date | None
    paid_date: date | None
    reference: str
    modified_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES and self.total_due != 0


@dataclass(frozen=True)
class PaymentRecord:
    recordno: str
    customer_id: str
    receipt_date: date | None
    total_entered: Decimal
    reference: str
    method: str
    state: str
    modified_at: datetime | None


@dataclass(frozen=True)
class StockLevel:
    item_id: str
    warehouse_id: str
    on_hand: Decimal
    on_order: Decimal
    on_hold: Decimal
    modified_at: datetime | None = None


def invoices_changed(client: LookupClient, since: datetime | None = None, **options: Any) -> Iterator[InvoiceBalance]:
    """AR invoices modified after ``since`` (any state), or every open invoice when ``since`` is None."""
    where = q.in_("STATE", OPEN_STATES) if since is None else q.gt("WHENMODIFIED", _since(since))
    for row in client.iter_query("ARINVOICE", INVOICE_FIELDS, filter=where, order_by=["RECORDNO"], **options):
        yield InvoiceBalance(
            str(row.get("RECORDNO", "")), row.get("RECORDID") or "", row.get("CUSTOMERID") or "",
            row.get("STATE") or "", _amount(row.get("TOTALENTERED")), _amount(row.get("TOTALPAID")),
            _amount(row.get("TOTALDUE")), _date(row.get("WHENCREATED")), _date(row.get("WHENDUE")),
            _date(row.get("WHENPAID")), row.get("DOCNUMBER") or "", _moment(row.get("WHENMODIFIED")))


def payments_changed(client: LookupClient, since: datetime | None = None, **options: Any) -> Iterator[PaymentRecord]:
    """AR payments modified after ``since`` (all of them when None)."""
    where = None if since is None else q.gt("WHENMODIFIED", _since(since))
    for row in client.iter_query("ARPYMT", PAYMENT_FIELDS, filter=where, order_by=["RECORDNO"], **options):
        yield PaymentRecord(
            str(row.get("RECORDNO", "")), row.get("CUSTOMERID") or "", _date(row.get("RECEIPTDATE")),
            _amount(row.get("TOTALENTERED")), row.get("DOCNUMBER") or "", row.get("PAYMENTMETHOD") or "",
            row.get("STATE") or "", _moment(row.get("WHENMODIFIED")))


def stock_changed(client: LookupClient, since: datetime | None = None, **options: Any) -> Iterator[StockLevel]:
    """Stock per item and warehouse modified after ``since`` (every pair when None); see STOCK_OBJECT."""
    where = None if since is None else q.gt("WHENMODIFIED", _since(since))
    for row in client.iter_query(STOCK_OBJECT, STOCK_FIELDS, filter=where, order_by=["ITEMID", "WAREHOUSEID"],
                                 **options):
        yield StockLevel(row.get("ITEMID") or "", row.get("WAREHOUSEID") or "", Decimal(row.get("ONHAND") or "0"),
                         Decimal(row.get("ONORDER") or "0"), Decimal(row.get("ONHOLD") or "0"),
                         _moment(row.get("WHENMODIFIED")))


def stock_levels(client: Any, item_id: str | None = None, warehouse_id: str | None = None) -> list[StockLevel]:
    """Stock from legacy `get_icitemtotals`, which every Intacct company answers (no timestamps: compare
    with what was pulled before to see what changed)."""
    result = client.execute(GetIcItemTotals(item_id, warehouse_id))
    levels: list[StockLevel] = []
    for record in result.records:
        totals = record.get("itemtotal", [])
        for row in totals if isinstance(totals, list) else [totals]:
            levels.append(StockLevel(row.get("itemid") or "", row.get("warehouseid") or "",
                                     Decimal(row.get("onhand") or "0"), Decimal(row.get("onorder") or "0"),
                                     Decimal(row.get("onhold") or "0")))
    return levels


AP_TERM_FIELDS = ["NAME", "STATUS"]


def ap_terms(client: LookupClient, **options: Any) -> Iterator[tuple[str, str]]:
    """Every AP term (APTERM) as (name, status): what a bill's terms may name. A handful per company,
    so they are read whole each time rather than by WHENMODIFIED."""
    for row in client.iter_query("APTERM", AP_TERM_FIELDS, order_by=["NAME"], **options):
        if row.get("NAME"):
            yield str(row["NAME"]), str(row.get("STATUS") or "active")


# The GL preference holding the books' closed-through date (as the emulator names it; UNVERIFIED upstream:
# the XML reference is silent on where Intacct exposes "Books closed through").
CLOSED_THROUGH_PREFERENCE = "BOOKSCLOSEDTHROUGH"


def books_closed_through(client: Any, **options: Any) -> date | None:
    """The last closed day of the books, from the GL company preferences (`get_companyprefs`); None when
    nothing is closed. In an entity's session (`entity=` among the options) it is that entity's."""
    result = client.execute(GetCompanyPrefs("GL"), **options)
    for row in result.records:
        if str(row.get("preference") or "").upper() == CLOSED_THROUGH_PREFERENCE:
            return _date(row.get("prefvalue") or None)
    return None

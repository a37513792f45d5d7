"""What Intacct holds, pulled back (seeds 003, 004): invoice balances and stock on hand.

A pulled AR invoice that is one of ours (its RECORDNO is the invoice's `intacct_key`) updates
that invoice's state and balance; any other is kept in `intacct_ar_invoices`, the invoices a
payment portal collects on. Stock is one row per item and warehouse. Both are upserts, so an
incremental pull (by WHENMODIFIED) only sends what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.receivables import InvoiceState
from intacct_bridge.store.models import DocumentCancellation, IntacctArInvoice, Invoice, StockLevel, utcnow


@dataclass(frozen=True)
class PulledInvoice:
    """An ARINVOICE as read from Intacct (RECORDNO, RECORDID, CUSTOMERID, dates, TOTALENTERED/TOTALDUE...)."""

    recordno: str
    number: str | None
    customer_id: str | None
    invoice_date: date | None
    due_date: date | None
    total: Decimal | None
    total_due: Decimal | None
    total_paid: Decimal | None
    modified_at: datetime | None


@dataclass(frozen=True)
class PulledStock:
    item_id: str
    warehouse_id: str
    on_hand: Decimal
    modified_at: datetime | None = None


def invoice_state(total: Decimal | None, total_due: Decimal | None) -> InvoiceState:
    """Paid when nothing is due, open when all of it is, partly paid in between."""
    if total_due is None or total_due <= 0:
        return InvoiceState.PAID
    if total is not None and total_due < total:
        return InvoiceState.PARTLY_PAID
    return InvoiceState.OPEN


@dataclass
class PullCounts:
    ours: int = 0
    theirs: int = 0


def save_pulled_invoices(session: Session, workspace_id: int, pulled: Iterable[PulledInvoice]) -> PullCounts:
    """Update our invoices' balances from Intacct, and keep the others as Intacct-only invoices."""
    items = list(pulled)
    counts = PullCounts()
    keys = [p.recordno for p in items]
    ours = _ours(session, workspace_id, items)
    # An earlier version of one of ours, cancelled by an adjustment (issue 12): ours, not an Intacct-only invoice.
    cancelled = set(session.scalars(select(DocumentCancellation.original_key).where(
        DocumentCancellation.workspace_id == workspace_id, DocumentCancellation.record_kind == "invoice",
        DocumentCancellation.original_key.in_(keys)))) if keys else set()
    theirs = {r.recordno: r for r in session.scalars(
        select(IntacctArInvoice).where(IntacctArInvoice.workspace_id == workspace_id,
                                       IntacctArInvoice.recordno.in_(keys)))} if keys else {}
    now = utcnow()
    for p in items:
        state = invoice_state(p.total, p.total_due).value
        if p.recordno in cancelled and p.recordno not in ours:
            counts.ours += 1
            continue
        invoice = ours.get(p.recordno) or (ours.get(f"#{p.number}") if p.number else None)
        if invoice is not None:
            invoice.intacct_state, invoice.intacct_total_due = state, p.total_due
            invoice.intacct_total_paid, invoice.intacct_modified_at = p.total_paid, p.modified_at
            invoice.intacct_number = invoice.intacct_number or p.number
            counts.ours += 1
            continue
        row = theirs.get(p.recordno)
        if row is None:
            row = IntacctArInvoice(workspace_id=workspace_id, recordno=p.recordno)
            session.add(row)
        row.number, row.customer_id, row.invoice_date, row.due_date = p.number, p.customer_id, p.invoice_date, p.due_date
        row.total, row.total_due, row.state = p.total, p.total_due, state
        row.modified_at, row.pulled_at = p.modified_at, now
        counts.theirs += 1
    session.flush()
    return counts


def _ours(session: Session, workspace_id: int, items: list[PulledInvoice]) -> dict[str, Invoice]:
    """Our invoices among these: by RECORDNO (AR invoices), or `#number` for those posted through Order
    Entry (known by their sales document's DOCID; their AR invoice carries the document number)."""
    if not items:
        return {}
    keys = [p.recordno for p in items]
    numbers = [p.number for p in items if p.number]
    found: dict[str, Invoice] = {}
    for invoice in session.scalars(select(Invoice).where(
            Invoice.workspace_id == workspace_id,
            Invoice.intacct_key.in_(keys) | Invoice.intacct_number.in_(numbers))):
        if invoice.intacct_key in keys:
            found[invoice.intacct_key] = invoice
        elif invoice.intacct_key and not invoice.intacct_key.isdigit() and invoice.intacct_number:
            found[f"#{invoice.intacct_number}"] = invoice
    return found


@dataclass
class StockCounts:
    levels: int = 0
    changed: int = 0


def save_stock(session: Session, workspace_id: int, pulled: Iterable[PulledStock]) -> StockCounts:
    """Upsert quantity on hand per item and warehouse. Without a timestamp from Intacct, a level's
    `modified_at` moves only when its quantity changed since the last pull."""
    items = list(pulled)
    existing = {(s.item_id, s.warehouse_id): s for s in session.scalars(
        select(StockLevel).where(StockLevel.workspace_id == workspace_id,
                                 StockLevel.item_id.in_({p.item_id for p in items})))} if items else {}
    now = utcnow()
    counts = StockCounts(levels=len(items))
    for p in items:
        row = existing.get((p.item_id, p.warehouse_id))
        if row is None:
            row = StockLevel(workspace_id=workspace_id, item_id=p.item_id, warehouse_id=p.warehouse_id)
            session.add(row)
            existing[(p.item_id, p.warehouse_id)] = row
        if row.on_hand != p.on_hand or row.modified_at is None:
            counts.changed += 1
            row.modified_at = p.modified_at or now
        row.on_hand, row.pulled_at = p.on_hand, now
    session.flush()
    return counts


def list_stock(session: Session, workspace_id: int, *, item_id: str | None = None, warehouse_id: str | None = None,
               limit: int | None = 100, after_id: int = 0) -> list[StockLevel]:
    """Stock levels in the order they were first pulled, keyset by id (`limit=None`: all of them)."""
    query = select(StockLevel).where(StockLevel.workspace_id == workspace_id, StockLevel.id > after_id)
    if item_id:
        query = query.where(StockLevel.item_id == item_id)
    if warehouse_id:
        query = query.where(StockLevel.warehouse_id == warehouse_id)
    query = query.order_by(StockLevel.id)
    return list(session.scalars(query if limit is None else query.limit(limit)))


def list_intacct_only_invoices(session: Session, workspace_id: int, *, open_only: bool = False, limit: int = 100,
                               after_id: int = 0) -> list[IntacctArInvoice]:
    """Invoices that exist only in Intacct; `open_only`: those with something still due."""
    query = select(IntacctArInvoice).where(IntacctArInvoice.workspace_id == workspace_id,
                                           IntacctArInvoice.id > after_id)
    if open_only:
        query = query.where(IntacctArInvoice.state != InvoiceState.PAID.value)
    return list(session.scalars(query.order_by(IntacctArInvoice.id).limit(limit)))

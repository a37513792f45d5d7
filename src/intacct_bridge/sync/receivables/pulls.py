"""Two ways (seeds 003, 004): what Intacct holds for receivables and stock, pulled back.

AR invoices are pulled incrementally (WHENMODIFIED after the last one seen; the first pull takes
the open ones): a local invoice learns its state (open, partly paid, paid) and balance; an
invoice that exists only in Intacct is kept in `intacct_ar_invoices` (what a payment portal
collects on). Payments recorded in Intacct are counted the same way. Stock comes from
`get_icitemtotals`, the one stock reader every Intacct company answers; it has no timestamps, so
a level's `modified_at` moves only when its quantity changed since the last pull.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.receivables import InvoiceState
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct.pulls import InvoiceBalance, invoices_changed, payments_changed, stock_levels
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Customer, IntacctArInvoice, Invoice, PullMark, StockLevel

INVOICES, PAYMENTS = "ar_invoices", "ar_payments"


@dataclass
class ReceivablesPulled:
    invoices: int = 0             # AR invoices Intacct reported as new or changed
    matched: int = 0              # ... of which are ours (their state and balance updated)
    only_in_intacct: int = 0      # ... of which exist only in Intacct
    payments: int = 0             # AR payments recorded in Intacct since the last pull


@dataclass
class StockPulled:
    levels: int = 0
    changed: int = 0


def uses_receivables(store: Store, workspace_id: int) -> bool:
    """A workspace takes part in order-to-cash once it has a customer (then its pulls are worth their calls)."""
    with store.session() as session:
        return bool(session.scalar(select(func.count()).select_from(Customer)
                                   .where(Customer.workspace_id == workspace_id).limit(1)))


def state_of(balance: InvoiceBalance) -> InvoiceState:
    if balance.state == "Paid" or (balance.total_due == 0 and balance.total_entered):
        return InvoiceState.PAID
    if balance.total_paid:
        return InvoiceState.PARTLY_PAID
    return InvoiceState.OPEN


def pull_receivables(store: Store, client, workspace_id: int, now: datetime) -> ReceivablesPulled:
    """Bring invoice states and balances up to date; list the invoices only Intacct has."""
    totals = ReceivablesPulled()
    since = _mark(store, workspace_id, INVOICES)
    newest = since
    batch: list[InvoiceBalance] = []
    for balance in invoices_changed(client, _overlap(since)):
        batch.append(balance)
        if balance.modified_at and (newest is None or balance.modified_at > newest):
            newest = balance.modified_at
        if len(batch) == 500:
            _apply(store, workspace_id, batch, totals, now)
            batch = []
    _apply(store, workspace_id, batch, totals, now)
    payments_since = _mark(store, workspace_id, PAYMENTS)
    payments_newest = payments_since
    for payment in payments_changed(client, _overlap(payments_since)):
        totals.payments += 1
        if payment.modified_at and (payments_newest is None or payment.modified_at > payments_newest):
            payments_newest = payment.modified_at
    with store.write_session() as session:  # a first pull marks its own moment: later ones ask what changed since
        _set_mark(session, workspace_id, INVOICES, newest or now, now)
        _set_mark(session, workspace_id, PAYMENTS, payments_newest or now, now)
    return totals


def _apply(store: Store, workspace_id: int, batch: list[InvoiceBalance], totals: ReceivablesPulled,
           now: datetime) -> None:
    if not batch:
        return
    totals.invoices += len(batch)
    with store.write_session() as session:
        ours = _local_invoices(session, workspace_id, batch)
        known = {row.recordno: row for row in session.scalars(select(IntacctArInvoice).where(
            IntacctArInvoice.workspace_id == workspace_id,
            IntacctArInvoice.recordno.in_([b.recordno for b in batch])))}
        for balance in batch:
            state = state_of(balance)
            invoice = ours.get(balance.recordno) or ours.get(f"#{balance.invoice_no}")
            if invoice is not None:
                totals.matched += 1
                invoice.intacct_state, invoice.intacct_total_due = state.value, balance.total_due
                invoice.intacct_total_paid, invoice.intacct_modified_at = balance.total_paid, balance.modified_at
                invoice.intacct_number = invoice.intacct_number or balance.invoice_no or None
                continue
            totals.only_in_intacct += 1
            row = known.get(balance.recordno)
            if row is None:
                row = IntacctArInvoice(workspace_id=workspace_id, recordno=balance.recordno)
                session.add(row)
            row.number, row.customer_id, row.invoice_date = balance.invoice_no, balance.customer_id, balance.invoice_date
            row.due_date, row.total, row.total_due = balance.due_date, balance.total_entered, balance.total_due
            row.state, row.modified_at, row.pulled_at = state.value, balance.modified_at, now


def _local_invoices(session: Session, workspace_id: int, batch: list[InvoiceBalance]) -> dict[str, Invoice]:
    """Our posted invoices among these: by RECORDNO (AR invoices), or `#number` (sales invoices' AR invoices)."""
    recordnos = [b.recordno for b in batch]
    numbers = [b.invoice_no for b in batch if b.invoice_no]
    rows = session.scalars(select(Invoice).where(
        Invoice.workspace_id == workspace_id, Invoice.status == ActionStatus.POSTED.value,
        Invoice.intacct_key.in_(recordnos) | Invoice.intacct_number.in_(numbers)))
    found: dict[str, Invoice] = {}
    for invoice in rows:
        if invoice.intacct_key and invoice.intacct_key.isdigit():
            found[invoice.intacct_key] = invoice
        elif invoice.intacct_number:
            found[f"#{invoice.intacct_number}"] = invoice
    return found


def pull_stock(store: Store, client, workspace_id: int, now: datetime) -> StockPulled:
    """Quantity on hand per item and warehouse; `modified_at` moves where the quantity changed."""
    totals = StockPulled()
    levels = stock_levels(client)
    with store.write_session() as session:
        stored = {(row.item_id, row.warehouse_id): row for row in session.scalars(
            select(StockLevel).where(StockLevel.workspace_id == workspace_id))}
        for level in levels:
            totals.levels += 1
            row = stored.get((level.item_id, level.warehouse_id))
            if row is None:
                row = StockLevel(workspace_id=workspace_id, item_id=level.item_id, warehouse_id=level.warehouse_id,
                                 on_hand=level.on_hand, modified_at=now)
                session.add(row)
                totals.changed += 1
            elif row.on_hand != level.on_hand:
                row.on_hand, row.modified_at = level.on_hand, now
                totals.changed += 1
            row.pulled_at = now
    return totals


def _mark(store: Store, workspace_id: int, stream: str) -> datetime | None:
    with store.session() as session:
        row = session.get(PullMark, (workspace_id, stream))
        return row.modified_through if row else None


def _set_mark(session: Session, workspace_id: int, stream: str, newest: datetime | None, now: datetime) -> None:
    row = session.get(PullMark, (workspace_id, stream))
    if row is None:
        row = PullMark(workspace_id=workspace_id, stream=stream)
        session.add(row)
    row.modified_through, row.pulled_at = newest, now


OVERLAP = timedelta(minutes=5)


def _overlap(since: datetime | None) -> datetime | None:
    """A little back: WHENMODIFIED has whole seconds and the gateway's clock is not ours, and a record
    changed just around the mark must not be missed (reading it twice changes nothing)."""
    return None if since is None else since - OVERLAP

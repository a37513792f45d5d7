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

from intacct_bridge.intacct.pulls import InvoiceBalance, invoices_changed, payments_changed, stock_levels
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Customer, PullMark
from intacct_bridge.store.repositories.pulled_receivables import (
    PulledInvoice,
    PulledStock,
    StockCounts,
    save_pulled_invoices,
    save_stock,
)

INVOICES, PAYMENTS = "ar_invoices", "ar_payments"


@dataclass
class ReceivablesPulled:
    invoices: int = 0             # AR invoices Intacct reported as new or changed
    matched: int = 0              # ... of which are ours (their state and balance updated)
    only_in_intacct: int = 0      # ... of which exist only in Intacct
    payments: int = 0             # AR payments recorded in Intacct since the last pull


def uses_receivables(store: Store, workspace_id: int) -> bool:
    """A workspace takes part in order-to-cash once it has a customer (then its pulls are worth their calls)."""
    with store.session() as session:
        return bool(session.scalar(select(func.count()).select_from(Customer)
                                   .where(Customer.workspace_id == workspace_id).limit(1)))


def pull_receivables(store: Store, client, workspace_id: int, now: datetime) -> ReceivablesPulled:
    """Bring invoice states and balances up to date; list the invoices only Intacct has."""
    totals = ReceivablesPulled()
    since = _mark(store, workspace_id, INVOICES)
    newest = since
    batch: list[PulledInvoice] = []
    for balance in invoices_changed(client, _overlap(since), show_private=True):  # entity-level ones too
        batch.append(_pulled(balance))
        if balance.modified_at and (newest is None or balance.modified_at > newest):
            newest = balance.modified_at
        if len(batch) == 500:
            _save(store, workspace_id, batch, totals)
            batch = []
    _save(store, workspace_id, batch, totals)
    payments_since = _mark(store, workspace_id, PAYMENTS)
    payments_newest = payments_since
    for payment in payments_changed(client, _overlap(payments_since), show_private=True):
        totals.payments += 1
        if payment.modified_at and (payments_newest is None or payment.modified_at > payments_newest):
            payments_newest = payment.modified_at
    with store.write_session() as session:  # a first pull marks its own moment: later ones ask what changed since
        _set_mark(session, workspace_id, INVOICES, newest or now, now)
        _set_mark(session, workspace_id, PAYMENTS, payments_newest or now, now)
    return totals


def _pulled(balance: InvoiceBalance) -> PulledInvoice:
    return PulledInvoice(balance.recordno, balance.invoice_no or None, balance.customer_id or None,
                         balance.invoice_date, balance.due_date, balance.total_entered, balance.total_due,
                         balance.total_paid, balance.modified_at)


def _save(store: Store, workspace_id: int, batch: list[PulledInvoice], totals: ReceivablesPulled) -> None:
    if not batch:
        return
    with store.write_session() as session:
        counts = save_pulled_invoices(session, workspace_id, batch)
    totals.invoices += len(batch)
    totals.matched += counts.ours
    totals.only_in_intacct += counts.theirs


def pull_stock(store: Store, client, workspace_id: int, now: datetime) -> StockCounts:
    """Quantity on hand per item and warehouse, from `get_icitemtotals`."""
    levels = stock_levels(client)
    with store.write_session() as session:
        return save_stock(session, workspace_id, [PulledStock(level.item_id, level.warehouse_id, level.on_hand)
                                                   for level in levels])


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

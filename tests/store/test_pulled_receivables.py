"""Invoice balances and stock pulled from Intacct: ours updated in place, the rest kept, upserts throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from intacct_bridge.domain.receivables import InvoiceState
from intacct_bridge.store.models import Customer, Invoice
from intacct_bridge.store.repositories.pulled_receivables import (
    PulledInvoice,
    PulledStock,
    invoice_state,
    list_intacct_only_invoices,
    list_stock,
    save_pulled_invoices,
    save_stock,
)
from intacct_bridge.store.repositories.workspaces import create_workspace

D = Decimal
WHEN = datetime(2025, 7, 10, tzinfo=UTC)


def pulled(recordno: str, due: str, number: str = "INV-1") -> PulledInvoice:
    return PulledInvoice(recordno, number, "C-1", date(2025, 7, 1), date(2025, 7, 31), D("50.00"), D(due),
                         D("50.00") - D(due), WHEN)


def test_invoice_state():
    assert invoice_state(D("50.00"), D("50.00")) is InvoiceState.OPEN
    assert invoice_state(D("50.00"), D("20.00")) is InvoiceState.PARTLY_PAID
    assert invoice_state(D("50.00"), D("0.00")) is InvoiceState.PAID


def test_pulled_balances_update_ours_and_keep_the_rest(store):
    with store.session() as session:
        ws = create_workspace(session, "Shop").id
        customer = Customer(workspace_id=ws, external_id="c1", name="Ada", customer_id="C-1")
        session.add(customer)
        session.flush()
        session.add(Invoice(workspace_id=ws, external_id="o1", customer_id=customer.id, invoice_date=date(2025, 7, 1),
                            fingerprint="x", status="posted", intacct_key="101"))
        session.flush()
        counts = save_pulled_invoices(session, ws, [pulled("101", "20.00"), pulled("202", "50.00", "INV-2")])
        assert (counts.ours, counts.theirs) == (1, 1)
        save_pulled_invoices(session, ws, [pulled("202", "0.00", "INV-2")])
    with store.session() as session:
        ours = session.scalars(select(Invoice)).one()
        assert (ours.intacct_state, ours.intacct_total_due, ours.intacct_number) == ("partly_paid", D("20.00"), "INV-1")
        [theirs] = list_intacct_only_invoices(session, ws)
        assert (theirs.number, theirs.state, theirs.total_due) == ("INV-2", "paid", D("0.00"))
        assert list_intacct_only_invoices(session, ws, open_only=True) == []


def test_stock_is_one_row_per_item_and_warehouse(store):
    with store.session() as session:
        ws = create_workspace(session, "Shop").id
        save_stock(session, ws, [PulledStock("W", "MAIN", D("5")), PulledStock("W", "EAST", D("1.5"))])
        save_stock(session, ws, [PulledStock("W", "MAIN", D("3"), WHEN)])
    with store.session() as session:
        rows = list_stock(session, ws, item_id="W")
        assert [(r.warehouse_id, r.on_hand) for r in rows] == [("MAIN", D("3.0000")), ("EAST", D("1.5000"))]
        assert list_stock(session, ws, warehouse_id="EAST")[0].on_hand == D("1.5")

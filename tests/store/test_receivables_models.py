"""Order-to-cash tables keep exact quantities and money, and a customer's Intacct id is set once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from intacct_bridge.store.models import Customer, Invoice, InvoiceLine, StockLevel
from intacct_bridge.store.models.receivables import CustomerIdFixed
from intacct_bridge.store.repositories.workspaces import create_workspace


def test_quantities_keep_four_places_and_lines_cascade(store):
    with store.session() as session:
        ws = create_workspace(session, "Shop").id
        customer = Customer(workspace_id=ws, external_id="c1", name="Ada")
        session.add(customer)
        session.flush()
        invoice = Invoice(workspace_id=ws, external_id="o1", customer_id=customer.id, invoice_date=date(2025, 7, 1),
                          fingerprint="x", lines=[InvoiceLine(line_no=1, sku="A", quantity=Decimal("1.2345"),
                                                              unit_price=Decimal("10.00"), amount=Decimal("12.35"))])
        session.add(invoice)
        session.add(StockLevel(workspace_id=ws, item_id="A", warehouse_id="W1", on_hand=Decimal("-3.5")))
    with store.session() as session:
        line = session.scalars(select(InvoiceLine)).one()
        assert (line.quantity, line.amount) == (Decimal("1.2345"), Decimal("12.35"))
        assert session.scalars(select(StockLevel.on_hand)).one() == Decimal("-3.5000")
        invoice = session.scalars(select(Invoice)).one()
        assert invoice.status == "unposted" and invoice.customer.name == "Ada"
        session.delete(invoice)
    with store.session() as session:
        assert session.scalars(select(InvoiceLine)).all() == []


def test_quantity_refuses_five_places(store):
    with pytest.raises(Exception, match="more than 4 decimal places"), store.session() as session:
        ws = create_workspace(session, "Shop").id
        session.add(StockLevel(workspace_id=ws, item_id="A", warehouse_id="W1", on_hand=Decimal("1.00001")))


def test_customer_id_is_assigned_once(store):
    with store.session() as session:
        ws = create_workspace(session, "Shop").id
        customer = Customer(workspace_id=ws, external_id="c1", name="Ada")
        session.add(customer)
        customer.customer_id = "C-c1"
        customer.customer_id = "C-c1"  # the same again is fine
        with pytest.raises(CustomerIdFixed, match="already 'C-c1'"):
            customer.customer_id = "C-other"

"""Importing customers, invoices, payments and credit memos: CSV and JSON lines, all or nothing, idempotent."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from intacct_bridge.domain.intake import read_csv, read_jsonl
from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.store.models import CreditMemo, Customer, Invoice, InvoiceLine, Payment
from intacct_bridge.store.repositories.intake import ImportRejected
from intacct_bridge.store.repositories.receivables_intake import import_records
from intacct_bridge.store.repositories.workspaces import create_workspace

UTC = ZoneInfo("UTC")
CUSTOMERS = """external_id,name,first_name,last_name,email,bill_to_city,bill_to_country
c1,Ada Lovelace,Ada,Lovelace,ada@example.org,London,UK
c2,Grace Hopper,Grace,Hopper,,,
"""
INVOICES = """external_id,customer_external_id,date,due_date,reference,discount,shipping,tax,line_sku,line_quantity,line_price
o1,c1,2025-07-01,2025-07-31,#1001,1.00,5.00,2.00,WIDGET,2,10.00
o1,c1,2025-07-01,2025-07-31,#1001,1.00,5.00,2.00,GADGET,1.5,4.00
o2,c2,2025-07-02,,#1002,,,,WIDGET,1,10.00
"""


def csv_rows(text: str):
    return read_csv(io.StringIO(text))


def jsonl_rows(*objects):
    return read_jsonl(io.StringIO("\n".join(json.dumps(o) for o in objects)))


def load(session, ws, kind, rows):
    return import_records(session, ws, kind, rows, UTC)


@pytest.fixture
def ws(store):
    with store.session() as session:
        ws = create_workspace(session, "Shop").id
        load(session, ws, RecordKind.CUSTOMER, csv_rows(CUSTOMERS))
        load(session, ws, RecordKind.INVOICE, csv_rows(INVOICES))
    return ws


def test_csv_invoices_group_their_rows_and_compute_line_amounts(store, ws):
    with store.session() as session:
        o1 = session.scalars(select(Invoice).where(Invoice.external_id == "o1")).one()
        assert (o1.customer.name, o1.invoice_date, o1.reference) == ("Ada Lovelace", date(2025, 7, 1), "#1001")
        assert [(l.sku, l.quantity, l.amount) for l in o1.lines] == [
            ("WIDGET", Decimal("2"), Decimal("20.00")), ("GADGET", Decimal("1.5"), Decimal("6.00"))]
        assert (o1.discount_amount, o1.shipping_amount, o1.tax_amount) == (Decimal("1.00"), Decimal("5.00"),
                                                                           Decimal("2.00"))
        ada = session.scalars(select(Customer).where(Customer.external_id == "c1")).one()
        assert ada.bill_to == {"address1": None, "address2": None, "city": "London", "state": None, "zip": None,
                               "country": "UK"}
        assert ada.ship_to is None and ada.status == "unposted"


def test_reimport_is_a_no_op_and_an_unposted_change_updates_in_place(store, ws):
    with store.session() as session:
        again = load(session, ws, RecordKind.INVOICE, csv_rows(INVOICES))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
        changed = load(session, ws, RecordKind.INVOICE, jsonl_rows(
            {"external_id": "o2", "customer": "c2", "date": "2025-07-02", "reference": "#1002",
             "lines": [{"sku": "WIDGET", "quantity": "3", "price": "10.00"}]}))
        assert (changed.created, changed.updated) == (0, 1)
    with store.session() as session:
        o2 = session.scalars(select(Invoice).where(Invoice.external_id == "o2")).one()
        assert [(l.line_no, l.quantity, l.amount) for l in o2.lines] == [(1, Decimal("3"), Decimal("30.00"))]
        assert session.scalar(select(func.count()).select_from(InvoiceLine)) == 3


def test_a_posted_invoice_refuses_changes_but_takes_the_same_content(store, ws):
    with store.session() as session:
        o1 = session.scalars(select(Invoice).where(Invoice.external_id == "o1")).one()
        o1.status, o1.intacct_number = "posted", "INV-0042"
    with store.session() as session:
        assert load(session, ws, RecordKind.INVOICE, csv_rows(INVOICES)).unchanged == 2
    changed = INVOICES.replace("GADGET,1.5", "GADGET,2.5")
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.INVOICE, csv_rows(changed))
    error = rejected.value.errors[0]
    assert error.line == 2 and error.field == "lines"
    assert "already posted to Intacct as invoice INV-0042 and this workspace refuses changes" in error.message
    assert "set the workspace's posted_changes setting to reverse" in error.message
    assert rejected.value.collection == "invoices"


def test_a_bad_row_imports_nothing_and_every_error_is_named(store, ws):
    bad = INVOICES + "o3,c1,2025-07-40,,,,,,WIDGET,x,10.00\no4,nobody,2025-07-01,,,,,,WIDGET,1,1.00\n"
    bad += "o5,c1,2025-07-01,,,,,,WIDGET,1,1.001\n"
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.INVOICE, csv_rows(bad.replace("o2,c2,2025-07-02", "o2,c2,2025-07-03")))
    found = {(e.line, e.field) for e in rejected.value.errors}
    assert {(5, "document_date"), (5, "lines[0].quantity"), (6, "customer_external_id"),
            (7, "lines[0].unit_price")} <= found
    with store.session() as session:
        assert session.scalar(select(Invoice.invoice_date).where(Invoice.external_id == "o2")) == date(2025, 7, 2)


def test_rows_of_one_invoice_must_agree_and_stay_together(store, ws):
    split = INVOICES + "o1,c1,2025-07-01,,,,,,EXTRA,1,1.00\n"
    disagree = INVOICES.replace("o1,c1,2025-07-01,2025-07-31,#1001,1.00,5.00,2.00,GADGET",
                                "o1,c1,2025-07-01,2025-07-31,#9999,1.00,5.00,2.00,GADGET")
    for text, (line, field) in ((split, (5, "external_id")), (disagree, (3, "reference"))):
        with pytest.raises(ImportRejected) as rejected, store.session() as session:
            load(session, ws, RecordKind.INVOICE, csv_rows(text))
        assert (rejected.value.errors[0].line, rejected.value.errors[0].field) == (line, field)


def test_an_invoice_row_can_create_its_customer(store, ws):
    with store.session() as session:
        load(session, ws, RecordKind.INVOICE, jsonl_rows(
            {"external_id": "o9", "customer": {"external_id": "c9", "name": "New Shopper", "email": "n@example.org"},
             "date": "2025-07-03", "lines": [{"sku": "W", "quantity": 1, "price": "3.00"}]},
            {"external_id": "o10", "customer_external_id": "c9", "date": "2025-07-03",
             "lines": [{"gl_account": "4000", "price": "1.00"}]}))
    with store.session() as session:
        c9 = session.scalars(select(Customer).where(Customer.external_id == "c9")).one()
        assert (c9.name, c9.email) == ("New Shopper", "n@example.org")
        assert session.scalar(select(func.count()).select_from(Invoice).where(Invoice.customer_id == c9.id)) == 2


def test_payments_apply_to_invoices_and_refuse_unknown_ones(store, ws):
    payments = ("external_id,customer_external_id,received_on,amount,method,invoice_external_id,applied_amount\n"
                "p1,c1,2025-07-05,30.00,check,o1,26.00\np1,c1,2025-07-05,30.00,check,o2,4.00\n"
                "p2,c2,2025-07-06,10.00,cash,o2,\n")
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.PAYMENT, csv_rows(payments))
    assert rejected.value.errors[0].field == "applications[1].invoice_external_id"
    assert "belongs to customer 'c2'" in rejected.value.errors[0].message
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.PAYMENT, csv_rows(payments.replace(",o2,4.00", ",o1,4.00")))
    assert (rejected.value.errors[0].line, rejected.value.errors[0].field) == (3, "applications")
    assert "paid twice" in rejected.value.errors[0].message
    with store.session() as session:
        result = load(session, ws, RecordKind.PAYMENT, csv_rows(payments.replace("p1,c1,2025-07-05,30.00,check,o2,4.00\n", "")))
        assert result.created == 2
    with store.session() as session:
        p1, p2 = session.scalars(select(Payment).order_by(Payment.external_id)).all()
        assert (p1.method, p1.amount) == ("check", Decimal("30.00"))
        assert [(a.invoice.external_id, a.amount) for a in p1.applications] == [("o1", Decimal("26.00"))]
        assert [(a.invoice.external_id, a.amount) for a in p2.applications] == [("o2", Decimal("10.00"))]
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.PAYMENT, jsonl_rows(
            {"external_id": "p3", "customer": "c1", "date": "2025-07-07", "amount": "5.00",
             "applications": [{"invoice": "missing", "amount": "5.00"}]}))
    assert rejected.value.errors[0].field == "applications[0].invoice_external_id"


def test_credit_memos_name_their_invoice(store, ws):
    with store.session() as session:
        load(session, ws, RecordKind.CREDIT_MEMO, jsonl_rows(
            {"external_id": "cm1", "customer": "c1", "date": "2025-07-09", "invoice": "o1", "memo": "damaged",
             "lines": [{"gl_account": "4000", "amount": "5.00", "location": "100"}]}))
    with store.session() as session:
        memo = session.scalars(select(CreditMemo)).one()
        assert (memo.invoice.external_id, memo.lines[0].amount, memo.lines[0].location) == ("o1", Decimal("5.00"),
                                                                                            "100")
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.CREDIT_MEMO, jsonl_rows(
            {"external_id": "cm2", "customer": "c1", "date": "2025-07-09", "lines": [{"gl_account": "4000"}]}))
    assert rejected.value.errors[0].field == "lines[0].amount"


def test_customers_reimport_updates_but_never_touches_the_intacct_id(store, ws):
    with store.session() as session:
        ada = session.scalars(select(Customer).where(Customer.external_id == "c1")).one()
        ada.customer_id, ada.status = "C-c1", "posted"
    with store.session() as session:
        result = load(session, ws, RecordKind.CUSTOMER, csv_rows(CUSTOMERS.replace("Ada Lovelace", "Ada King")))
        assert (result.updated, result.unchanged) == (1, 1)
    with store.session() as session:
        ada = session.scalars(select(Customer).where(Customer.external_id == "c1")).one()
        assert (ada.name, ada.customer_id) == ("Ada King", "C-c1")
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.CUSTOMER, csv_rows(CUSTOMERS + "c1,Again,,,,,\n,NoId,,,,,\n"))
    assert [(e.line, e.field) for e in rejected.value.errors] == [(4, "external_id"), (5, "external_id")]


def test_text_longer_than_its_column_is_refused_by_name(store, ws):
    rows = jsonl_rows({"external_id": "o7", "customer": "c1", "date": "2025-07-01", "terms": "t" * 101,
                       "currency": "EURO", "lines": [{"sku": "s" * 101, "price": "1.00"}]})
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.INVOICE, rows)
    assert {e.field for e in rejected.value.errors} == {"terms", "currency", "lines[0].sku"}


def test_a_control_character_in_any_text_is_refused_at_intake_naming_line_field_and_character(store, ws):
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.INVOICE, jsonl_rows(
            {"external_id": "o9", "customer": "c1", "date": "2025-07-02", "memo": "bell\x07here",
             "lines": [{"sku": "WIDGET", "quantity": "1", "price": "1.00", "description": "ok\x01"}]}))
    found = {(e.line, e.field): e.message for e in rejected.value.errors}
    assert "U+0007" in found[(1, "memo")] and "U+0001" in found[(1, "lines[0].description")]


def test_an_invoice_rows_customer_fields_are_checked_too_never_dropped(store, ws):
    rows = csv_rows("external_id,customer_external_id,customer_name,invoice_date,line_sku,line_quantity,"
                    "line_unit_price\no7,new-c,Ada\x07,2025-07-01,MUG,1,12.50\n")
    with pytest.raises(ImportRejected) as rejected, store.session() as session:
        load(session, ws, RecordKind.INVOICE, rows)
    [error] = rejected.value.errors
    assert (error.line, error.field) == (2, "customer_name") and "U+0007" in error.message

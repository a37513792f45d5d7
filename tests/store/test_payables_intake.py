"""Importing AP bills and AP adjustments: CSV and JSON lines, all or nothing, idempotent, errors by line and field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.store.models import ApAdjustment, Bill
from intacct_bridge.store.repositories.intake import ImportRejected
from intacct_bridge.store.repositories.workspaces import create_workspace
from tests.store.test_receivables_intake import csv_rows, jsonl_rows, load

BILLS = """external_id,vendor_id,bill_number,bill_date,due_date,terms,reference,line_gl_account,line_sku,line_amount,line_description,line_location
b1,V-100,INV-77,2026-11-02,,Net 30,PO-1,6010,,120.00,Power,100
b1,V-100,INV-77,2026-11-02,,Net 30,PO-1,,MUG,30.00,Mugs,
b2,V-200,9001,2026-11-03,2026-11-30,,,6300,,7.50,,
"""


@pytest.fixture
def ws(store):
    with store.session() as session:
        ws = create_workspace(session, "Books").id
        load(session, ws, RecordKind.BILL, csv_rows(BILLS))
    return ws


def errors_of(excinfo) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, e.message) for e in excinfo.value.errors]


def test_csv_bills_group_their_lines_and_reimport_is_a_no_op(store, ws):
    with store.session() as session:
        b1 = session.scalars(select(Bill).where(Bill.external_id == "b1")).one()
        assert (b1.vendor_id, b1.number, b1.bill_date, b1.terms, b1.due_date, b1.reference) == (
            "V-100", "INV-77", date(2026, 11, 2), "Net 30", None, "PO-1")
        assert [(l.gl_account, l.sku, l.amount, l.location) for l in b1.lines] == [
            ("6010", None, Decimal("120.00"), "100"), (None, "MUG", Decimal("30.00"), None)]
        again = load(session, ws, RecordKind.BILL, csv_rows(BILLS))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
        changed = load(session, ws, RecordKind.BILL, jsonl_rows(
            {"external_id": "b2", "vendor": "V-200", "number": "9001", "date": "2026-11-03", "term": "Net 15",
             "lines": [{"account": "6300", "amount": "9.00"}]}))
        assert (changed.created, changed.updated) == (0, 1)
        session.flush()
        b2 = session.scalars(select(Bill).where(Bill.external_id == "b2")).one()
        assert (b2.terms, b2.due_date, [l.amount for l in b2.lines]) == ("Net 15", None, [Decimal("9.00")])


def test_adjustments_name_a_bill_of_their_vendor(store, ws):
    with store.session() as session:
        result = load(session, ws, RecordKind.AP_ADJUSTMENT, jsonl_rows(
            {"external_id": "a1", "vendor_id": "V-100", "bill": "b1", "date": "2026-11-10",
             "lines": [{"gl_account": "6010", "amount": "20.00"}]},
            {"external_id": "a2", "vendor_id": "V-300", "date": "2026-11-11",
             "lines": [{"gl_account": "5200", "amount": "5.00"}]}))
        assert result.created == 2
        session.flush()
        a1 = session.scalars(select(ApAdjustment).where(ApAdjustment.external_id == "a1")).one()
        assert a1.bill.external_id == "b1" and a1.adjustment_date == date(2026, 11, 10)
    with store.session() as session, pytest.raises(ImportRejected) as rejected:
        load(session, ws, RecordKind.AP_ADJUSTMENT, jsonl_rows(
            {"external_id": "a3", "vendor_id": "V-300", "bill": "b1", "date": "2026-11-12",
             "lines": [{"gl_account": "6010", "amount": "1.00"}]},
            {"external_id": "a4", "vendor_id": "V-100", "bill": "nope", "date": "2026-11-12",
             "lines": [{"gl_account": "6010", "amount": "2.00"}]}))
    assert errors_of(rejected) == [
        (1, "bill_external_id", "bill 'b1' is from vendor 'V-100', not 'V-300': credit a bill of this vendor, or "
                                "correct the vendor_id"),
        (2, "bill_external_id", "no bill 'nope' in this workspace: import the bill first, or correct its id"),
    ]
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ApAdjustment)) == 2  # nothing of the bad file


def test_a_bad_file_names_line_and_field_and_imports_nothing(store, ws):
    bad = BILLS.replace("b2,V-200,9001", "b3,V-100,INV-77") + "b4,,,2026-11-05,,,,6010,,1.00,,\n"
    with store.session() as session, pytest.raises(ImportRejected) as rejected:
        load(session, ws, RecordKind.BILL, csv_rows(bad))
    found = errors_of(rejected)
    assert (4, "number", "bill 'INV-77' of vendor 'V-100' is also on line 2 ('b1'): give each bill its own number") \
        in found
    assert (5, "vendor_id", "missing: the vendor's id in Sage Intacct (VENDORID)") in found
    assert (5, "number", "missing: the vendor's invoice number (the bill number)") in found
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Bill)) == 2


def test_a_posted_bill_refuses_a_change(store, ws):
    with store.write_session() as session:
        bill = session.scalars(select(Bill).where(Bill.external_id == "b2")).one()
        bill.status, bill.intacct_key = "posted", "812"
    with store.session() as session, pytest.raises(ImportRejected) as rejected:
        load(session, ws, RecordKind.BILL, csv_rows(BILLS.replace(",6300,,7.50,", ",6300,,8.50,")))
    [(line, field, message)] = errors_of(rejected)
    assert line == 4 and "bill 'b2' is already posted to Intacct as bill 9001" in message


def test_a_bill_whose_post_is_unsettled_keeps_its_vendor_and_number(store, ws):
    from intacct_bridge.store.models import Posting

    with store.write_session() as session:
        b2 = session.scalars(select(Bill).where(Bill.external_id == "b2")).one()
        session.add(Posting(workspace_id=ws, record_kind="bill", record_id=b2.id, operation="create", generation=0,
                            controlid="c-1", reference_no="V-200/9001", state="ambiguous",
                            request_summary={"vendor": "V-200", "number": "9001"}))
    renumbered = BILLS.replace("b2,V-200,9001", "b2,V-200,9002")
    with store.session() as session, pytest.raises(ImportRejected) as rejected:
        load(session, ws, RecordKind.BILL, csv_rows(renumbered))
    [(line, field, message)] = errors_of(rejected)
    assert (line, field) == (4, "number") and "sent to Intacct as '9001' of vendor 'V-200'" in message
    assert "sync, then import the change" in message
    with store.session() as session:  # other changes of it are still taken (it is posted as it then stands)
        changed = load(session, ws, RecordKind.BILL, csv_rows(BILLS.replace(",6300,,7.50,", ",6300,,8.50,")))
        assert changed.updated == 1

"""User-defined dimensions beyond the custom field on invoice and bill lines (issue 10): each with its own
mode, sent in its GL line field, a required one missing or one not set up refused with the fix; end to end
over HTTP against the emulator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.store.models import Bill, ReviewFlag
from intacct_bridge.store.repositories.receivables import update_receivables_settings

from engine_helpers import COMPANY, make_engine, make_workspace

O2C = {"revenue_account": "4600", "undeposited_account": "1100", "gate_invoices": "hold"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request):
    """The store on a SQLite file, and again on PostgreSQL."""
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def bill(external_id: str, number: str, **line) -> dict:
    return {"external_id": external_id, "vendor_id": "V-100", "number": number, "bill_date": "2026-11-02",
            "due_date": "2026-12-02", "lines": [{"gl_account": "6010", "amount": "50.00", "location": "100", **line}]}


def reasons(store, ws: int, external_id: str) -> list[dict]:
    with store.session() as session:
        bill_id = session.scalar(select(Bill.id).where(Bill.workspace_id == ws, Bill.external_id == external_id))
        flag = session.scalar(select(ReviewFlag).where(ReviewFlag.workspace_id == ws, ReviewFlag.record_kind == "bill",
                                                       ReviewFlag.record_id == bill_id))
        return list(flag.reasons) if flag else []


def test_invoice_and_bill_lines_carry_user_defined_dimensions_each_with_its_mode(emu, operator, any_store, tmp_path,
                                                                                 wire):
    store = any_store
    ws = make_workspace(store, emu, operator, wire)
    with store.write_session() as session:
        update_receivables_settings(session, ws, O2C)
    bridge = Bridge(store, ws, operator)
    bridge.set_user_dimension("PROGRAM", label="Program", mode="require")
    bridge.import_customers([{"external_id": "c1", "name": "Program Donor"}])
    bridge.import_invoices([{"external_id": "i1", "customer": "c1", "date": "2026-11-02", "due_date": "2026-12-02",
                             "lines": [{"gl_account": "4600", "quantity": "1", "price": "30.00",
                                        "dimensions": {"program": "PG-YOUTH"}}]}])
    bridge.import_bills([
        bill("b1", "PD-1", dimensions={"PROGRAM": "PG-SENIOR"}),
        bill("b2", "PD-2"),                                                  # required, missing
        bill("b3", "PD-3", **{"dimension:program": "PG-YOUTH", "dimension:grant": "G-1"}),  # GRANT not set up
    ])
    csv = tmp_path / "bills.csv"   # CSV: a line_dimension:<object> column per dimension
    csv.write_text("external_id,vendor_id,number,bill_date,due_date,line_gl_account,line_amount,line_location,"
                   "line_dimension:PROGRAM\nb5,V-200,PD-5,2026-11-03,2026-12-03,6010,20.00,100,PG-YOUTH\n")
    bridge.import_bills(csv)
    assert {b.external_id: b.lines[0].dimensions for b in bridge.bills()} == {
        "b1": {"PROGRAM": "PG-SENIOR"}, "b2": None, "b3": {"GRANT": "G-1", "PROGRAM": "PG-YOUTH"},
        "b5": {"PROGRAM": "PG-YOUTH"}}
    report = make_engine(store, ws, operator).run()
    assert report.tally.by_kind["bill"]["posted"] == 2 and report.tally.by_kind["bill"]["invalid"] == 2, report
    assert report.tally.by_kind["invoice"]["posted"] == 1

    [missing] = reasons(store, ws, "b2")
    assert missing["field"] == "lines[1].dimensions.PROGRAM"
    assert "Program is required on every line: give the line a PROGRAM value" in missing["message"]
    [unknown] = reasons(store, ws, "b3")
    assert unknown["field"] == "lines[1].dimensions.GRANT"
    assert "GRANT is not a user-defined dimension of this workspace (set up: PROGRAM)" in unknown["message"]

    posted = {b["RECORDID"]: b for b in emu.admin.ledger(COMPANY, "APBILL")}
    assert set(posted) == {"PD-1", "PD-5"}
    assert [line["GLDIMPROGRAM"] for line in posted["PD-1"]["APBILLITEMS"]] == ["PG-SENIOR"]
    assert [line["GLDIMPROGRAM"] for line in posted["PD-5"]["APBILLITEMS"]] == ["PG-YOUTH"]
    [invoice] = emu.admin.ledger(COMPANY, "ARINVOICE")
    items = invoice.get("ARINVOICEITEMS") or invoice.get("ITEMS")
    assert [line["GLDIMPROGRAM"] for line in items] == ["PG-YOUTH"], invoice

    # Excluded: still accepted on the line, but not sent (as on journal entries)
    bridge.set_user_dimension("PROGRAM", label="Program", mode="exclude")
    bridge.import_bills([bill("b2", "PD-2"), bill("b4", "PD-4", dimensions={"PROGRAM": "PG-YOUTH"})])
    make_engine(store, ws, operator).run()
    sent = {b["RECORDID"]: b for b in emu.admin.ledger(COMPANY, "APBILL")}
    assert "PD-2" in sent and not sent["PD-4"]["APBILLITEMS"][0].get("GLDIMPROGRAM")

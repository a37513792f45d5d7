"""AP on the outbox, end to end over HTTP against the emulator: bills (GL or item lines, dimensions, terms or
due date) and AP adjustments against them, dependency order, the vendor and AP term checked in Intacct,
the gate in hold and halt mode, review flow (flag, fix, retry), exactly once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import ApAdjustment, Bill, ReviewFlag, RunItem
from intacct_bridge.store.repositories.receivables import update_receivables_settings
from tests.sync.engine_helpers import COMPANY, make_engine, make_workspace

MISSING_VENDOR = ("vendor 'V-404' not found in Intacct: add the vendor to the vendor records and sync them to "
                  "Sage Intacct, or correct the vendor id")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request):
    """The store on a SQLite file, and again on PostgreSQL."""
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def bill(external_id: str, number: str, *, vendor: str = "V-100", amount: str = "100.00", **header) -> dict:
    header.setdefault("due_date", "2026-12-02")
    return {"external_id": external_id, "vendor_id": vendor, "number": number, "bill_date": "2026-11-02", **header,
            "lines": [{"gl_account": "6010", "amount": amount, "description": "Power", "location": "100"}]}


def load_payables(bridge: Bridge) -> None:
    bridge.import_bills([
        bill("b1", "INV-77", amount="120.00", terms="Net 30", due_date=None, reference="PO-1"),
        {"external_id": "b2", "vendor": "V-200", "bill_number": "9001", "date": "2026-11-03", "due_date": "2026-11-30",
         "memo": "Mugs for the gala", "lines": [
             {"sku": "MUG", "amount": "40.00", "description": "Mugs", "department": "PRG"},
             {"gl_account": "6300", "amount": "7.50", "description": "Shipping", "class_id": "C100"}]},
    ])
    bridge.import_ap_adjustments([
        {"external_id": "a1", "vendor_id": "V-100", "bill": "b1", "date": "2026-11-10",
         "lines": [{"gl_account": "6010", "amount": "20.00", "description": "Overcharge"}]},
        {"external_id": "a2", "vendor_id": "V-300", "date": "2026-11-11",
         "lines": [{"gl_account": "5200", "amount": "15.00", "description": "Returned crates"}]},
    ])


def ledger(emu, name: str) -> list[dict]:
    return emu.admin.ledger(COMPANY, name)


def test_bills_and_adjustments_post_in_dependency_order_exactly_once(emu, operator, any_store, wire):
    store = any_store
    ws = make_workspace(store, emu, operator, wire=wire)
    bridge = Bridge(store, ws, operator)
    load_payables(bridge)
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.SUCCEEDED, report.message
    assert report.tally.by_kind["bill"]["posted"] == 2 and report.tally.by_kind["ap_adjustment"]["posted"] == 2
    bills = {b["RECORDID"]: b for b in ledger(emu, "APBILL")}
    assert set(bills) == {"INV-77", "9001"}
    first = bills["INV-77"]
    assert (first["VENDORID"], first["TERMNAME"], first["WHENDUE"], first["DOCNUMBER"]) == (
        "V-100", "Net 30", "2026-12-02", "PO-1")
    assert (first["TOTALENTERED"], first["TOTALDUE"], first["STATE"]) == ("120.00", "100.00", "Partially Paid")
    second = bills["9001"]
    assert [(i.get("ACCOUNTNO"), i.get("ITEMID"), i["TRX_AMOUNT"], i.get("DEPARTMENTID"), i.get("CLASSID"))
            for i in second["APBILLITEMS"]] == [("5100", "MUG", "40.00", "PRG", None), ("6300", None, "7.50", None,
                                                                                       "C100")]
    assert second["DESCRIPTION"] == "Mugs for the gala"
    adjustments = {a["DOCNUMBER"]: a for a in ledger(emu, "APADJUSTMENT")}
    assert adjustments["INV-77"]["TOTALENTERED"] == "-20.00" and adjustments[""]["VENDORID"] == "V-300"
    vendors = {v["VENDORID"]: Decimal(v["TOTALDUE"]) for v in ledger(emu, "VENDOR")}
    assert vendors == {"V-100": Decimal("100.00"), "V-200": Decimal("47.50"), "V-300": Decimal("-15.00")}
    with store.session() as session:
        keys = {b.external_id: b.intacct_key for b in session.scalars(select(Bill))}
        assert keys == {"b1": first["RECORDNO"], "b2": second["RECORDNO"]}
        assert all(a.status == "posted" for a in session.scalars(select(ApAdjustment)))
    assert "Net 30" in bridge.ap_terms() and "Net 90 (retired)" not in bridge.ap_terms()
    again = make_engine(store, ws, operator).run()
    assert again.tally.candidates == 0 and len(ledger(emu, "APBILL")) == 2 and len(ledger(emu, "APADJUSTMENT")) == 2


def flag_of(session, kind: str, model, external_id: str) -> list[dict]:
    record = session.scalars(select(model).where(model.external_id == external_id)).one()
    return session.scalars(select(ReviewFlag).where(ReviewFlag.record_kind == kind,
                                                    ReviewFlag.record_id == record.id)).one().reasons


def test_a_missing_vendor_and_an_unknown_term_are_flagged_with_the_fix_then_fixed_and_posted(emu, operator,
                                                                                              any_store):
    store = any_store
    ws = make_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    bridge.import_bills([bill("good", "G-1"), bill("lost", "L-1", vendor="V-404"),
                         bill("termed", "T-1", terms="Net 45", due_date=None)])
    bridge.import_ap_adjustments([{"external_id": "credit", "vendor_id": "V-404", "bill": "lost",
                                   "date": "2026-11-10", "lines": [{"gl_account": "6010", "amount": "5.00"}]}])
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.COMPLETED_WITH_ERRORS
    assert report.tally.by_kind["bill"]["posted"] == 1 and report.tally.by_kind["bill"]["invalid"] == 2
    assert [b["RECORDID"] for b in ledger(emu, "APBILL")] == ["G-1"] and ledger(emu, "APADJUSTMENT") == []
    with store.session() as session:
        assert flag_of(session, "bill", Bill, "lost") == [{"field": "vendor_id", "message": MISSING_VENDOR}]
        [term] = flag_of(session, "bill", Bill, "termed")
        assert term["field"] == "terms" and term["message"].startswith("AP term 'Net 45' not found in Intacct")
        assert "Net 30" in term["message"] and "give a due date instead" in term["message"]
        credit = session.scalars(select(ApAdjustment)).one()
        assert credit.status == "unposted"
        item = session.scalars(select(RunItem).where(RunItem.record_kind == "ap_adjustment")).one()
        assert item.outcome == "invalid" and "V-404" in (item.message or "")
    queue = {(e.record_kind, e.external_id): e for e in bridge.review_queue()}
    lost = queue[("bill", "lost")]  # the record, the field and the fix, as the CLI and console show them
    assert lost.summary == "bill lost" and lost.reasons[0]["field"] == "vendor_id"
    assert lost.reasons[0]["message"] == MISSING_VENDOR and "import it again" in lost.reasons[0]["fix"]
    # Fix both at the source and import again: unposted records are updated in place, then posted.
    bridge.import_bills([bill("lost", "L-1", vendor="V-300"), bill("termed", "T-1", terms="Net 15", due_date=None)])
    bridge.import_ap_adjustments([{"external_id": "credit", "vendor_id": "V-300", "bill": "lost",
                                   "date": "2026-11-10", "lines": [{"gl_account": "6010", "amount": "5.00"}]}])
    fixed = make_engine(store, ws, operator).run()
    assert fixed.status is RunStatus.SUCCEEDED, fixed.message
    assert sorted(b["RECORDID"] for b in ledger(emu, "APBILL")) == ["G-1", "L-1", "T-1"]
    assert [a["DOCNUMBER"] for a in ledger(emu, "APADJUSTMENT")] == ["L-1"]
    with store.session() as session:
        assert session.scalars(select(ReviewFlag)).all() == []


def test_halt_mode_posts_no_bill_while_one_is_invalid(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    with store.write_session() as session:
        update_receivables_settings(session, ws, {"gate_bills": "halt"})
    bridge = Bridge(store, ws, operator)
    bridge.import_bills([bill("good", "G-1"), bill("lost", "L-1", vendor="V-404")])
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.HALTED
    assert report.tally.by_kind["bill"]["invalid"] == 1 and ledger(emu, "APBILL") == []


def test_a_bill_intacct_refuses_is_failed_with_its_message_and_the_rest_post(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    emu.admin.set_closed_through(COMPANY, None, "2026-11-15")
    bridge.import_bills([bill("old", "O-1"), {**bill("new", "N-1"), "bill_date": "2026-11-20"}])
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.COMPLETED_WITH_ERRORS
    assert [b["RECORDID"] for b in ledger(emu, "APBILL")] == ["N-1"]
    with store.session() as session:
        old = session.scalars(select(Bill).where(Bill.external_id == "old")).one()
        assert old.status == "failed" and "closed period" in old.last_error


def test_the_python_api_refuses_a_bad_list_naming_index_and_field_and_writes_nothing(emu, operator, store):
    from intacct_bridge.store.repositories.intake import ImportRejected

    ws = make_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    with pytest.raises(ImportRejected) as rejected:
        bridge.import_bills([bill("ok", "K-1"), {**bill("bad", "K-2"), "bill_date": "31/11/2026",
                                                 "lines": [{"gl_account": "6010", "amount": "1.005"}]}])
    assert [(e.line, e.field) for e in rejected.value.errors] == [(1, "document_date"), (1, "lines[0].amount")]
    assert rejected.value.collection == "bills" and bridge.bills() == []


def test_a_bill_naming_a_vendor_the_workspace_pushes_waits_for_it_then_posts_in_the_same_run(emu, operator, store):
    """Vendors come before bills: a bill for a vendor Intacct lacks but the workspace imported is not flagged as
    naming a missing vendor; the vendor is created first and the bill posts in the same run."""
    ws = make_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    bridge.import_vendors([{"external_id": "s-9", "vendor_id": "V-NEW", "name": "New Supplies Ltd"}])
    bridge.import_bills([bill("b9", "N-1", vendor="V-NEW")])
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.SUCCEEDED, report.message
    assert report.tally.by_kind["vendor"]["posted"] == 1 and report.tally.by_kind["bill"]["posted"] == 1
    assert [b["VENDORID"] for b in ledger(emu, "APBILL")] == ["V-NEW"]
    with store.session() as session:
        assert session.scalars(select(ReviewFlag)).all() == []


def test_a_bill_waits_while_its_vendor_is_not_posted_yet(emu, operator, store):
    """A sync of bills only leaves the workspace's own vendor unposted: its bill waits (not flagged, not sent),
    and the next full run posts both."""
    ws = make_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    bridge.import_vendors([{"external_id": "s-8", "vendor_id": "V-LATE", "name": "Late Ltd"}])
    bridge.import_bills([bill("b8", "L-1", vendor="V-LATE")])
    make_engine(store, ws, operator).run(kinds=["bill"])
    assert ledger(emu, "APBILL") == [] and ledger(emu, "VENDOR") and "V-LATE" not in {
        v["VENDORID"] for v in ledger(emu, "VENDOR")}
    with store.session() as session:
        assert session.scalars(select(Bill)).one().status == "unposted"
        assert session.scalars(select(ReviewFlag)).all() == []
    make_engine(store, ws, operator).run()
    assert [b["VENDORID"] for b in ledger(emu, "APBILL")] == ["V-LATE"]

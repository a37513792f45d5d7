"""Reconciliation of every kind end to end over HTTP, on both wires: drift made in Intacct through the emulator's
admin endpoints is reported per kind (changed field by field, missing, unrecorded); untouched records are clean."""

from __future__ import annotations

from datetime import date

from intacct_bridge.api import Bridge
from intacct_bridge.domain.identifiers import record_reference
from intacct_bridge.store.models import Posting

from engine_helpers import COMPANY
from reconcile_kinds_helpers import POSTED, force_delete, force_fields, held, posted_everything


def test_every_kind_posted_and_untouched_reconciles_clean(emu, store, operator, wire):
    workspace_id, _ = posted_everything(store, emu, operator, wire)

    report = Bridge(store, workspace_id, operator).reconcile()

    assert not report.drift, report.as_dict()
    assert report.compared == report.matched == sum(POSTED.values())
    assert report.totals_rows(only_different=True) == []
    totals = {(r["kind"], r["account"], r["side"]): r["ours"] for r in report.totals_rows()}
    assert totals[("invoice", "C-c2", "debit")] == "70.00" and totals[("bill", "RB-V1", "credit")] == "120.00"
    assert totals[("credit_memo", "C-c2", "credit")] == "5.00" and totals[("ap_adjustment", "RB-V1", "debit")] == "20.00"


def test_drift_of_every_kind_is_reported_by_kind(emu, store, operator, wire):
    workspace_id, uid = posted_everything(store, emu, operator, wire)
    ref = lambda kind, n: record_reference(uid, kind, n)  # noqa: E731
    invoices, payments = held(emu, "ARINVOICE", "EXTERNALID"), held(emu, "ARPYMT", "DOCNUMBER")
    memos, ap_credits = held(emu, "ARADJUSTMENT", "EXTERNALID"), held(emu, "APADJUSTMENT", "EXTERNALID")
    bills = held(emu, "APBILL", "RECORDID")
    customers, vendors, items = held(emu, "CUSTOMER", "CUSTOMERID"), held(emu, "VENDOR", "VENDORID"), held(
        emu, "ITEM", "ITEMID")
    admin = emu.admin
    admin.update_record(COMPANY, "CUSTOMER", customers["C-c2"]["RECORDNO"],
                        fields={"DISPLAYCONTACT.EMAIL1": "someone@else.example"})
    admin.update_record(COMPANY, "ARINVOICE", invoices[ref("invoice", 1)]["RECORDNO"],
                        fields={"WHENCREATED": "2026-11-09"}, lines=[{"line": 0, "fields": {"ACCOUNTNO": "4600"}}])
    admin.update_record(COMPANY, "ARINVOICE", invoices[ref("invoice", 2)]["RECORDNO"],
                        lines=[{"line": 0, "fields": {"AMOUNT": "33.00"}}])
    bill_line = dict(bills["RB-0001"]["APBILLITEMS"][0])
    force_fields(emu, "APBILL", bills["RB-0001"]["RECORDNO"], STATE="Reversed",
                 APBILLITEMS=[{**bill_line, "LOCATIONID": "200"}])
    detail = dict(payments[ref("payment", 1)]["ARPYMTDETAILS"][0])
    force_fields(emu, "ARPYMT", payments[ref("payment", 1)]["RECORDNO"], STATE="Voided",
                 ARPYMTDETAILS=[{**detail, "TRX_PAYMENTAMOUNT": "20.00"}])
    admin.delete_record(COMPANY, "ARADJUSTMENT", memos[ref("credit_memo", 1)]["RECORDNO"])
    admin.update_record(COMPANY, "VENDOR", vendors["RB-V1"]["RECORDNO"], fields={"NAME": "Paper & Co"})
    admin.update_record(COMPANY, "ITEM", items["RB-NS1"]["RECORDNO"], fields={"BASEPRICE": "95.00"})
    force_fields(emu, "APBILL", bills["RB-0002"]["RECORDNO"], VENDORID="RB-V1")
    admin.update_record(COMPANY, "APADJUSTMENT", ap_credits[ref("ap_adjustment", 1)]["RECORDNO"],
                        lines=[{"line": 0, "fields": {"TRX_AMOUNT": "-25.00", "AMOUNT": "-25.00"}}])
    credit = held(emu, "APADJUSTMENT", "EXTERNALID")[ref("ap_adjustment", 1)]
    split = [{**credit["APADJUSTMENTITEMS"][0], "TRX_AMOUNT": part, "AMOUNT": part} for part in ("-15.00", "-10.00")]
    force_fields(emu, "APADJUSTMENT", credit["RECORDNO"], APADJUSTMENTITEMS=split)

    report = Bridge(store, workspace_id, operator).reconcile()

    changed = {(c.ours.kind, c.ours.reference): {d.field: d for d in c.differences} for c in report.changed}
    assert set(changed["customer", "C-c2"]) == {"field DISPLAYCONTACT.EMAIL1"}
    assert changed["customer", "C-c2"]["field DISPLAYCONTACT.EMAIL1"].theirs == "someone@else.example"
    assert set(changed["invoice", ref("invoice", 1)]) == {"date", "account"}
    assert changed["invoice", ref("invoice", 1)]["account"].theirs == "credit 4600"
    assert changed["invoice", ref("invoice", 1)]["date"].theirs == "2026-11-09"
    assert set(changed["invoice", ref("invoice", 2)]) == {"amount"}
    assert set(changed["bill", "RB-V1/RB-0001"]) == {"state", "dimension"}
    assert changed["bill", "RB-V1/RB-0001"]["dimension"].theirs == "debit [LOCATIONID=200]"
    assert set(changed["payment", ref("payment", 1)]) == {"state", "amount"}   # its application on the invoice
    assert changed["payment", ref("payment", 1)]["amount"].theirs == "credit 20.00"
    assert set(changed["vendor", "RB-V1"]) == {"field NAME"}
    assert set(changed["item", "RB-NS1"]) == {"field BASEPRICE"}
    assert set(changed["bill", "RB-V2/RB-0002"]) == {"vendor"}
    assert set(changed["ap_adjustment", ref("ap_adjustment", 1)]) == {"amount", "line count"}
    assert changed["ap_adjustment", ref("ap_adjustment", 1)]["line count"].theirs == "2"
    assert [(e.kind, e.reference) for e in report.missing] == [("credit_memo", ref("credit_memo", 1))]
    assert changed["bill", "RB-V2/RB-0002"]["vendor"].theirs == "RB-V1"   # found by its RECORDNO, moved
    assert report.unrecorded == []
    different = {(r["kind"], r["account"]) for r in report.totals_rows(only_different=True)}
    assert {("invoice", "C-c2"), ("credit_memo", "C-c2"), ("bill", "RB-V1"), ("bill", "RB-V2")} <= different
    grouped = report.as_dict()["by_kind"]
    assert grouped["credit_memo"]["missing"] == 1 and grouped["vendor"]["changed"] == 1
    assert grouped["journal_entry"] == {"compared": 0, "matched": 0, "missing": 0, "changed": 0, "unrecorded": 0}


def test_records_in_intacct_under_our_reference_or_ids_but_not_recorded_here_are_unrecorded(emu, store, operator):
    workspace_id, uid = posted_everything(store, emu, operator)
    bridge = Bridge(store, workspace_id, operator)
    bridge.import_vendors([{"external_id": "sup-3", "vendor_id": "RB-V3", "name": "Not posted yet"}])
    emu.admin.bulk_create(COMPANY, "VENDOR", [{"VENDORID": "RB-V3", "NAME": "Typed by hand"}])
    emu.admin.bulk_create(COMPANY, "ARINVOICE", [{
        "CUSTOMERID": "C-c2", "WHENCREATED": "2026-11-05", "WHENDUE": "2026-12-05",
        "EXTERNALID": record_reference(uid, "invoice", 999),
        "ARINVOICEITEMS": [{"ACCOUNTNO": "4500", "AMOUNT": "12.00"}]}])

    report = bridge.reconcile(kinds=["vendors", "invoices"])

    assert report.kinds == ("invoice", "vendor")
    assert sorted((e.kind, e.reference) for e in report.unrecorded) == [
        ("invoice", record_reference(uid, "invoice", 999)), ("vendor", "RB-V3")]
    assert not report.missing and not report.changed


def test_since_and_kind_bound_what_is_read_and_nothing_is_written(emu, store, operator):
    workspace_id, uid = posted_everything(store, emu, operator)
    with store.session() as session:
        postings_before = [(p.id, p.state, p.generation) for p in session.query(Posting).order_by(Posting.id)]
    objects = ("ARINVOICE", "ARADJUSTMENT", "APBILL", "APADJUSTMENT", "ARPYMT", "CUSTOMER", "VENDOR", "ITEM")
    ledgers_before = {name: emu.admin.ledger(COMPANY, name) for name in objects}
    emu.admin.reset_usage()

    report = Bridge(store, workspace_id, operator).reconcile(since=date(2026, 11, 10), kinds=["invoices", "bills",
                                                                                               "credit-memos"])

    assert not report.drift and report.compared == 1        # only the credit memo is dated on or after the 10th
    assert report.requests == emu.admin.usage()[COMPANY]["requests"]
    assert {name: emu.admin.ledger(COMPANY, name) for name in objects} == ledgers_before
    assert Bridge(store, workspace_id, operator).reconcile(kinds=["payments", "vendors", "items", "customers",
                                                                  "ap-adjustments"]).matched == 6
    assert {name: emu.admin.ledger(COMPANY, name) for name in objects} == ledgers_before
    with store.session() as session:
        assert [(p.id, p.state, p.generation) for p in session.query(Posting).order_by(Posting.id)] == postings_before


def test_sales_invoices_are_read_back_from_order_entry(emu, store, operator):
    from intacct_bridge.store.repositories.receivables import update_receivables_settings
    from engine_helpers import make_engine, make_workspace
    from o2c_shop import SETTINGS

    ws = make_workspace(store, emu, operator)
    with store.write_session() as session:
        update_receivables_settings(session, ws, {**SETTINGS, "invoice_mode": "sales_invoice"})
    bridge = Bridge(store, ws, operator)
    bridge.import_customers([{"external_id": "c1", "name": "Maple Street Grocers"}])
    bridge.import_invoices([{"external_id": f"i{n}", "customer": "c1", "date": "2026-11-02", "due_date": "2026-12-02",
                             "lines": [{"sku": "TSHIRT", "quantity": "2", "price": "10.00", "warehouse": "WH-MAIN"}]}
                            for n in (1, 2)])
    assert make_engine(store, ws, operator).run().tally.by_kind["invoice"]["posted"] == 2
    clean = bridge.reconcile(kinds=["invoices"])
    assert not clean.drift and clean.compared == clean.matched == 2

    documents = held(emu, "SODOCUMENT", "EXTERNALID")
    uid = next(iter(documents)).rsplit("-", 1)[0]
    force_fields(emu, "SODOCUMENT", documents[f"{uid}-inv1"]["RECORDNO"], TOTAL="25.00", STATE="Draft")
    report = bridge.reconcile(kinds=["invoices"])
    (change,) = report.changed
    assert change.ours.reference == f"{uid}-inv1" and {d.field for d in change.differences} == {"amount", "state"}


def test_a_document_deleted_between_its_query_and_its_lines_read_is_compared_without_lines(emu, store, operator,
                                                                                           wire):
    from intacct_bridge.sync.context import client_factory
    from intacct_bridge.sync.receivables.invoices import Invoices

    posted_everything(store, emu, operator, wire)
    invoices = sorted(emu.admin.ledger(COMPANY, "ARINVOICE"), key=lambda r: int(r["RECORDNO"]))[-2:]
    force_delete(emu, "ARINVOICE", invoices[0]["RECORDNO"])    # gone after the header query
    kind = Invoices()
    with client_factory(store, 1, operator)() as client:
        read = list(kind._read_lines(client, [dict(r) for r in invoices], kind.readback))
    assert [(row["RECORDNO"], len(lines)) for row, lines in read] == [(invoices[0]["RECORDNO"], 0),
                                                                      (invoices[1]["RECORDNO"], 1)]

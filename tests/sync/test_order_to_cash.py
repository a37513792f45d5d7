"""Order-to-cash on the outbox, end to end over HTTP against the emulator: customers matched or created,
invoices, payments applied to them, credit memos, dependency order, hold-mode gate, exactly once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import Customer, Invoice, Payment, ReviewFlag, RunItem
from intacct_bridge.store.repositories.receivables import update_receivables_settings
from tests.sync.engine_helpers import COMPANY, make_engine, make_workspace

SETTINGS = {"revenue_account": "4600", "undeposited_account": "1100", "shipping_account": "4500",
            "discount_account": "4600", "tax_account": "2600"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request):
    """The store on a SQLite file, and again on PostgreSQL."""
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def o2c_workspace(store, emu, operator, wire: str = "xml", **changes) -> int:
    ws = make_workspace(store, emu, operator, wire=wire)
    with store.write_session() as session:
        update_receivables_settings(session, ws, {**SETTINGS, **changes})
    return ws


def customer_with_an_invoice(store, emu, operator, name: str, wire: str = "xml") -> tuple[int, Bridge]:
    """A workspace with customer c1 (`name`) and its invoice i1 of 10.00, imported."""
    ws = o2c_workspace(store, emu, operator, wire)
    bridge = Bridge(store, ws, operator)
    bridge.import_customers([{"external_id": "c1", "name": name}])
    bridge.import_invoices([{"external_id": "i1", "customer": "c1", "date": "2026-11-02", "due_date": "2026-12-02",
                             "lines": [{"gl_account": "4500", "quantity": "1", "price": "10.00"}]}])
    return ws, bridge


def load_shop(bridge: Bridge) -> None:
    bridge.import_customers([
        {"external_id": "shop-1", "name": "Jane Alvarez", "email": "jane@example.org"},      # in Intacct already
        {"external_id": "shop-2", "name": "Ada Lovelace", "email": "ada@example.org", "phone": "555-0100",
         "bill_to": {"address1": "1 Analytical Way", "city": "London", "country": "UK"}},
    ])
    bridge.import_invoices([
        {"external_id": "o1", "customer": "shop-1", "date": "2026-11-02", "due_date": "2026-12-02",
         "shipping": "5.00", "discount": "2.00", "tax": "1.50",
         "lines": [{"sku": "TSHIRT", "quantity": "2", "price": "10.00", "gl_account": "4600"}]},
        {"external_id": "o2", "customer": "shop-2", "date": "2026-11-03", "due_date": "2026-12-03",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "40.00", "description": "Workshop"}]},
        {"external_id": "o3", "customer": "shop-2", "date": "2026-11-04", "due_date": "2026-12-04",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "30.00", "description": "Workshop 2"}]},
    ])
    bridge.import_payments([
        {"external_id": "p1", "customer": "shop-1", "date": "2026-11-10", "amount": "24.50", "method": "card",
         "applications": [{"invoice": "o1", "amount": "24.50"}]},
        {"external_id": "p2", "customer": "shop-2", "date": "2026-11-11", "amount": "50.00", "method": "check",
         "applications": [{"invoice": "o2", "amount": "30.00"}, {"invoice": "o3", "amount": "20.00"}]},
    ])
    bridge.import_credit_memos([
        {"external_id": "m1", "customer": "shop-2", "date": "2026-11-12", "invoice": "o3",
         "lines": [{"gl_account": "4500", "amount": "5.00", "description": "Goodwill"}]},
    ])


def test_a_shop_posts_in_dependency_order_exactly_once(emu, operator, any_store, wire):
    store = any_store
    ws = o2c_workspace(store, emu, operator, wire)
    bridge = Bridge(store, ws, operator)
    load_shop(bridge)
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.SUCCEEDED, report.message
    kinds = report.tally.by_kind
    assert kinds["customer"]["posted"] == 1          # shop-1 matched by name, shop-2 created
    assert kinds["invoice"]["posted"] == 3 and kinds["payment"]["posted"] == 2 and kinds["credit_memo"]["posted"] == 1
    with store.session() as session:
        jane, ada = (session.scalars(select(Customer).where(Customer.external_id == ext)).one()
                     for ext in ("shop-1", "shop-2"))
        assert (jane.customer_id, jane.matched_by, jane.status) == ("CUST-0003", "name", "posted")
        assert (ada.customer_id, ada.matched_by, ada.status) == ("C-shop-2", "created", "posted")
    created = {c["CUSTOMERID"]: c for c in emu.admin.ledger(COMPANY, "CUSTOMER")}
    assert created["C-shop-2"]["NAME"] == "Ada Lovelace"
    invoices = {i["EXTERNALID"]: i for i in emu.admin.ledger(COMPANY, "ARINVOICE") if i.get("EXTERNALID")}
    assert len(invoices) == 3
    due = {ext.rsplit("inv", 1)[-1]: Decimal(i["TOTALDUE"]) for ext, i in invoices.items()}
    with store.session() as session:
        ids = {row.external_id: str(row.id) for row in session.scalars(select(Invoice))}
    # o1: 20 - 2 + 5 + 1.50 = 24.50, paid in full; o2: 40 - 30; o3: 30 - 20 - 5 (credit memo)
    assert due[ids["o1"]] == Decimal("0.00")
    assert due[ids["o2"]] == Decimal("10.00")
    assert due[ids["o3"]] == Decimal("5.00")
    assert len(emu.admin.ledger(COMPANY, "ARPYMT")) == 2
    again = make_engine(store, ws, operator).run()
    assert again.status is RunStatus.SUCCEEDED and again.tally.candidates == 0
    assert len([i for i in emu.admin.ledger(COMPANY, "ARINVOICE") if i.get("EXTERNALID")]) == 3


def test_hold_mode_flags_the_invalid_and_posts_the_rest_and_dependents_wait(emu, operator, any_store):
    store = any_store
    ws = o2c_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    bridge.import_customers([{"external_id": "c9", "name": "Zed Unknown"}])
    bridge.import_invoices([
        {"external_id": "good", "customer": "c9", "date": "2026-11-02", "due_date": "2026-12-02",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "10.00"}]},
        {"external_id": "bad", "customer": "c9", "date": "2026-11-02", "due_date": "2026-10-02",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "10.00"}]},
    ])
    bridge.import_payments([{"external_id": "pay-bad", "customer": "c9", "date": "2026-11-10", "amount": "10.00",
                             "method": "cash", "applications": [{"invoice": "bad", "amount": "10.00"}]}])
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.COMPLETED_WITH_ERRORS
    assert report.tally.by_kind["invoice"]["posted"] == 1 and report.tally.by_kind["invoice"]["invalid"] == 1
    assert report.tally.by_kind["payment"]["waiting"] == 1
    with store.session() as session:
        bad = session.scalars(select(Invoice).where(Invoice.external_id == "bad")).one()
        flag = session.scalars(select(ReviewFlag).where(ReviewFlag.record_kind == "invoice",
                                                        ReviewFlag.record_id == bad.id)).one()
        assert flag.reasons[0]["field"] == "due_date" and "before the invoice date" in flag.reasons[0]["message"]
        pay = session.scalars(select(Payment)).one()
        item = session.scalars(select(RunItem).where(RunItem.record_kind == "payment",
                                                     RunItem.record_id == pay.id)).one()
        assert item.outcome == "waiting" and "invoice 'bad'" in item.message


def test_a_payment_over_what_it_pays_is_flagged_and_never_posts_half(emu, operator, store):
    ws, bridge = customer_with_an_invoice(store, emu, operator, "Jane Alvarez")
    bridge.import_payments([{"external_id": "p1", "customer": "c1", "date": "2026-11-10", "amount": "15.00",
                             "method": "cash", "applications": [{"invoice": "i1", "amount": "10.00"}]}])
    report = make_engine(store, ws, operator).run()
    assert report.tally.by_kind["payment"]["invalid"] == 1
    assert emu.admin.ledger(COMPANY, "ARPYMT") == []
    with store.session() as session:
        flag = session.scalars(select(ReviewFlag).where(ReviewFlag.record_kind == "payment")).one()
        assert "larger than what it pays" in flag.reasons[0]["message"]


@pytest.mark.parametrize("mode", ["ar_invoice", "sales_invoice"])
def test_invoices_post_in_either_mode_and_payments_apply_to_the_ar_invoice(emu, operator, any_store, mode, wire):
    store = any_store
    ws = o2c_workspace(store, emu, operator, wire, invoice_mode=mode)
    bridge = Bridge(store, ws, operator)
    bridge.import_customers([{"external_id": "c1", "name": "Maple Street Grocers"}])
    line = ({"sku": "TSHIRT", "quantity": "2", "price": "10.00", "warehouse": "WH-MAIN"} if mode == "sales_invoice"
            else {"gl_account": "4600", "quantity": "2", "price": "10.00"})
    bridge.import_invoices([{"external_id": "i1", "customer": "c1", "date": "2026-11-02", "due_date": "2026-12-02",
                             "lines": [line]}])
    bridge.import_payments([{"external_id": "p1", "customer": "c1", "date": "2026-11-10", "amount": "20.00",
                             "method": "eft", "applications": [{"invoice": "i1", "amount": "20.00"}]}])
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.SUCCEEDED, report.message
    paid = [i for i in emu.admin.ledger(COMPANY, "ARINVOICE") if i.get("CUSTOMERID") == "CUST-0002"]
    assert [Decimal(i["TOTALDUE"]) for i in paid] == [Decimal("0.00")]


def test_balances_come_back_and_invoices_only_in_intacct_are_listed(emu, operator, any_store):
    store = any_store
    from intacct_bridge.store.models import IntacctArInvoice, StockLevel
    from intacct_bridge.sync.context import client_factory
    from intacct_bridge.sync.receivables.pulls import pull_stock
    from datetime import UTC, datetime

    ws = o2c_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    load_shop(bridge)
    make_engine(store, ws, operator).run()
    with store.session() as session:
        states = {i.external_id: (i.intacct_state, i.intacct_total_due) for i in session.scalars(select(Invoice))}
        assert states == {"o1": ("paid", Decimal("0.00")), "o2": ("partly_paid", Decimal("10.00")),
                          "o3": ("partly_paid", Decimal("5.00"))}
        # the demo company's own open invoices (not ours) are listed as only in Intacct
        only = session.scalars(select(IntacctArInvoice).where(IntacctArInvoice.workspace_id == ws)).all()
        assert all(row.recordno for row in only)
    with client_factory(store, ws, operator)() as client:
        first = pull_stock(store, client, ws, datetime.now(UTC))
        again = pull_stock(store, client, ws, datetime.now(UTC))
    assert first.levels > 0 and first.changed == first.levels and again.changed == 0
    with store.session() as session:
        tshirt = session.scalars(select(StockLevel).where(StockLevel.item_id == "TSHIRT",
                                                          StockLevel.warehouse_id == "WH-MAIN")).one()
        assert tshirt.on_hand == Decimal("120")


def test_sync_one_kind_leaves_the_others_and_dependents_wait(emu, operator, store):
    ws = o2c_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    load_shop(bridge)
    only = bridge.sync(kinds=["invoices"])          # their customers are not posted: every invoice waits
    assert only.tally.by_kind["invoice"]["waiting"] == 3 and only.tally.posted == 0
    assert bridge.sync(kinds=["customers"]).tally.by_kind["customer"]["posted"] == 1
    assert bridge.sync(kinds=["invoices"]).tally.by_kind["invoice"]["posted"] == 3
    assert emu.admin.ledger(COMPANY, "ARPYMT") == []
    rest = bridge.sync()
    assert rest.status is RunStatus.SUCCEEDED and rest.tally.by_kind["payment"]["posted"] == 2
    with pytest.raises(ValueError, match="unknown record kind"):
        bridge.sync(kinds=["orders"])


def test_stock_and_kinds_over_the_cli_and_api(emu, operator, store, monkeypatch, tmp_path):
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from intacct_bridge.cli import app
    from intacct_bridge.web.access import create_token
    from intacct_bridge.web.app import create_app

    ws = o2c_workspace(store, emu, operator)
    monkeypatch.setenv("INTACCT_BRIDGE_DATABASE_URL", store.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    pulled = runner.invoke(app, ["stock", "pull", "--workspace", str(ws)])
    assert pulled.exit_code == 0, pulled.output
    listed = runner.invoke(app, ["stock", "list", "--workspace", str(ws), "--item", "TSHIRT"])
    assert "WH-MAIN" in listed.output and "120" in listed.output
    nothing = runner.invoke(app, ["intacct-invoices", "list", "--workspace", str(ws)])
    assert nothing.exit_code == 0 and "None pulled yet" in nothing.output
    bad = runner.invoke(app, ["sync", "--workspace", str(ws), "--kind", "orders"])
    assert bad.exit_code == 2 and "unknown record kind" in bad.output
    with store.write_session() as session:
        token, _ = create_token(session, ws, "o2c test")
    with TestClient(create_app(store=store, operator=operator)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        levels = client.get(f"/api/v1/workspaces/{ws}/stock", params={"item": "MUG"}, headers=headers).json()
        assert {(lv["warehouse_id"], lv["on_hand"]) for lv in levels} == {("WH-MAIN", "75"), ("WH-NORTH", "10")}
        assert client.post(f"/api/v1/workspaces/{ws}/stock/pull", headers=headers).json()["changed"] == 0
        page = client.get(f"/api/v1/workspaces/{ws}/intacct-invoices", headers=headers)
        assert page.status_code == 200 and page.json()["items"] == []   # nothing pulled yet
        refused = client.post(f"/api/v1/workspaces/{ws}/runs", json={"kinds": ["orders"]}, headers=headers)
        assert refused.status_code == 422
        started = client.post(f"/api/v1/workspaces/{ws}/runs", json={"kinds": ["customer"]}, headers=headers)
        assert started.status_code == 202


def test_two_source_customers_with_one_name_are_one_customer_in_intacct_created_once(emu, operator, store):
    ws = o2c_workspace(store, emu, operator)
    bridge = Bridge(store, ws, operator)
    bridge.import_invoices([
        {"external_id": f"o{n}", "customer": {"external_id": guest, "name": "Olli Onetime"}, "date": "2026-11-02",
         "due_date": "2026-12-02", "lines": [{"gl_account": "4500", "quantity": "1", "price": "10.00"}]}
        for n, guest in enumerate(["guest-1", "guest-2", "guest-2"])
    ])
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.SUCCEEDED, report.message
    assert [c["CUSTOMERID"] for c in emu.admin.ledger(COMPANY, "CUSTOMER") if c["NAME"] == "Olli Onetime"] == [
        "C-guest-1"]
    assert report.tally.by_kind["invoice"]["posted"] == 3
    with store.session() as session:
        one, two = session.scalars(select(Customer).order_by(Customer.id)).all()
        assert (one.customer_id, one.matched_by, one.status) == ("C-guest-1", "created", "posted")
        assert (two.customer_id, two.matched_by, two.status) == ("C-guest-1", "name", "posted")
    assert report.tally.by_kind["customer"]["candidates"] == 1      # the twin is not a write of its own
    assert make_engine(store, ws, operator).run().tally.candidates == 0


def test_payments_apply_to_the_recordno_kept_and_read_nothing_back_without_credit_memos(emu, operator, store,
                                                                                         wire):
    ws = o2c_workspace(store, emu, operator, wire)
    bridge = Bridge(store, ws, operator)
    bridge.import_customers([{"external_id": "c1", "name": "Maple Street Grocers"}])
    bridge.import_invoices([{"external_id": f"i{n}", "customer": "c1", "date": "2026-11-02", "due_date": "2026-12-02",
                             "lines": [{"gl_account": "4500", "quantity": "1", "price": "10.00"}]} for n in range(3)])
    engine = make_engine(store, ws, operator)
    assert engine.run().status is RunStatus.SUCCEEDED
    reads = engine.run().api_transactions          # a run with nothing to post: the pull's pages only
    bridge.import_payments([{"external_id": f"p{n}", "customer": "c1", "date": "2026-11-10", "amount": "10.00",
                             "method": "card", "applications": [{"invoice": f"i{n}", "amount": "10.00"}]}
                            for n in range(3)])
    report = engine.run()
    assert report.tally.by_kind["payment"]["posted"] == 3
    # one per payment, no invoice looked up again; then the balances read back after posting (invoices, payments)
    assert report.api_transactions == reads + 3 + 2
    with store.session() as session:
        keys = {i.intacct_key for i in session.scalars(select(Invoice))}
    assert {d["RECORDKEY"] for p in emu.admin.ledger(COMPANY, "ARPYMT") for d in p["ARPYMTDETAILS"]} == keys


def test_a_credit_memo_whose_invoice_number_is_not_in_intacct_is_flagged_not_posted_unapplied(emu, operator, store,
                                                                                              wire):
    ws, bridge = customer_with_an_invoice(store, emu, operator, "Maple Street Grocers", wire)
    engine = make_engine(store, ws, operator)
    assert engine.run().status is RunStatus.SUCCEEDED
    with store.write_session() as session:   # as if the AR invoice was deleted in Intacct after it was posted,
        invoice = session.scalars(select(Invoice)).one()   # before any pull learnt its number
        invoice.intacct_key, invoice.intacct_number = "999999", None
    bridge.import_credit_memos([{"external_id": "m1", "customer": "c1", "date": "2026-11-12", "invoice": "i1",
                                 "lines": [{"gl_account": "4500", "amount": "5.00"}]}])
    report = engine.run()
    assert report.tally.by_kind["credit_memo"]["unbuildable"] == 1, report.tally.by_kind
    assert emu.admin.ledger(COMPANY, "ARADJUSTMENT") == []
    with store.session() as session:
        flag = session.scalars(select(ReviewFlag).where(ReviewFlag.record_kind == "credit_memo")).one()
        assert "its number was not found in Sage Intacct" in flag.reasons[0]["message"]


def test_sales_invoices_and_their_payments_post_once_under_faults_on_either_wire(emu, operator, store, wire):
    """Sales invoices (Order Entry) and payments of them, with answers lost after commit: each document is in
    Intacct once (found again by its EXTERNALID, on XML or REST), each payment once, every AR invoice paid."""
    from tests.sync.engine_helpers import EVERY_FAULT_FEW_REQUESTS, idempotency_mode_for, run_under_every_fault

    ws = o2c_workspace(store, emu, operator, wire, invoice_mode="sales_invoice")
    bridge = Bridge(store, ws, operator)
    bridge.import_customers([{"external_id": "c1", "name": "Maple Street Grocers"}])
    count = 24
    bridge.import_invoices([{"external_id": f"si{n}", "customer": "c1", "date": "2026-11-02",
                             "due_date": "2026-12-02", "lines": [{"sku": "TSHIRT", "quantity": "1", "price": "10.00",
                                                                  "warehouse": "WH-MAIN"}]} for n in range(count)])
    bridge.import_payments([{"external_id": f"sp{n}", "customer": "c1", "date": "2026-11-10", "amount": "10.00",
                             "method": "eft", "applications": [{"invoice": f"si{n}", "amount": "10.00"}]}
                            for n in range(count)])
    engine = make_engine(store, ws, operator, max_retries=6, batch_size=4)   # many requests: many faults
    run_under_every_fault(emu, engine, idempotency_mode=idempotency_mode_for(wire), seed=5,
                          faults=EVERY_FAULT_FEW_REQUESTS)
    documents = [d for d in emu.admin.ledger(COMPANY, "SODOCUMENT") if d.get("EXTERNALID")]
    assert len(documents) == count and len({d["EXTERNALID"] for d in documents}) == count
    payments = [p for p in emu.admin.ledger(COMPANY, "ARPYMT") if p.get("CUSTOMERID") == "CUST-0002"]
    assert len({p["DOCNUMBER"] for p in payments}) == len(payments) == count
    paid = {d["PRRECORDKEY"] for d in documents}
    assert {i["RECORDNO"]: Decimal(i["TOTALDUE"]) for i in emu.admin.ledger(COMPANY, "ARINVOICE")
            if i["RECORDNO"] in paid} == {key: Decimal("0.00") for key in paid}

"""Order-to-cash exactly once: customers, invoices, payments and credit memos under every emulator fault,
and under SIGKILLs at random moments, end with Intacct holding each of them once and every customer's
balance equal to what the local records say (issue 9, "Done means")."""

from __future__ import annotations

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.store.repositories.receivables import update_receivables_settings

from engine_helpers import (
    kill_syncs_then_rerun,
    make_engine,
    make_workspace,
    run_under_every_fault,
    run_until_settled,
)
from o2c_shop import COMPANY, SETTINGS, Shop, assert_receivables_match, generate_shop


def shop_workspace(store, emu, operator, shop: Shop, wire: str = "xml") -> int:
    """A connected workspace with the order-to-cash settings, pulled once, and the shop imported."""
    ws = make_workspace(store, emu, operator, wire=wire)
    with store.write_session() as session:
        update_receivables_settings(session, ws, SETTINGS)
    make_engine(store, ws, operator).run()
    shop.load(Bridge(store, ws, operator))
    return ws


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "records"), [("reject", 2000), ("replay", 500)])
def test_every_fault_leaves_each_customer_invoice_payment_and_credit_memo_once(emu, operator, store, mode, records):
    shop = generate_shop(7, records)
    assert abs(shop.size - records) <= records // 50
    ws = shop_workspace(store, emu, operator, shop)
    engine = make_engine(store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=21)
    assert_receivables_match(emu, store, ws, shop)
    report = Bridge(store, ws, operator).reconcile()   # and every record of every kind reads back as posted
    assert not report.drift, report.by_kind()
    assert report.compared == report.matched > 0


def test_two_orders_from_the_same_new_customer_create_one_customer_under_faults(emu, operator, store, wire):
    shop = Shop(invoices=[
        {"external_id": f"o{n}", "customer": {"external_id": customer, "name": name}, "date": "2026-11-02",
         "due_date": "2026-12-02", "lines": [{"gl_account": "4500", "quantity": "1", "price": f"{10 + n}.00"}]}
        for n, (customer, name) in enumerate([
            ("web-77", "Nora Newcomer"), ("web-77", "Nora Newcomer"),         # the same new customer twice
            ("guest-1", "Olli Onetime"), ("guest-2", "Olli Onetime"),         # two guest ids, one name
        ])
    ])
    ws = shop_workspace(store, emu, operator, shop, wire)
    # Lose the answer of many writes after they commit, so creates are retried and settled by lookup.
    emu.admin.set_faults("drop_after_commit=0.2,timeout524=0.1,error500_after_commit=0.1,error503=0.05", seed=1)

    run_until_settled(make_engine(store, ws, operator, max_retries=6), attempts=12)

    emu.admin.set_faults("")
    names = [c["NAME"] for c in emu.admin.ledger(COMPANY, "CUSTOMER")]
    assert names.count("Nora Newcomer") == 1 and names.count("Olli Onetime") == 1
    assert_receivables_match(emu, store, ws, shop)


@pytest.mark.slow
def test_every_fault_over_rest_leaves_each_receivable_once(emu, operator, store):
    """The REST wire under every fault: each write under its own Idempotency-Key, lost answers looked up."""
    shop = generate_shop(8, 500)
    ws = shop_workspace(store, emu, operator, shop, "rest")
    engine = make_engine(store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode="replay", seed=22)
    assert_receivables_match(emu, store, ws, shop)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_posts_every_record_once(emu, operator, store, wire):
    shop = generate_shop(9, 600)
    ws = shop_workspace(store, emu, operator, shop, wire)
    engine = make_engine(store, ws, operator)
    kill_syncs_then_rerun(emu, store, ws, engine, seed=4, enough=4)
    assert_receivables_match(emu, store, ws, shop)

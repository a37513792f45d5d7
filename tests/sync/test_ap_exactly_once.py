"""AP exactly once: bills and AP adjustments under every emulator fault, and under SIGKILLs at random moments,
end with Intacct holding each of them once (a bill by its number and vendor, an adjustment by its reference),
every bill's due and every vendor's balance equal to what the local records say (issue 10, "Done means")."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.identifiers import record_reference
from intacct_bridge.store.models import ApAdjustment, Bill, Workspace

from engine_helpers import (
    COMPANY,
    EVERY_FAULT_FEW_REQUESTS,
    kill_syncs_then_rerun,
    make_engine,
    make_workspace,
    run_under_every_fault,
)

VENDORS = ("V-100", "V-200", "V-300")
FAULTS = EVERY_FAULT_FEW_REQUESTS
CENT = Decimal("0.01")


def generate_payables(seed: int, records: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """About `records` records: ~70% bills (GL or item lines, terms or due date), ~30% vendor credits, two
    in three against a bill (at most half of it, one per bill, so none is refused for over-applying)."""
    rng = random.Random(seed)
    bills: list[dict[str, Any]] = []
    for n in range(records * 7 // 10):
        lines = []
        for _ in range(rng.randint(1, 3)):
            amount = str((Decimal(rng.randint(100, 50_000)) / 100).quantize(CENT))
            target = {"sku": "MUG"} if rng.random() < 0.2 else {"gl_account": rng.choice(("6010", "5100", "6300"))}
            lines.append({**target, "amount": amount, "description": f"line of bill {n}", "location": "100"})
        header = {"terms": rng.choice(("Net 30", "Net 15"))} if rng.random() < 0.5 else {"due_date": "2026-12-31"}
        bills.append({"external_id": f"b{n}", "vendor_id": rng.choice(VENDORS), "number": f"VB-{n:05d}",
                      "bill_date": f"2026-11-{rng.randint(1, 28):02d}", **header, "lines": lines})
    credits: list[dict[str, Any]] = []
    against = rng.sample(bills, k=min(len(bills), records * 2 // 10))
    for n, target in enumerate(against):
        total = sum(Decimal(line["amount"]) for line in target["lines"])
        amount = str(max(CENT, (total / 2).quantize(CENT)))
        credits.append({"external_id": f"a{n}", "vendor_id": target["vendor_id"], "bill": target["external_id"],
                        "date": "2026-11-29", "lines": [{"gl_account": "6010", "amount": amount}]})
    for n in range(len(against), len(against) + records // 10):
        credits.append({"external_id": f"a{n}", "vendor_id": rng.choice(VENDORS), "date": "2026-11-30",
                        "lines": [{"gl_account": "5200", "amount": "12.34", "description": "returned"}]})
    return bills, credits


def payables_workspace(store, emu, operator, seed: int, records: int) -> int:
    ws = make_workspace(store, emu, operator)
    make_engine(store, ws, operator).run()
    bills, credits = generate_payables(seed, records)
    bridge = Bridge(store, ws, operator)
    bridge.import_bills(bills)
    bridge.import_ap_adjustments(credits)
    return ws


def assert_payables_match(emu, store, workspace_id: int) -> None:
    """Intacct holds each bill and adjustment once, as posted from the local records, and the balances agree."""
    ap_bills = emu.admin.ledger(COMPANY, "APBILL")
    ap_credits = emu.admin.ledger(COMPANY, "APADJUSTMENT")
    pairs = Counter((b["VENDORID"], b["RECORDID"]) for b in ap_bills)
    assert max(pairs.values()) == 1, [p for p, n in pairs.items() if n > 1]
    references = Counter(a["EXTERNALID"] for a in ap_credits)
    assert max(references.values()) == 1
    by_pair = {(b["VENDORID"], b["RECORDID"]): b for b in ap_bills}
    by_reference = {a["EXTERNALID"]: a for a in ap_credits}
    due = defaultdict(lambda: Decimal("0.00"))
    with store.session() as session:
        uid = session.get(Workspace, workspace_id).uid
        bills = list(session.scalars(select(Bill).where(Bill.workspace_id == workspace_id)))
        credits = list(session.scalars(select(ApAdjustment).where(ApAdjustment.workspace_id == workspace_id)))
        assert len(ap_bills) == len(bills) and len(ap_credits) == len(credits)
        credited = defaultdict(lambda: Decimal("0.00"))
        for credit in credits:
            got = by_reference[record_reference(uid, "ap_adjustment", credit.id)]
            total = sum((line.amount for line in credit.lines), Decimal("0.00"))
            assert credit.status == "posted" and credit.intacct_key == got["RECORDNO"]
            assert Decimal(got["TOTALENTERED"]) == -total and got["VENDORID"] == credit.vendor_id
            assert got["DOCNUMBER"] == (credit.bill.number if credit.bill else "")
            if credit.bill is not None:
                credited[credit.bill.id] += total
            due[credit.vendor_id] -= total
        for bill in bills:
            got = by_pair[(bill.vendor_id, bill.number)]
            total = sum((line.amount for line in bill.lines), Decimal("0.00"))
            assert bill.status == "posted" and bill.intacct_key == got["RECORDNO"]
            assert Decimal(got["TOTALENTERED"]) == total
            assert Decimal(got["TOTALDUE"]) == total - credited[bill.id]
            assert len(got["APBILLITEMS"]) == len(bill.lines)
            due[bill.vendor_id] += total
    vendors = {v["VENDORID"]: Decimal(v["TOTALDUE"]) for v in emu.admin.ledger(COMPANY, "VENDOR")}
    assert vendors == {vendor: due[vendor] for vendor in VENDORS}


@pytest.mark.parametrize("mode", ["reject", "replay"])
def test_every_fault_leaves_each_bill_and_adjustment_once(emu, operator, store, mode):
    ws = payables_workspace(store, emu, operator, seed=5, records=300)
    engine = make_engine(store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode=mode, seed=13, faults=FAULTS)
    assert_payables_match(emu, store, ws)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_posts_every_bill_and_adjustment_once(emu, operator, store):
    ws = payables_workspace(store, emu, operator, seed=8, records=600)  # fewer finish before a kill lands
    engine = make_engine(store, ws, operator)
    kill_syncs_then_rerun(emu, store, ws, engine, seed=6, enough=4)
    assert_payables_match(emu, store, ws)


@pytest.mark.postgres
def test_every_fault_leaves_each_bill_and_adjustment_once_on_postgresql(emu, operator, pg_store):
    ws = payables_workspace(pg_store, emu, operator, seed=3, records=300)
    engine = make_engine(pg_store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode="reject", seed=17, faults=FAULTS)
    assert_payables_match(emu, pg_store, ws)

"""Bills and AP adjustments for the AP exactly-once tests, and the check of Intacct's APBILL, APADJUSTMENT and
VENDOR records against them.

`generate_payables(seed, records, vendors)` makes about `records` bills and vendor credits as the Python
API imports them, naming `vendors` (the demo company's by default, or ones the workspace pushes itself);
`assert_payables_match` checks that Intacct holds each once, as posted, and that every vendor's balance
equals what the local records say.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.identifiers import record_reference
from intacct_bridge.store.models import ApAdjustment, Bill, Workspace

from engine_helpers import COMPANY, make_engine, make_workspace

VENDORS = ("V-100", "V-200", "V-300")
CENT = Decimal("0.01")


def generate_payables(seed: int, records: int, vendors: Sequence[str] = VENDORS,
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
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
        bills.append({"external_id": f"b{n}", "vendor_id": rng.choice(vendors), "number": f"VB-{n:05d}",
                      "bill_date": f"2026-11-{rng.randint(1, 28):02d}", **header, "lines": lines})
    credits: list[dict[str, Any]] = []
    against = rng.sample(bills, k=min(len(bills), records * 2 // 10))
    for n, target in enumerate(against):
        total = sum(Decimal(line["amount"]) for line in target["lines"])
        amount = str(max(CENT, (total / 2).quantize(CENT)))
        credits.append({"external_id": f"a{n}", "vendor_id": target["vendor_id"], "bill": target["external_id"],
                        "date": "2026-11-29", "lines": [{"gl_account": "6010", "amount": amount}]})
    for n in range(len(against), len(against) + records // 10):
        credits.append({"external_id": f"a{n}", "vendor_id": rng.choice(vendors), "date": "2026-11-30",
                        "lines": [{"gl_account": "5200", "amount": "12.34", "description": "returned"}]})
    return bills, credits


def payables_workspace(store, emu, operator, seed: int, records: int, wire: str = "xml") -> int:
    ws = make_workspace(store, emu, operator, wire)
    make_engine(store, ws, operator).run()
    bills, credits = generate_payables(seed, records)
    bridge = Bridge(store, ws, operator)
    bridge.import_bills(bills)
    bridge.import_ap_adjustments(credits)
    return ws


def assert_payables_match(emu, store, workspace_id: int, vendors: Sequence[str] = VENDORS) -> None:
    """Intacct holds each bill and adjustment once, as posted from the local records, and the balances of
    `vendors` (every vendor Intacct has) agree."""
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
    held = {v["VENDORID"]: Decimal(v["TOTALDUE"]) for v in emu.admin.ledger(COMPANY, "VENDOR")}
    assert held == {vendor: due[vendor] for vendor in vendors}

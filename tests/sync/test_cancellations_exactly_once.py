"""Cancellations and corrected invoices and bills exactly once: under every fault the emulator injects, and under
SIGKILLs (issue 12). Intacct ends with each version and each cancelling adjustment once, and every customer's and
vendor's balance equal to what the current versions say."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import PostedChanges
from intacct_bridge.store.models import Bill, DocumentCancellation, Invoice
from intacct_bridge.store.repositories.receivables import update_receivables_settings
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings

from engine_helpers import (COMPANY, kill_while_sending, make_engine, make_workspace, run_under_every_fault,
                            run_until_settled)
from o2c_shop import SETTINGS

COUNT, EDITED, DELETED = 40, 16, 8
CUSTOMERS = ("k1", "k2", "k3")
VENDORS = ("V-100", "V-200")


def _invoice(n: int, price: str) -> dict:
    return {"external_id": f"i{n}", "customer": {"external_id": CUSTOMERS[n % 3], "name": f"Kim Kind {n % 3}"},
            "date": "2026-11-20", "due_date": "2026-12-20",
            "lines": [{"gl_account": "4500", "quantity": "1", "price": price},
                      {"gl_account": "4600", "quantity": "2", "price": "1.50"}]}


def _bill(n: int, amount: str) -> dict:
    return {"external_id": f"b{n}", "vendor_id": VENDORS[n % 2], "number": f"XB-{n}", "bill_date": "2026-11-21",
            "due_date": "2026-12-21", "lines": [{"gl_account": "6010", "amount": amount}]}


def _posted_then_changed(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    with store.write_session() as session:
        update_receivables_settings(session, ws, SETTINGS)
        update_settings(session, ws, SettingsChange(posted_changes=PostedChanges.REVERSE))
    bridge = Bridge(store, ws, operator)
    bridge.import_invoices([_invoice(n, f"{10 + n}.00") for n in range(COUNT)])
    bridge.import_bills([_bill(n, f"{100 + n}.00") for n in range(COUNT)])
    engine = make_engine(store, ws, operator, max_retries=6, batch_size=5)   # many requests: many faults
    assert engine.run().tally.posted == 3 + 2 * COUNT
    bridge.import_invoices([_invoice(n, f"{20 + n}.00") for n in range(EDITED)])
    bridge.import_bills([_bill(n, f"{200 + n}.00") for n in range(EDITED)])
    for n in range(EDITED, EDITED + DELETED):
        bridge.delete_record("invoice", f"i{n}")
        bridge.delete_record("bill", f"b{n}")
    return ws, engine


def _assert_each_once(emu, store, ws) -> None:
    invoices = emu.admin.ledger(COMPANY, "ARINVOICE")
    assert max(Counter(i["EXTERNALID"] for i in invoices).values()) == 1 and len(invoices) == COUNT + EDITED
    credits = emu.admin.ledger(COMPANY, "ARADJUSTMENT")
    assert max(Counter(a["EXTERNALID"] for a in credits).values()) == 1 and len(credits) == EDITED + DELETED
    bills = emu.admin.ledger(COMPANY, "APBILL")
    assert max(Counter((b["VENDORID"], b["RECORDID"]) for b in bills).values()) == 1
    assert len(bills) == COUNT + EDITED
    ap_credits = emu.admin.ledger(COMPANY, "APADJUSTMENT")
    assert len({a["EXTERNALID"] for a in ap_credits}) == len(ap_credits) == EDITED + DELETED
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(DocumentCancellation).where(
            DocumentCancellation.workspace_id == ws, DocumentCancellation.status != "posted")) == 0
        for model in (Invoice, Bill):
            statuses = dict(session.execute(select(model.status, func.count()).where(model.workspace_id == ws)
                                            .group_by(model.status)).all())
            assert statuses == {"posted": COUNT - DELETED, "withdrawn": DELETED}
        current = {row.intacct_key for row in session.scalars(select(Invoice).where(Invoice.status == "posted"))}
    open_invoices = {i["RECORDNO"] for i in invoices if Decimal(i["TOTALDUE"]) != 0}
    assert open_invoices == current                       # every cancelled version is down to zero
    expected_due = sum((Decimal(f"{20 + n}.00") for n in range(EDITED)), Decimal("0.00")) \
        + sum((Decimal(f"{10 + n}.00") for n in range(EDITED + DELETED, COUNT)), Decimal("0.00")) \
        + Decimal("3.00") * (COUNT - DELETED)
    owed = sum((Decimal(c["TOTALDUE"]) for c in emu.admin.ledger(COMPANY, "CUSTOMER")
                if c["NAME"].startswith("Kim Kind")), Decimal("0.00"))
    assert owed == expected_due
    bills_due = sum((Decimal(b["TOTALDUE"]) for b in bills), Decimal("0.00"))
    assert bills_due == sum((Decimal(f"{200 + n}.00") for n in range(EDITED)), Decimal("0.00")) \
        + sum((Decimal(f"{100 + n}.00") for n in range(EDITED + DELETED, COUNT)), Decimal("0.00"))


@pytest.mark.slow
def test_cancellations_and_corrections_under_every_fault_post_each_once(emu, operator, store):
    ws, engine = _posted_then_changed(emu, operator, store)
    run_under_every_fault(emu, engine, idempotency_mode="reject", seed=23)
    _assert_each_once(emu, store, ws)


@pytest.mark.slow
def test_cancellations_and_corrections_under_sigkills_post_each_once(emu, operator, store):
    ws, engine = _posted_then_changed(emu, operator, store)
    emu.admin.set_config(latency_ms=20, per_function_ms=60)   # slow writes: kills land mid-request
    emu.admin.set_faults("drop_after_commit=0.05,timeout524=0.05", seed=5)
    assert kill_while_sending(store, ws, rounds=3) >= 2
    emu.admin.set_faults("")
    emu.admin.set_config(latency_ms=0, per_function_ms=0)
    run_until_settled(engine)
    _assert_each_once(emu, store, ws)

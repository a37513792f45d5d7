"""Closed periods for documents end to end against the emulator (issue 12): invoices, payments, credit memos,
bills and AP adjustments dated in a closed period are rejected and classed `closed_period` with the fixes by
default; at `closed_period_policy = next_open` they post on the first open day (per entity), the original date
leading their description and in the posting and the run log. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.error_classes import ErrorClass
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import Posting
from intacct_bridge.store.repositories.receivables import update_receivables_settings

from engine_helpers import COMPANY, make_workspace
from o2c_shop import SETTINGS

CLOSED = date(2026, 11, 15)
NEXT = "2026-11-16"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request):
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def _documents(bridge: Bridge) -> None:
    """One of each document kind dated in the closed period, and an invoice dated after it."""
    customer = {"external_id": "c1", "name": "Clara Closedbooks"}
    bridge.import_invoices([
        {"external_id": "i-old", "customer": customer, "date": "2026-11-02", "due_date": "2026-11-10",
         "memo": "Gala tickets", "lines": [{"gl_account": "4500", "quantity": "1", "price": "80.00"}]},
        {"external_id": "i-new", "customer": customer, "date": "2026-11-20", "due_date": "2026-12-20",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "30.00"}]}])
    bridge.import_payments([{"external_id": "p1", "customer": "c1", "date": "2026-11-05", "amount": "20.00",
                             "method": "check", "applications": [{"invoice": "i-old", "amount": "20.00"}]}])
    bridge.import_credit_memos([{"external_id": "m1", "customer": "c1", "date": "2026-11-06", "invoice": "i-old",
                                 "lines": [{"gl_account": "4500", "amount": "5.00", "description": "Refund"}]}])
    bridge.import_bills([{"external_id": "b1", "vendor_id": "V-100", "number": "CP-1", "bill_date": "2026-11-03",
                          "due_date": "2026-11-12", "lines": [{"gl_account": "6010", "amount": "50.00"}]}])
    bridge.import_ap_adjustments([{"external_id": "a1", "vendor_id": "V-100", "bill": "b1", "date": "2026-11-04",
                                   "lines": [{"gl_account": "6010", "amount": "10.00"}]}])


def _posting(store, kind: str) -> Posting:
    with store.session() as session:
        return session.scalars(select(Posting).where(Posting.record_kind == kind, Posting.state == "posted")
                               .order_by(Posting.id)).first()


def test_documents_in_a_closed_period_are_rejected_with_the_fixes_then_moved_to_the_next_open_day(
        emu, operator, any_store):
    store = any_store
    ws = make_workspace(store, emu, operator)
    with store.write_session() as session:
        update_receivables_settings(session, ws, SETTINGS)
    bridge = Bridge(store, ws, operator, {"backoff_base": 0.01, "backoff_max": 0.05})
    bridge.pull()
    emu.admin.set_closed_through(COMPANY, None, CLOSED)
    _documents(bridge)

    rejected = bridge.sync()   # reject, the default: Intacct refuses the old ones, the queue classes them
    assert rejected.status is RunStatus.COMPLETED_WITH_ERRORS
    refused = bridge.errors(classes=[ErrorClass.CLOSED_PERIOD])
    assert sorted(item.record_kind for item in refused) == ["bill", "invoice"]  # the rest wait for them
    for item in refused:
        fix = item.reasons[0]["fix"]
        assert "change the record's date" in fix and "reopen the period" in fix and "closed_period_policy" in fix
    assert [i["EXTERNALID"] for i in emu.admin.ledger(COMPANY, "ARINVOICE")] == [_posting(store, "invoice")
                                                                                 .reference_no]

    bridge.set_closed_period_policy("next_open")
    assert bridge.retry_errors([item.id for item in refused]).count == 2
    moved = bridge.sync()
    assert moved.status is RunStatus.SUCCEEDED, moved.message

    invoices = {i["EXTERNALID"]: i for i in emu.admin.ledger(COMPANY, "ARINVOICE")}
    old = next(i for i in invoices.values() if i["DESCRIPTION"].startswith("(dated 2026-11-02, period closed)"))
    assert old["WHENCREATED"] == NEXT and old["DESCRIPTION"].endswith("Gala tickets")
    assert old["WHENDUE"] >= NEXT                         # a due date before the new date moves with it
    assert any(i["WHENCREATED"] == "2026-11-20" for i in invoices.values())   # open: unmoved
    (payment,) = emu.admin.ledger(COMPANY, "ARPYMT")
    assert payment["RECEIPTDATE"] == NEXT and payment["DESCRIPTION"].startswith("(dated 2026-11-05, period closed)")
    (memo,) = emu.admin.ledger(COMPANY, "ARADJUSTMENT")
    assert memo["WHENCREATED"] == NEXT and memo["DESCRIPTION"].startswith("(dated 2026-11-06")
    (ap_bill,) = emu.admin.ledger(COMPANY, "APBILL")
    assert ap_bill["WHENCREATED"] == NEXT and ap_bill["DESCRIPTION"].startswith("(dated 2026-11-03")
    (ap_credit,) = emu.admin.ledger(COMPANY, "APADJUSTMENT")
    assert ap_credit["WHENCREATED"] == NEXT and ap_credit["DESCRIPTION"].startswith("(dated 2026-11-04")
    assert Decimal(old["TOTALDUE"]) == Decimal("55.00") and Decimal(ap_bill["TOTALDUE"]) == Decimal("40.00")

    bill_posting = _posting(store, "bill")
    assert bill_posting.posting_date == date(2026, 11, 16)
    assert bill_posting.request_summary["original_date"] == "2026-11-03"
    notes = [note for line in bridge.run_log(moved.run_id) for note in (line.defaults_used or ())]
    assert sorted(n["original_date"] for n in notes) == ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05",
                                                         "2026-11-06"]
    assert all("closed through 2026-11-15" in n["note"] for n in notes)
    assert bridge.sync().tally.posted == 0 and len(emu.admin.ledger(COMPANY, "ARINVOICE")) == 2   # once each

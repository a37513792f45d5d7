"""Exactly once for master data and AP together (issue 10, "Done means"): 2,000 mixed records — vendors and
non-stock items the workspace pushes, bills naming those vendors, AP adjustments against those bills — under
every emulator fault, and under SIGKILLs at random moments. Intacct ends with one vendor per VENDORID, one item
per ITEMID, one bill per (vendor, number), one adjustment per reference, and each vendor's balance equal to what
the local records say."""

from __future__ import annotations

import pytest

from intacct_bridge.api import Bridge

from engine_helpers import (
    COMPANY,
    EVERY_FAULT_FEW_REQUESTS,
    idempotency_mode_for,
    kill_syncs_then_rerun,
    make_engine,
    make_workspace,
    run_under_every_fault,
)
from master_data_helpers import assert_master_match, generate_master
from payables_helpers import VENDORS, assert_payables_match, generate_payables

MASTER, PAYABLES = 800, 1200   # 400 vendors + 400 items; ~840 bills + ~360 adjustments: 2,000 records


def mixed_workspace(store, emu, operator, seed: int, wire: str = "xml") -> tuple[int, list[str], int, int]:
    """A workspace holding the mixed records, none sent: (id, every VENDORID Intacct will have, vendors, items)."""
    ws = make_workspace(store, emu, operator, wire)
    vendors, items = generate_master(seed, MASTER)
    pushed = [v["vendor_id"] for v in vendors]
    bills, credits = generate_payables(seed, PAYABLES, vendors=pushed)
    bridge = Bridge(store, ws, operator)
    bridge.import_records("vendor", vendors)
    bridge.import_records("item", items)
    bridge.import_bills(bills)
    bridge.import_ap_adjustments(credits)
    assert len(vendors) + len(items) + len(bills) + len(credits) == 2000
    return ws, [*VENDORS, *pushed], len(vendors), len(items)


def assert_all_once(emu, store, ws: int, vendor_ids: list[str], vendors: int, items: int) -> None:
    assert_master_match(emu, store, ws, COMPANY, vendors=vendors, items=items)
    assert_payables_match(emu, store, ws, vendors=vendor_ids)


@pytest.mark.slow
def test_mixed_master_data_and_ap_exactly_once_under_every_fault(emu, operator, store, wire):
    ws, vendor_ids, vendors, items = mixed_workspace(store, emu, operator, seed=21, wire=wire)
    engine = make_engine(store, ws, operator, max_retries=6)
    run_under_every_fault(emu, engine, idempotency_mode=idempotency_mode_for(wire), seed=23,
                          faults=EVERY_FAULT_FEW_REQUESTS)
    assert_all_once(emu, store, ws, vendor_ids, vendors, items)
    report = Bridge(store, ws, operator).reconcile()   # every vendor, item, bill and adjustment reads back as sent
    assert not report.drift, [c.as_dict() for c in report.changed[:3]]
    assert report.compared == report.matched == 2000


@pytest.mark.slow
def test_mixed_master_data_and_ap_exactly_once_under_sigkills(emu, operator, store, wire):
    ws, vendor_ids, vendors, items = mixed_workspace(store, emu, operator, seed=31, wire=wire)
    kill_syncs_then_rerun(emu, store, ws, make_engine(store, ws, operator), seed=7, enough=4, max_delay=0.4)
    assert_all_once(emu, store, ws, vendor_ids, vendors, items)

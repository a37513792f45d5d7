"""A workspace that has posted one or more records of every kind, for the reconciliation tests.

`posted_everything(store, emu, operator, wire)` imports and posts customers (one matched, one
created), invoices, payments, a credit memo, vendors, items, bills and an AP adjustment, and
returns the workspace id and uid; `held(emu, object, field)` indexes Intacct's records of one
object by a field (EXTERNALID, DOCNUMBER, VENDORID...); `force_fields` changes one in the backend directly.
"""

from __future__ import annotations

import json
from typing import Any

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import Workspace
from intacct_bridge.store.repositories.receivables import update_receivables_settings

from engine_helpers import COMPANY, make_engine, make_workspace
from o2c_shop import SETTINGS

VENDORS = [{"external_id": "sup-1", "vendor_id": "RB-V1", "name": "Paper Supplies", "email": "ap@paper.example",
            "city": "Lyon"},
           {"external_id": "sup-2", "vendor_id": "RB-V2", "name": "Print Shop", "email": "ap@print.example"}]
ITEMS = [{"external_id": "sku-1", "item_id": "RB-NS1", "name": "Consulting hour", "item_type": "Non-Inventory",
          "base_price": "80.00"}]


def load_everything(bridge: Bridge) -> None:
    bridge.import_customers([
        {"external_id": "c1", "name": "Jane Alvarez", "email": "jane@example.org"},   # matched: nothing written
        {"external_id": "c2", "name": "Ada Lovelace", "email": "ada@example.org", "phone": "555-0100"},
    ])
    bridge.import_invoices([
        {"external_id": "o1", "customer": "c2", "date": "2026-11-03", "due_date": "2026-12-03",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "40.00", "description": "Workshop"}]},
        {"external_id": "o2", "customer": "c2", "date": "2026-11-04", "due_date": "2026-12-04",
         "lines": [{"gl_account": "4500", "quantity": "1", "price": "30.00", "description": "Workshop 2"}]},
    ])
    bridge.import_payments([
        {"external_id": "p1", "customer": "c2", "date": "2026-11-11", "amount": "25.00", "method": "check",
         "applications": [{"invoice": "o1", "amount": "25.00"}]},
    ])
    bridge.import_credit_memos([
        {"external_id": "m1", "customer": "c2", "date": "2026-11-12", "invoice": "o2",
         "lines": [{"gl_account": "4500", "amount": "5.00", "description": "Goodwill"}]},
    ])
    bridge.import_vendors(VENDORS)
    bridge.import_items(ITEMS)
    bridge.import_bills([
        {"external_id": "b1", "vendor_id": "RB-V1", "number": "RB-0001", "bill_date": "2026-11-05",
         "due_date": "2026-12-05", "lines": [{"gl_account": "6010", "amount": "120.00", "location": "100"}]},
        {"external_id": "b2", "vendor_id": "RB-V2", "number": "RB-0002", "bill_date": "2026-11-06",
         "due_date": "2026-12-06", "lines": [{"gl_account": "6010", "amount": "60.00", "location": "100"}]},
    ])
    bridge.import_ap_adjustments([
        {"external_id": "a1", "vendor_id": "RB-V1", "bill": "b1", "date": "2026-11-20",
         "lines": [{"gl_account": "6010", "amount": "20.00"}]},
    ])


POSTED = {"customer": 1, "invoice": 2, "payment": 1, "credit_memo": 1, "vendor": 2, "item": 1, "bill": 2,
          "ap_adjustment": 1}


def posted_everything(store, emu, operator, wire: str = "xml") -> tuple[int, str]:
    ws = make_workspace(store, emu, operator, wire=wire)
    with store.write_session() as session:
        update_receivables_settings(session, ws, dict(SETTINGS))
    load_everything(Bridge(store, ws, operator))
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.SUCCEEDED, report.message
    for kind, count in POSTED.items():
        assert report.tally.by_kind[kind]["posted"] == count, (kind, report.tally.by_kind[kind])
    with store.session() as session:
        return ws, session.get(Workspace, ws).uid


def held(emu, object_name: str, field: str) -> dict[str, dict[str, Any]]:
    return {str(r.get(field)): r for r in emu.admin.ledger(COMPANY, object_name)}


def force_fields(emu, object_name: str, recordno: Any, **fields: str) -> None:
    """Change a record in the emulator's backend directly: what a person does in Intacct that the admin endpoint's
    rules refuse (a posted bill or payment is reversed or voided there, not edited through the API)."""
    with emu.state.backend.transaction() as conn:
        where = (COMPANY, object_name, int(recordno))
        (stored,) = conn.execute("SELECT fields FROM records WHERE company_id = ? AND object = ? AND recordno = ?",
                                 where).fetchone()
        conn.execute("UPDATE records SET fields = ? WHERE company_id = ? AND object = ? AND recordno = ?",
                     (json.dumps({**json.loads(stored), **fields}), *where))


def force_delete(emu, object_name: str, recordno: Any) -> None:
    """Delete a record in the emulator's backend directly (a posted document Intacct's rules keep)."""
    with emu.state.backend.transaction() as conn:
        conn.execute("DELETE FROM records WHERE company_id = ? AND object = ? AND recordno = ?",
                     (COMPANY, object_name, int(recordno)))

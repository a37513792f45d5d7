"""The demo's master-data and AP chapter (issue 10), in the single-entity demo company `helping-hands`.

The workspace pushes a few vendors and non-stock items, then changes one vendor's email and phone (an
update with only those fields); bills are posted against a vendor Intacct already had and against one the
workspace pushes in the same run, a vendor credit becomes an AP adjustment, and one bill naming an AP term
Intacct does not have is held with the fix. Kept short: a handful of records.
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.commands.sync import print_report
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.models import Posting, Vendor

COMPANY = "helping-hands"
HELD = "bill-3"   # names an AP term Intacct does not have
VENDORS = [
    {"external_id": "sup-paper", "vendor_id": "V-PAPER", "name": "Paper & Print Co", "email": "ap@paper.example"},
    {"external_id": "sup-vans", "vendor_id": "V-VANS", "name": "Community Vans", "phone": "+1 555 0100"},
]
ITEMS = [
    {"external_id": "svc-print", "item_id": "NS-PRINT", "name": "Printing service", "base_price": "40.00"},
    {"external_id": "svc-delivery", "item_id": "NS-DELIVERY", "name": "Delivery", "base_price": "15.00"},
]
LATE_VENDOR = {"external_id": "sup-fuel", "vendor_id": "V-FUEL", "name": "Valley Fuel"}


def _bill(external_id: str, vendor: str, number: str, amount: str, **header: str) -> dict:
    header.setdefault("due_date", "2026-12-31")
    return {"external_id": external_id, "vendor_id": vendor, "number": number, "bill_date": "2026-11-02",
            **header, "lines": [{"gl_account": "6010", "amount": amount, "description": "Utilities",
                                 "location": "100"}]}


BILLS = [
    _bill("bill-1", "V-100", "OD-5501", "180.00"),                       # a vendor Intacct already had
    _bill("bill-2", "V-FUEL", "VF-17", "95.50"),                         # pushed in the same run, posted first
    _bill(HELD, "V-PAPER", "PP-9", "60.00", terms="Net 99", due_date=""),
]
CREDIT = {"external_id": "credit-1", "vendor_id": "V-100", "bill": "bill-1", "date": "2026-11-05",
          "lines": [{"gl_account": "6010", "amount": "30.00", "description": "Overcharge"}]}


def payables_story(bridge: Bridge, emu, console: Console, chapter: int) -> bool:
    """Run the chapter in the demo's workspace; True when every step came out right."""
    console.print(Rule(f"{chapter}. Master data out: vendors and items pushed, then one vendor updated field by field"))
    bridge.import_records("vendor", VENDORS)
    bridge.import_records("item", ITEMS)
    created = bridge.sync()
    print_report(created)
    changed = {**VENDORS[0], "email": "billing@paper.example", "phone": "+1 555 0199"}
    bridge.import_records("vendor", [changed])
    updated = bridge.sync()
    sent = _last_update(bridge, "V-PAPER")
    console.print(f"  V-PAPER changed at the source: the update sends only {', '.join(sorted(sent)) or 'nothing'}.")

    console.print(Rule(f"{chapter + 1}. AP: bills, a vendor credit, one bill held for an unknown term"))
    bridge.import_records("vendor", [LATE_VENDOR])
    bridge.import_bills(BILLS)
    bridge.import_ap_adjustments([CREDIT])
    posted = bridge.sync()
    print_report(posted)
    held = [r for e in bridge.review_queue() if e.external_id == HELD for r in e.reasons]
    for reason in held:
        console.print(f"  [yellow]{HELD}[/] {reason['field']}: {reason['message']}", highlight=False)
    ok = _show_ap(bridge, emu, console)
    ok &= created.status is RunStatus.SUCCEEDED and updated.status is RunStatus.SUCCEEDED
    ok &= sent == {"DISPLAYCONTACT.EMAIL1", "DISPLAYCONTACT.PHONE1"}
    ok &= [r["field"] for r in held] == ["terms"] and "Net 99" in held[0]["message"]
    console.print(f"Master data and AP — {'[green]as expected[/]' if ok else '[red]NOT as expected[/]'}.")
    return ok


def _last_update(bridge: Bridge, vendor_id: str) -> set[str]:
    """The fields the vendor's newest posted write carried (an update names only what changed)."""
    with bridge.store.session() as session:
        record_id = session.scalar(select(Vendor.id).where(Vendor.workspace_id == bridge.workspace_id,
                                                           Vendor.vendor_id == vendor_id))
        summary = session.scalar(select(Posting.request_summary).where(
            Posting.workspace_id == bridge.workspace_id, Posting.record_kind == "vendor",
            Posting.record_id == record_id, Posting.state == "posted").order_by(Posting.id.desc()).limit(1))
    return set((summary or {}).get("changed") or ())


def _show_ap(bridge: Bridge, emu, console: Console) -> bool:
    """Bills as Intacct holds them, and each vendor's balance there against the local records'."""
    bills = {b["RECORDID"]: b for b in emu.admin.ledger(COMPANY, "APBILL")}
    table = Table("bill", "vendor", "number", "status", "Intacct due", title="AP bills")
    for bill in bridge.bills():
        held = bills.get(bill.number or "")
        table.add_row(bill.external_id, bill.vendor_id, bill.number or "", bill.status,
                      f"{Decimal(held['TOTALDUE']):,.2f}" if held else "—")
    console.print(table)
    vendors = {v["VENDORID"]: Decimal(v["TOTALDUE"]) for v in emu.admin.ledger(COMPANY, "VENDOR")}
    expected = {"V-100": Decimal("150.00"), "V-FUEL": Decimal("95.50"), "V-PAPER": Decimal("0.00")}
    console.print("  Vendor balances in Intacct: " + ", ".join(f"{v} {vendors.get(v, Decimal(0)):,.2f}"
                                                          for v in expected))
    statuses = {b.external_id: b.status for b in bridge.bills()}
    [credit] = bridge.ap_adjustments()
    return (all(vendors.get(v) == due for v, due in expected.items()) and credit.status == "posted"
            and statuses == {"bill-1": "posted", "bill-2": "posted", HELD: "unposted"})

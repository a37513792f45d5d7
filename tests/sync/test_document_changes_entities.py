"""Closed periods and cancellations of documents at the entity level (issue 12), against the emulator: a bill
dated in a period closed at its entity moves to that entity's next open day while one at another entity keeps its
date; a changed bill's cancellation and corrected version are written in the original's entity, moved too."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from intacct_bridge.domain.vocabulary import ClosedPeriodPolicy, PostedChanges, RunStatus
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings

from test_multi_entity import GROUP, group_bridge


def _bill(external_id: str, number: str, amount: str, location: str, entity: str | None = None) -> dict:
    return {"external_id": external_id, "vendor_id": "V-GRP-9", "number": number, "bill_date": "2026-06-01",
            "due_date": "2026-07-01", **({"entity": entity} if entity else {}),
            "lines": [{"gl_account": "6010", "amount": amount, "location": location}]}


def test_documents_move_past_their_own_entitys_closed_date_and_cancel_where_they_were_written(emu, operator, store):
    bridge = group_bridge(store, emu, operator)
    bridge.pull()
    bridge.pull_reference()
    bridge.set_posting_level("entity", "E100")
    bridge.set_closed_period_policy(ClosedPeriodPolicy.NEXT_OPEN)
    with store.write_session() as session:
        update_settings(session, bridge.workspace_id, SettingsChange(posted_changes=PostedChanges.REVERSE))
    emu.admin.set_closed_through(GROUP, "E200", date(2026, 6, 15))   # E100 keeps the company's (last year end)
    bridge.import_vendors([{"external_id": "v9", "vendor_id": "V-GRP-9", "name": "Group Nine"}])
    bridge.import_bills([_bill("w1", "W-9", "80.00", "200-HQ", "E200"), _bill("e1", "E-9", "30.00", "100-HQ")])
    report = bridge.sync()
    assert report.status is RunStatus.SUCCEEDED, report.message
    (west,) = emu.admin.ledger(GROUP, "APBILL", entity_id="E200")
    assert west["WHENCREATED"] == "2026-06-16" and west["DESCRIPTION"].startswith("(dated 2026-06-01, period closed)")
    east = [b for b in emu.admin.ledger(GROUP, "APBILL", entity_id="E100") if b["VENDORID"] == "V-GRP-9"]
    assert [b["WHENCREATED"] for b in east] == ["2026-06-01"]

    bridge.import_bills([_bill("w1", "W-9", "85.00", "200-HQ", "E200")])
    assert bridge.sync().status is RunStatus.SUCCEEDED
    west = {b["RECORDID"]: b for b in emu.admin.ledger(GROUP, "APBILL", entity_id="E200")}
    assert Decimal(west["W-9"]["TOTALDUE"]) == 0 and Decimal(west["W-9-v2"]["TOTALDUE"]) == Decimal("85.00")
    assert west["W-9-v2"]["WHENCREATED"] == "2026-06-16"
    (cancellation,) = emu.admin.ledger(GROUP, "APADJUSTMENT", entity_id="E200")
    assert cancellation["WHENCREATED"] == "2026-06-16"   # reversal_date original: 2026-06-16 as posted
    assert [v["state"] for v in bridge.versions("bill", "w1")] == ["posted", "posted", "posted"]

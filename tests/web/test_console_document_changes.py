"""The console shows every version of an invoice or bill written to Intacct and deletes one at the source
(issue 12), against the emulator over HTTP: a changed posted bill is cancelled and posted again, listed with
both versions and the cancelling adjustment; a delete queues the cancellation; a refused delete says why."""

from __future__ import annotations

import html
from decimal import Decimal

from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import PostedChanges
from intacct_bridge.store.models import Action, Bill, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.sample import generate
from intacct_bridge.sync.sample_load import create_connected_workspace, load_sample
from test_console_receivables import ids, table_rows
from web_helpers import console_client, csrf_of, sign_in


def bill(amount: str) -> list[dict]:
    return [{"external_id": "b1", "vendor_id": "V-100", "number": "CB-1", "bill_date": "2026-11-21",
             "due_date": "2026-12-21", "lines": [{"gl_account": "6010", "amount": amount}]}]


def test_a_bill_shows_its_versions_and_is_deleted_from_the_console(store, emu, emu_operator):
    with console_client(store, emu_operator) as browser:
        ws = create_connected_workspace(store, "Helping Hands", emu.credentials,
                                        SecretBox.from_settings(emu_operator))
        bridge = Bridge(store, ws, emu_operator, {"backoff_base": 0.01, "backoff_max": 0.05})
        bridge.import_bills(bill("100.00"))
        assert bridge.sync().tally.posted == 1
        sign_in(browser)
        slug = "helping-hands"
        bill_id = ids(store, Bill)["b1"]
        token = csrf_of(browser, f"/w/{slug}/bills/{bill_id}")
        refused = browser.post(f"/w/{slug}/bills/{bill_id}/delete", data={"csrf_token": token})
        assert refused.status_code == 409 and "refuses changes to posted records" in html.unescape(refused.text)

        with store.write_session() as session:
            update_settings(session, ws, SettingsChange(posted_changes=PostedChanges.REVERSE))
        bridge.import_bills(bill("120.00"))
        assert bridge.sync().tally.posted == 2   # the cancellation, the corrected bill
        page = html.unescape(browser.get(f"/w/{slug}/bills/{bill_id}").text)
        rows = table_rows(page, "versions-table")
        assert len(rows) == 3
        assert rows[0].startswith("1 document posted") and "100.00" in rows[0]
        assert rows[1].startswith("1 cancellation (changed at the source) changed: lines posted") and "-100.00" in rows[1]
        assert rows[2].startswith("2 document changed: lines posted") and "120.00" in rows[2]
        assert "V-100/CB-1-v2" in rows[2]
        (cancellation,) = emu.admin.ledger("helping-hands", "APADJUSTMENT")
        assert cancellation["RECORDNO"] in rows[1]

        deleted = browser.post(f"/w/{slug}/bills/{bill_id}/delete", data={"csrf_token": token})
        assert deleted.status_code == 303 and deleted.headers["location"].endswith(f"/bills/{bill_id}#versions")
        page = html.unescape(browser.get(f"/w/{slug}/bills/{bill_id}").text)
        assert table_rows(page, "versions-table")[-1].startswith("2 cancellation (deleted at the source) unposted")
        assert bridge.sync().tally.posted == 1
        page = html.unescape(browser.get(f"/w/{slug}/bills/{bill_id}").text)
        assert "Withdrawn: its last version was cancelled in Intacct" in page


def test_an_action_page_lists_its_entries_and_reversal(store, emu, emu_operator):
    with console_client(store, emu_operator) as browser:
        ws = create_connected_workspace(store, "Helping Hands", emu.credentials,
                                        SecretBox.from_settings(emu_operator))
        bridge = Bridge(store, ws, emu_operator, {"backoff_base": 0.01, "backoff_max": 0.05})
        bridge.pull()
        load_sample(store, ws, generate(3, actions=1, invalid=0, excluded=0))
        assert bridge.sync().tally.posted == 1
        with store.write_session() as session:
            update_settings(session, ws, SettingsChange(posted_changes=PostedChanges.REVERSE))
            action = session.scalars(select(Action).where(Action.workspace_id == ws)).one()
            supersede(session, ws, action, CHANGED, utcnow())
            action.amount += Decimal("2.00")
            action_id = action.id
        assert bridge.sync().tally.posted == 2
        sign_in(browser)
        rows = table_rows(html.unescape(browser.get(f"/w/helping-hands/actions/{action_id}").text), "versions-table")
        assert [row.split(" ")[:3] for row in rows] == [["1", "entry", "posted"], ["1", "reversal", "(changed"],
                                                          ["2", "entry", "posted"]]

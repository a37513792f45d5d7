"""What was posted, end to end against the emulator: a journal entry's debit and credit lines from what was sent,
its Intacct key and link (INTACCT_BRIDGE_RECORD_URL_TEMPLATE), the dry run's lines before it; an invoice's total,
number and link. Everything through the Python API, then read in the console."""

from __future__ import annotations

import re

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.crypto import SecretBox
from intacct_bridge.store.models import Action, Invoice
from intacct_bridge.store.repositories.audit import AuditFilter, list_entries
from intacct_bridge.store.repositories.receivables import update_receivables_settings
from intacct_bridge.sync.sample_load import create_connected_workspace
from web_helpers import console_client, sign_in

GOOD = ["CR 4000", "DR 1100", "Locations: CR 100", "Locations: DR 100"]
TEMPLATE = "https://intacct.example/ui?obj={object}&key={recordno}"


@pytest.fixture
def posted(store, emu, emu_operator, monkeypatch):
    monkeypatch.setenv("INTACCT_BRIDGE_RECORD_URL_TEMPLATE", TEMPLATE)
    from intacct_bridge.settings import OperatorSettings

    operator = OperatorSettings()
    ws_id = create_connected_workspace(store, "Helping Hands", emu.credentials, SecretBox.from_settings(operator))
    bridge = Bridge(store, ws_id, operator)
    bridge.pull()
    with store.write_session() as session:
        update_receivables_settings(session, ws_id, {"revenue_account": "4600", "undeposited_account": "1100",
                                                     "discount_account": "4600", "tax_account": "2600"})
    from intacct_bridge.store.repositories.intake import import_actions
    from intacct_bridge.store.repositories.settings import load_sync_settings

    with store.write_session() as session:
        import_actions(session, ws_id, [(2, {"external_id": "gift-1", "type": "donation", "amount": "125.50",
                                         "happened_at": "2026-10-01", "created_at": "2026-10-01T10:00:00Z",
                                         "summary": "Gift", "campaigns": "; ".join(GOOD)})],
                       load_sync_settings(session, ws_id).zone())
    bridge.import_customers([{"external_id": "c1", "name": "Jane Alvarez"}])
    bridge.import_invoices([{"external_id": "o1", "number": "INV-9", "customer": "c1", "date": "2026-11-02",
                             "due_date": "2026-12-02", "lines": [{"gl_account": "4600", "quantity": "2",
                                                                  "price": "10.00"}]}])
    dry = bridge.sync(dry_run=True)
    assert dry.tally.would_post >= 1, dry.message
    done = bridge.sync()
    assert done.status.value in ("succeeded", "completed_with_errors"), done.message
    with store.session() as session:
        started = list_entries(session, AuditFilter(workspace_id=ws_id, action="sync.started"))
        assert [(e.via, e.detail["dry_run"], e.detail["run_id"]) for e in started] == [
            ("python", False, done.run_id), ("python", True, dry.run_id)]
        action = session.query(Action).filter_by(external_id="gift-1").one()
        invoice = session.query(Invoice).filter_by(external_id="o1").one()
        yield {"action": action.id, "recordno": action.intacct_recordno, "invoice": invoice.id,
               "invoice_key": invoice.intacct_key, "dry_run": dry.run_id, "operator": operator}


def test_an_action_shows_its_posted_lines_link_and_dry_run(store, posted):
    with console_client(store, posted["operator"]) as browser:
        sign_in(browser)
        page = browser.get(f"/w/helping-hands/actions/{posted['action']}").text
    section = page[page.index('id="posted"'):page.index('id="campaigns"')]
    assert posted["recordno"] and f"obj=GLBATCH&amp;key={posted['recordno']}" in section
    assert "Open in Sage Intacct" in section and "on 2026-10-01" in section and "125.50" in section
    rows = re.findall(r'<tr><td class="nowrap">(\w+)</td><td class="num">([\d.,]*)</td><td class="num">([\d.,]*)</td>',
                      section)
    # posted: debit 1100, credit 4000; the dry run before it: the same lines
    assert rows[:2] == [("1100", "125.50", ""), ("4000", "", "125.50")] and rows[2:4] == rows[:2]
    assert f"Dry run #{posted['dry_run']}" in section and "LOCATION 100" in section


def test_an_invoice_shows_what_was_posted_with_its_link(store, posted):
    with console_client(store, posted["operator"]) as browser:
        sign_in(browser)
        page = browser.get(f"/w/helping-hands/invoices/{posted['invoice']}").text
    section = page[page.index('id="posted"'):]
    assert f"obj=ARINVOICE&amp;key={posted['invoice_key']}" in section and "INV-9" in section
    assert "20.00" in section and "Dry run #" in section
    rows = re.findall(r'<tr><td class="nowrap">([^<]+)</td><td class="num">([\d.,]*)</td><td class="num">([\d.,]*)</td>',
                      section)
    # revenue credited, the AR account (the workspace's, else Intacct's default) debited; the dry run the same
    assert rows[0] == ("4600", "", "20.00") and rows[1][1:] == ("20.00", "") and rows[2:4] == rows[:2]

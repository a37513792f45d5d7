"""A bill's page with its versions and its delete form, in headless Chromium: at phone and laptop width nothing
scrolls sideways (long references scroll inside the table), and "Delete this bill" queues the cancellation."""

from __future__ import annotations

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import PostedChanges
from intacct_bridge.store.models import Bill
from intacct_bridge.sync.sample_load import create_connected_workspace
from test_console_browser import browser_page, server, sign_in  # noqa: F401 (fixtures)
from test_console_receivables import ids

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def bill(amount: str) -> list[dict]:
    return [{"external_id": "b-" + "7" * 60, "vendor_id": "V-100", "number": "LONG-" + "9" * 40,
             "bill_date": "2026-11-21", "due_date": "2026-12-21",
             "lines": [{"gl_account": "6010", "amount": amount}]}]


def test_a_bill_page_with_versions_fits_and_deletes(server, store, emu, emu_operator, browser_page):
    ws = create_connected_workspace(store, "Helping Hands", emu.credentials, server.app.state.bridge.box)
    bridge = Bridge(store, ws, emu_operator, {"backoff_base": 0.01, "backoff_max": 0.05})
    bridge.set_posted_changes(PostedChanges.REVERSE)
    bridge.import_bills(bill("100.00"))
    assert bridge.sync().tally.posted == 1
    bridge.import_bills(bill("120.00"))
    assert bridge.sync().tally.posted == 2
    page = browser_page
    sign_in(page, server.url)
    url = f"{server.url}/w/helping-hands/bills/{ids(store, Bill)['b-' + '7' * 60]}"
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        page.goto(url)
        expect(page.locator("#versions-table tbody tr")).to_have_count(3)
        scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, (viewport, scroll_width)
    page.get_by_role("button", name="Delete this bill").click()
    expect(page.locator("#versions-table tbody tr")).to_have_count(4)
    expect(page.locator("#versions-table tbody tr").last).to_contain_text("deleted at the source")

"""Issue 14's new screens in headless Chromium against a live app and the emulator, at 1366 px and 390 px with no
page scrolling sideways: the dashboard's chart, next sync and checklist; the actions list's page size, paging,
sorting and CSV export; an action's posted lines with its link to Intacct; the admin pages (a user, a token
shown once then revoked, the audit log)."""

from __future__ import annotations

import csv
import io
import re
from datetime import time

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.sample_load import create_connected_workspace
from test_console_browser import (  # noqa: F401 (fixtures)
    GOOD,
    browser_page,
    import_actions,
    server,
    sign_in,
)
from web_helpers import action

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def no_sideways_scroll(page, where: str) -> None:
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (where, page.viewport_size, widths)


def test_dashboard_lists_posted_lines_and_admin(server, store, emu, emu_operator, browser_page):
    page = browser_page
    ws_id = create_connected_workspace(store, "Helping Hands", emu.credentials, server.app.state.bridge.box)
    with store.write_session() as session:
        update_settings(session, ws_id, SettingsChange(schedule_time=time(2, 30),
                                                       timezone="America/New_York"))
    bridge = Bridge(store, ws_id, emu_operator)
    bridge.pull()
    import_actions(server, store, "helping-hands",
                   [action(n, campaigns=GOOD, amount=f"{n}.00", happened_at="2026-10-02T12:00:00Z")
                    for n in range(1, 31)])
    assert bridge.sync(dry_run=True).tally.would_post == 30
    assert bridge.sync().status.value == "succeeded"
    sign_in(page, server.url)
    base = server.url + "/w/helping-hands"

    # Dashboard: the chart drawn on the server, the next scheduled sync, counts that lead to their lists.
    expect(page.locator("#chart-period-title")).to_have_text("By period (posting month)")
    expect(page.locator("#posted svg").first).to_be_visible()
    expect(page.locator("#posted")).to_contain_text("465.00 in 30 posted records")
    expect(page.locator(".next-sync")).to_contain_text("02:30")
    page.locator("#status").get_by_role("link", name=re.compile("posted$")).click()
    expect(page).to_have_url(re.compile(r"/actions\?status=posted$"))

    # Actions: page size, previous/next with "x–y of N", sort by a column, CSV export with the filters.
    page.get_by_label("Per page").select_option("25")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".pager .range")).to_have_text("1–25 of 30 actions")
    page.get_by_role("link", name="Next", exact=True).click()
    expect(page.locator(".pager .range")).to_have_text("26–30 of 30 actions")
    page.get_by_role("link", name="Previous", exact=True).click()
    page.get_by_role("link", name="Amount").click()
    page.get_by_role("link", name=re.compile("^Amount")).click()   # a second click: largest first
    expect(page.locator("tbody tr").first).to_contain_text("A-00030")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert len(rows) == 30 and rows[0]["external_id"] == "A-00030" and rows[0]["status"] == "posted"
    list_url = page.url

    # What was posted: the lines, Intacct's key and the link; the dry run before it.
    page.get_by_role("link", name="A-00030").click()
    posted = page.locator("#posted")
    expect(posted.locator("article").first).to_contain_text("Intacct key")
    expect(posted.get_by_role("link", name="Open in Sage Intacct")).to_have_attribute("href", re.compile("GLBATCH"))
    expect(posted.locator("table.lines").first).to_contain_text("1100")
    expect(posted).to_contain_text("Dry run #")
    action_url = page.url

    # Admin: a user, a token shown once then revoked, and the audit log of it all.
    page.goto(server.url + "/admin/users")
    page.get_by_label("User name").fill("second-admin")
    page.get_by_label("Password (at least 10 characters)").fill("another long password")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("status")).to_contain_text("User created")
    page.goto(server.url + "/admin/tokens")
    page.get_by_label("Name (to tell tokens apart").fill("crm nightly")
    page.get_by_label("For").select_option("helping-hands")
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("ib_")
    page.goto(server.url + "/admin/tokens")
    assert token not in page.content()
    page.locator("tr", has_text="crm nightly").get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page.get_by_role("status")).to_contain_text("Token revoked")
    page.goto(server.url + "/admin/audit?via=console")
    expect(page.locator("table")).to_contain_text("token.revoked")
    expect(page.locator("table")).to_contain_text("user.created")

    pages = [base, list_url, base + "/actions?size=250", action_url, base + "/runs", server.url + "/admin/users",
             server.url + "/admin/tokens", server.url + "/admin/audit"]
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        for path in pages:
            page.goto(path)
            no_sideways_scroll(page, path)

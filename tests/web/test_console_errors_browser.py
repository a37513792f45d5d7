"""The Errors page and a review reason's link in headless Chromium against a live app and the emulator, at
1366 px and 390 px with no page scrolling sideways: filter by class, sort by a column, bulk retry with a sync;
a reason that asks to pull the entities links to the Entities page's Pull button (issue 14)."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.domain.entities import known_entity_reasons
from intacct_bridge.store.models import ReviewFlag
from intacct_bridge.sync.sample_load import create_connected_workspace
from test_console_browser import (  # noqa: F401 (fixtures)
    GOOD,
    browser_page,
    htmx_settled,
    import_actions,
    server,
    sign_in,
)
from test_console_issue14_browser import LAPTOP, PHONE, no_sideways_scroll
from web_helpers import action

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


def _wait_for_closed_period_errors(bridge: Bridge, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(bridge.errors(classes=["closed_period"])) != count:
        assert time.monotonic() < deadline, "the retried record was not posted"
        time.sleep(0.2)


def test_errors_list_filters_sorts_retries_and_a_reason_links_to_its_page(server, store, emu, emu_operator,
                                                                          browser_page):
    page = browser_page
    ws_id = create_connected_workspace(store, "Helping Hands", emu.credentials, server.app.state.bridge.box)
    bridge = Bridge(store, ws_id, emu_operator)
    bridge.pull()
    import_actions(server, store, "helping-hands", [action(n, campaigns=GOOD) for n in range(1, 5)])
    emu.admin.set_closed_through("helping-hands", None, date.today() + timedelta(days=1))
    bridge.sync()
    _wait_for_closed_period_errors(bridge, 4)
    [first] = [e for e in bridge.errors() if e.record_id == min(e.record_id for e in bridge.errors())]
    with store.write_session() as session:  # one of them also names an entity the company does not have
        flag = session.get(ReviewFlag, first.id)
        flag.kind, flag.error_class = "invalid", "validation"
        flag.reasons = [r.as_dict() for r in known_entity_reasons("E999", frozenset({"E100"}))]
    sign_in(page, server.url)
    base = server.url + "/w/helping-hands"

    # Filter by class: only the closed-period group, with its count.
    page.goto(base + "/errors")
    page.get_by_label("Class").select_option("closed_period")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".pager .range")).to_have_text("1–3 of 3 errors")
    expect(page.locator("#class-validation")).to_have_count(0)
    # Sort by record, then reversed: the newest record first; the filters stay.
    page.get_by_role("link", name="Record").first.click()
    page.get_by_role("link", name=re.compile("^Record")).first.click()
    expect(page).to_have_url(re.compile(r"class=closed_period.*sort=record.*dir=desc|dir=desc.*class=closed_period"))
    records = page.locator('tbody td:nth-child(2) a').all_inner_texts()
    assert records == sorted(records, key=lambda text: int(text.rsplit(" ", 1)[1]), reverse=True), records
    filtered_url = page.url

    # Bulk retry with a sync, once the period is open again: the run posts it and the queue shrinks.
    emu.admin.set_closed_through("helping-hands", None, date(2000, 1, 1))
    page.locator('input[name="error_ids"]').first.check()
    page.get_by_role("button", name="Retry").click()
    expect(page).to_have_url(re.compile(r"/runs/\d+$"))
    htmx_settled(page)
    _wait_for_closed_period_errors(bridge, 2)
    page.goto(filtered_url)
    expect(page.locator(".pager .range")).to_have_text("1–2 of 2 errors")

    # A review reason's link at phone width: on screen, and it lands on the Entities page's Pull button.
    page.set_viewport_size(PHONE)
    page.goto(base + "/review")
    link = page.get_by_role("link", name="Open Entities to pull from Intacct")
    expect(link).to_be_visible()
    assert "intacct-bridge " not in page.locator("main").inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/entities#pull$"))
    expect(page.locator("#pull").get_by_role("button")).to_be_visible()

    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        for path in (filtered_url, base + "/errors?state=all", base + "/review"):
            page.goto(path)
            no_sideways_scroll(page, path)

"""The Mapping page, skip-export rules and the description template in headless Chromium, end to end against the
emulator: a rule fills a missing credit account, a skip rule keeps test orders out, the template writes the entry's
text, and the run page says which rule did what; no page scrolls sideways at 390 or 1366 px."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from intacct_bridge.store.database import Store
from test_console_browser import browser_page, htmx_settled, import_actions, server, sign_in  # noqa: F401
from web_helpers import action

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
NO_CREDIT = ["DR 1100", "Locations: CR 100", "Locations: DR 100"]


@pytest.fixture
def workspace(server, store: Store, emu) -> Iterator[str]:
    from intacct_bridge.sync.sample_load import create_connected_workspace

    create_connected_workspace(store, "Helping Hands", emu.credentials, server.app.state.bridge.box)
    yield "helping-hands"


def test_mapping_rules_skip_rules_and_template_end_to_end(server, store, emu, workspace, browser_page):
    page, base = browser_page, server.url + "/w/helping-hands"
    sign_in(page, server.url)
    page.goto(base)
    page.get_by_role("button", name="Pull accounts and dimensions").click()
    expect(page.locator("#run-progress")).to_contain_text("campaigns created")
    import_actions(server, store, workspace, [action(1, campaigns=NO_CREDIT, amount="2500.00"),
                                              action(2, campaigns=NO_CREDIT + ["CR 4000"], external_id="test-2")])

    page.goto(base + "/mapping")
    form = page.locator("#rule-form")
    form.get_by_label("Field").first.select_option("amount")
    htmx_settled(page)  # the operator list follows the field: an amount takes >, not "contains"
    expect(form.get_by_label("Operator").first.locator("option")).to_have_count(6)
    form.get_by_label("Operator").first.select_option("gt")
    form.get_by_label("Value").first.fill("1000")
    form.get_by_label("Campaign").select_option("CR|4400")
    form.get_by_role("button", name="Add rule").click()
    expect(page.locator("ol.rules")).to_contain_text("If Amount > 1000.00")

    skip = page.locator("#skip-form")
    skip.get_by_label("Name").fill("Test orders")
    skip.get_by_label("Field").first.select_option("external_id")
    htmx_settled(page)
    skip.get_by_label("Operator").first.select_option("starts_with")
    skip.get_by_label("Value").first.fill("test-")
    skip.get_by_role("button", name="Add skip rule").click()
    expect(page.get_by_role("cell", name="Test orders: External id starts with test-")).to_be_visible()

    page.goto(base + "/settings")
    page.locator("#pull-now").get_by_role("button", name="Pull now").click()  # nothing pulled yet: typed, not chosen
    expect(page.locator(".notice")).to_contain_text("now chosen from lists")
    expect(page.locator("select#journal")).to_be_visible()
    page.get_by_label("Template").fill("{type} {external_id} for {constituent}")
    htmx_settled(page)
    expect(page.locator("#template-preview")).to_contain_text(re.compile(r"donation (A-00001|test-2) for Person"))
    page.get_by_label("Template").fill("{type} {donor}")
    expect(page.locator("#template-preview")).to_contain_text("unknown placeholder(s) {donor}")
    page.get_by_label("Template").fill("{type} {external_id} for {constituent}")
    page.get_by_role("button", name="Save template").click()
    expect(page.locator(".notice")).to_contain_text("Description template saved")

    page.goto(base)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".run-status")).to_have_text("succeeded", timeout=60_000)
    (entry,) = emu.admin.ledger("helping-hands", "GLBATCH")
    assert entry["BATCH_TITLE"] == "donation A-00001 for Person 1"
    page.goto(base + "/runs")
    page.get_by_role("link", name=re.compile(r"^#\d+")).first.click()
    items = page.locator("#run-items")
    expect(items).to_contain_text("skipped by rule Test orders: External id starts with test-")
    expect(items).to_contain_text("(rule Amount > 1000.00)")
    expect(page.locator("#run-body")).to_contain_text("Skipped by a rule")
    run_page = page.url

    # A new location, created in Intacct from the Campaigns page (a one-record sync), then offered as campaigns.
    page.goto(base + "/campaigns")
    values = page.locator("#intacct-form")
    values.get_by_label("Dimension").select_option("location")
    values.get_by_label("Id in Intacct").fill("L-300")
    values.get_by_label("Name").fill("West Region")
    values.get_by_role("button", name="Create in Sage Intacct").click()
    expect(page.locator("#run-result")).to_have_text("succeeded", timeout=60_000)  # the run's own page
    expect(page.locator("#run-items")).to_contain_text("LOCATION:L-300")
    assert [r["NAME"] for r in emu.admin.ledger("helping-hands", "LOCATION") if r["LOCATIONID"] == "L-300"] == [
        "West Region"]
    page.goto(base + "/campaigns?q=L-300")
    expect(page.locator("table").first).to_contain_text("CR L-300 - West Region")

    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        for path in (base + "/mapping", base + "/mapping?dimension=location", base + "/campaigns",
                     base + "/settings", run_page):
            page.goto(path)
            scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
            assert scroll_width <= inner_width, (viewport, path, scroll_width)

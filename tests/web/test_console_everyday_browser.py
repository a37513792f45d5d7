"""The console's everyday rough edges, in headless Chromium against a live app and the emulator.

Each test here pins a defect a finance admin met by hand (issue 14, "Broken today"):
pages that scroll sideways with long data, a picker that preselects a campaign, a
sign-in form that forgets the user name, raw field keys in the review box, and errors
that land on dead-end pages.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import pytest

from intacct_bridge.store.database import Store
from test_console_browser import (  # noqa: F401 (fixtures)
    PASSWORD,
    USER,
    browser_page,
    import_actions,
    server,
    sign_in,
)
from web_helpers import action

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
LONG_NAME = "N" * 300
LONG_SUMMARY = "S" * 2000
LONG_URL = "https://crm.example.org/" + "x" * 1900
LONG_ID = "L" * 200
GOOD = ["CR 4000", "DR 1100", "Locations: CR 100", "Locations: DR 100"]


@pytest.fixture
def workspace(server, store: Store, emu) -> Iterator[str]:
    """A workspace connected to the emulator, pulled, holding actions with long unbroken text."""
    from intacct_bridge.sync.sample_load import create_connected_workspace

    create_connected_workspace(store, "Helping Hands", emu.credentials, server.app.state.bridge.box)
    yield "helping-hands"


def pull(page, url: str) -> None:
    page.goto(url + "/w/helping-hands")
    page.get_by_role("button", name="Pull accounts and dimensions").click()
    expect(page.locator("#run-progress")).to_contain_text("campaigns created")


def ready(page, server, store, actions: list[dict]) -> None:
    """Signed in, accounts and dimensions pulled, `actions` imported through the REST API."""
    sign_in(page, server.url)
    pull(page, server.url)
    import_actions(server, store, "helping-hands", actions)


def sync_until(page, url: str, status: str) -> None:
    page.goto(url + "/w/helping-hands")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".run-status")).to_have_text(status, timeout=60_000)


def sideways(page) -> list[int]:
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")


def test_no_page_scrolls_sideways_with_long_unbroken_text(server, store, workspace, browser_page):
    page = browser_page
    sign_in(page, server.url)
    pull(page, server.url)
    long_one = action(1, campaigns=["CR 4000", "DR 1100"], external_id=LONG_ID, summary=LONG_SUMMARY, url=LONG_URL,
                      constituent={"external_id": "C-" + "9" * 190, "name": LONG_NAME})
    import_actions(server, store, workspace, [long_one, action(2, campaigns=["CR 4000"], summary=LONG_SUMMARY)])
    sync_until(page, server.url, "halted")
    page.get_by_role("button", name="Dry run").click()
    expect(page.locator(".run-status")).to_have_text(re.compile("halted|succeeded"), timeout=60_000)
    base = server.url + "/w/helping-hands"
    page.goto(base + "/actions")
    action_url = page.get_by_role("link", name=LONG_ID).get_attribute("href")
    page.goto(base + "/runs")
    run_url = page.get_by_role("link", name=re.compile(r"^#\d+")).first.get_attribute("href")
    pages = ["/", "/w/helping-hands", "/w/helping-hands/settings", "/w/helping-hands/actions", action_url,
             "/w/helping-hands/actions?review=true", "/w/helping-hands/review", "/w/helping-hands/errors",
             "/w/helping-hands/runs", run_url, "/workspaces", "/w/helping-hands/no-such-page", "/w/helping-hands/reconcile",
             *(f"/w/helping-hands/{name}" for name in ("customers", "invoices", "payments", "credit-memos", "vendors",
                                                        "items", "bills", "ap-adjustments", "summaries"))]
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        for path in pages:
            page.goto(server.url + path)
            scroll_width, inner_width = sideways(page)
            assert scroll_width <= inner_width, (viewport, path, scroll_width)
            height = page.evaluate("document.scrollingElement.scrollHeight")
            assert height < 20_000, (viewport, path, height)
    # The review queue's Fix link stays on screen at phone width.
    page.set_viewport_size(PHONE)
    page.goto(base + "/review")
    fix = page.get_by_role("link", name=re.compile("^Fix")).first
    box = fix.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], box


def test_run_ids_do_not_wrap_mid_id(server, store, workspace, browser_page):
    page = browser_page
    ready(page, server, store, [action(1, campaigns=GOOD)])
    page.set_viewport_size(PHONE)
    sync_until(page, server.url, "succeeded")
    page.goto(server.url + "/w/helping-hands/runs")
    link = page.get_by_role("link", name=re.compile(r"^#\d+")).first
    page.goto(server.url + link.get_attribute("href"))
    record = page.locator("#run-items").get_by_role("link", name="A-00001")
    height = record.evaluate("e => e.getClientRects().length")
    assert height == 1  # one line box: the id is never broken


def test_the_campaign_picker_preselects_nothing(server, store, workspace, browser_page):
    page = browser_page
    ready(page, server, store, [action(1, campaigns=["CR 4000"])])
    page.goto(server.url + "/w/helping-hands/actions")
    page.get_by_role("link", name="A-00001").click()
    campaign = page.get_by_label("Campaign", exact=True)
    expect(campaign).to_have_value("")
    page.get_by_role("button", name="Apply campaign").click()  # the browser refuses: nothing chosen
    expect(page.get_by_text("Campaigns updated.")).to_have_count(0)
    page.get_by_label("Category").select_option("[Sage Intacct] Locations")
    expect(campaign).to_have_value("")
    expect(campaign.locator("option").first).to_have_text(re.compile("Choose"))


def test_a_failed_sign_in_keeps_the_user_name(server, browser_page):
    page = browser_page
    page.goto(server.url + "/login")
    page.get_by_label("User name").fill(USER)
    page.get_by_label("Password").fill("wrong " + PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong user name or password")
    expect(page.get_by_label("User name")).to_have_value(USER)
    expect(page.get_by_label("Password")).to_be_focused()


def test_review_box_speaks_plain_words_and_errors_keep_the_navigation(server, store, workspace, browser_page):
    page = browser_page
    ready(page, server, store, [action(1, campaigns=["CR 4000"])])
    sync_until(page, server.url, "halted")
    page.goto(server.url + "/w/helping-hands/review")
    page.get_by_role("link", name=re.compile("^Fix")).click()
    review = page.locator("section.alert")
    expect(review).to_contain_text("Debit account")
    assert not re.search(r"\b[a-z_]+\.(DR|CR)\b|\bintacct:", review.inner_text()), review.inner_text()

    page.goto(server.url + "/w/helping-hands/actions/999999")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_role("navigation", name="Workspace")).to_be_visible()
    expect(page.get_by_role("link", name="Review queue")).to_be_visible()
    page.goto(server.url + "/w/helping-hands/runs?page=nope")
    expect(page.get_by_role("alert")).not_to_contain_text("_")
    expect(page.get_by_role("navigation", name="Workspace")).to_be_visible()



def test_sync_now_during_a_run_keeps_the_progress_and_hides_the_lock_holder(server, store, workspace, emu,
                                                                          browser_page):
    page = browser_page
    ready(page, server, store, [action(n, campaigns=GOOD) for n in range(1, 9)])
    emu.admin.set_config(latency_ms=1500)  # a run long enough to click Sync now again while it goes on
    page.goto(server.url + "/w/helping-hands")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".run-status")).to_have_text("running")
    expect(page.locator(".run-phase")).to_have_text(re.compile("^(Pulling accounts and dimensions|Checking records|"
                                                               "Posting)$"))
    for name in ("Sync now", "Dry run", "Pull accounts and dimensions"):
        expect(page.get_by_role("button", name=name)).to_be_disabled()

    other = page.context.new_page()
    other.goto(server.url + "/w/helping-hands")
    expect(other.get_by_role("button", name="Sync now")).to_be_disabled()
    other.evaluate("document.querySelectorAll('#sync-controls button').forEach(b => b.disabled = false)")
    other.get_by_role("button", name="Sync now").click()
    expect(other.locator("#run-progress")).to_contain_text("is already running")
    text = other.locator("#run-progress").inner_text()
    assert "process" not in text and socket.gethostname() not in text, text
    expect(other.locator(".run-status")).to_have_text("succeeded", timeout=60_000)  # the progress went on
    expect(page.locator(".run-status")).to_have_text("succeeded", timeout=60_000)
    expect(page.get_by_role("button", name="Sync now")).to_be_enabled()
    other.close()


def test_advice_fits_the_failure_and_the_console(server, store, workspace, emu, browser_page):
    """A closed period is reopened (never fixed with campaigns); a browser user gets links, not commands."""
    page = browser_page
    ready(page, server, store, [action(1, campaigns=GOOD), action(2, campaigns=["CR 4000"])])
    emu.admin.set_closed_through(emu.credentials["INTACCT_COMPANY_ID"], None, "2026-10-31")
    page.goto(server.url + "/w/helping-hands/actions")
    page.get_by_role("link", name="A-00001").click()
    page.get_by_role("button", name="Sync this action now").click()
    expect(page.locator("#run-result")).to_have_text(re.compile("completed with errors|failed"), timeout=60_000)
    sync_until(page, server.url, "halted")  # A-00002 lacks its debit account
    page.goto(server.url + "/w/helping-hands/review")
    rejected = page.get_by_role("row", name=re.compile("A-00001"))
    expect(rejected).to_contain_text("reopen the period")
    expect(rejected).not_to_contain_text("campaigns")
    invalid = page.get_by_role("row", name=re.compile("A-00002"))
    invalid.get_by_role("link", name="Apply or remove campaigns").first.click()
    expect(page.get_by_role("heading", name="Campaigns")).to_be_visible()
    rejected_page = server.url + "/w/helping-hands/actions?review=true"
    page.goto(rejected_page)
    assert "intacct-bridge " not in page.locator("main").inner_text()  # no command to run


def test_a_browser_user_is_sent_to_settings_not_to_the_cli(server, store, browser_page):
    from intacct_bridge.store.repositories.workspaces import create_workspace

    with store.write_session() as session:
        create_workspace(session, "Helping Hands")
    page = browser_page
    sign_in(page, server.url)
    page.get_by_role("button", name="Sync now").click()
    notice = page.locator("#run-progress")
    expect(notice).to_contain_text("not connected to Sage Intacct yet")
    assert "intacct-bridge" not in notice.inner_text()
    notice.get_by_role("link", name="Open Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()


def test_failing_details_lands_on_the_last_test_result(server, store, emu, browser_page):
    from intacct_bridge.sync.sample_load import create_connected_workspace

    wrong = {**emu.credentials, "INTACCT_USER_PASSWORD": "not the password"}
    create_connected_workspace(store, "Helping Hands", wrong, server.app.state.bridge.box)
    page = browser_page
    sign_in(page, server.url)
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#test-result")).to_contain_text("problems")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("#status")).to_contain_text("Failing")
    page.locator("#status").get_by_role("link", name="Details").click()
    expect(page.locator("#test-result")).to_contain_text("Last test")
    expect(page.locator("#last-test")).to_be_in_viewport()


def test_a_refused_settings_form_keeps_what_was_typed_and_the_journal_is_checked(server, store, workspace,
                                                                                 browser_page):
    page = browser_page
    sign_in(page, server.url)
    page.goto(server.url + "/w/helping-hands/settings")
    page.get_by_role("group", name="Departments").get_by_label("Require").check()
    page.get_by_label("Journal", exact=True).fill("General journal!")
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).to_contain_text("not a journal symbol")
    expect(page.get_by_label("Journal", exact=True)).to_have_value("General journal!")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
    expect(page.get_by_role("group", name="Departments").get_by_label("Require")).to_be_checked()
    page.get_by_label("Journal", exact=True).fill("GJ")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")


CSV_HEADER = "external_id,type,amount,happened_at,created_at,summary,url,constituent_id,constituent_name,campaigns\n"


def test_an_empty_csv_is_refused_and_an_import_opens_at_the_new_actions(server, store, workspace, tmp_path,
                                                                         browser_page):
    page = browser_page
    ready(page, server, store, [action(n) for n in range(1, 61)])
    empty = tmp_path / "empty.csv"
    empty.write_text(CSV_HEADER)
    page.goto(server.url + "/w/helping-hands/actions?status=unposted")
    page.get_by_text("Import actions from a CSV or JSON-lines file").click()
    page.get_by_label("CSV or JSON-lines file (UTF-8)").set_input_files(str(empty))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    expect(page.locator("#import-problems")).to_contain_text("nothing to import")
    expect(page.get_by_role("link", name="Back to where you were")).to_have_attribute(
        "href", "/w/helping-hands/actions?status=unposted")

    two = tmp_path / "two.csv"
    two.write_text(CSV_HEADER + "".join(f"N-{n},donation,5.00,2026-10-02T10:00:00Z,2026-10-02T10:05:00Z,New {n},,"
                                        f"C-1,Person 1,\n" for n in (1, 2)))
    page.goto(server.url + "/w/helping-hands/actions")
    page.get_by_text("Import actions from a CSV or JSON-lines file").click()
    expect(page.get_by_role("link", name="Download the CSV template")).to_have_attribute(
        "href", "/w/helping-hands/actions/template.csv")
    page.get_by_label("CSV or JSON-lines file (UTF-8)").set_input_files(str(two))
    page.get_by_role("button", name="Preview").click()  # issue 14: a preview before anything is imported
    expect(page.get_by_role("status")).to_contain_text("would give 2 actions: 2 new")
    page.goto(server.url + "/w/helping-hands/actions")
    expect(page.get_by_role("link", name="N-1")).to_have_count(0)
    page.get_by_text("Import actions from a CSV or JSON-lines file").click()
    page.get_by_label("CSV or JSON-lines file (UTF-8)").set_input_files(str(two))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported: 2 created")).to_be_visible()
    expect(page.get_by_role("link", name="N-1")).to_be_visible()
    expect(page.get_by_role("link", name="N-2")).to_be_visible()
    expect(page.get_by_role("link", name="A-00001")).to_have_count(0)
    expect(page.get_by_role("link", name="Show every action")).to_be_visible()


def test_a_second_workspace_is_created_and_switched_to_in_the_browser(server, store, workspace, browser_page):
    page = browser_page
    sign_in(page, server.url)
    expect(page.locator(".workspace-name")).to_have_text("Helping Hands")  # the only one opens directly
    page.get_by_role("link", name="Switch workspace").click()
    expect(page.get_by_role("heading", name="Workspaces")).to_be_visible()
    page.get_by_label("Organization name").fill("Second Harvest")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    expect(page.locator(".workspace-name")).to_have_text("Second Harvest")
    page.get_by_role("link", name="Switch workspace").click()
    page.get_by_role("link", name="Helping Hands").click()
    expect(page.locator(".workspace-name")).to_have_text("Helping Hands")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(server.url + "/")
    expect(page.get_by_role("link", name="Second Harvest")).to_be_visible()  # two: the list, no redirect


def test_a_one_action_run_page_shows_its_summary_once(server, store, workspace, emu, browser_page):
    page = browser_page
    ready(page, server, store, [action(1, campaigns=GOOD)])
    emu.admin.set_config(latency_ms=500)  # the run page opens while the run goes on
    page.goto(server.url + "/w/helping-hands/actions")
    page.get_by_role("link", name="A-00001").click()
    page.get_by_role("button", name="Sync this action now").click()
    expect(page.locator("#run-result")).to_have_text("succeeded", timeout=60_000)
    expect(page.locator("#run-items")).to_contain_text("A-00001")
    expect(page.get_by_text(re.compile(r"candidates: \d+ posted"))).to_have_count(0)
    expect(page.locator(".run-progress")).to_have_count(0)
    expect(page.locator("#run-result")).to_have_count(1)


def test_a_dry_run_brings_the_review_queue_up_to_date(server, store, workspace, browser_page):
    """Fixed actions leave the queue and the dashboard's count, new invalid ones join it, without posting."""
    page = browser_page
    ready(page, server, store, [action(1, campaigns=GOOD[:3])])
    sync_until(page, server.url, "halted")
    expect(page.locator("#status")).to_contain_text("1\nneed review")
    page.goto(server.url + "/w/helping-hands/review")
    page.get_by_role("link", name=re.compile("^Fix")).click()
    page.get_by_label("Category").select_option("[Sage Intacct] Locations")
    page.get_by_label("Side").select_option("DR")
    campaign = page.get_by_label("Campaign", exact=True)
    expect(campaign.locator("option").nth(1)).to_have_text(re.compile(r"^Locations: DR 100"))
    campaign.select_option(label=campaign.locator("option").nth(1).inner_text())
    page.get_by_role("button", name="Apply campaign").click()
    expect(page.get_by_text("Campaigns updated.")).to_be_visible()
    import_actions(server, store, workspace, [action(2, campaigns=["CR 4000"])])

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("button", name="Dry run").click()
    expect(page.locator(".run-status")).to_have_text("halted", timeout=60_000)
    expect(page.locator("#status")).to_contain_text("1\nneed review")
    page.goto(server.url + "/w/helping-hands/review")
    expect(page.get_by_role("row", name=re.compile("A-00002"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("A-00001"))).to_have_count(0)
    expect(page.locator("#status")).to_have_count(0)
    page.goto(server.url + "/w/helping-hands")
    expect(page.locator("#status")).to_contain_text("0\nposted")


def test_a_dry_run_page_shows_the_summary_it_would_post_without_scrolling_sideways(server, store, workspace,
                                                                                   browser_page):
    from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
    from intacct_bridge.web.api.deps import find_workspace

    page = browser_page
    ready(page, server, store, [action(1, campaigns=GOOD, external_id=LONG_ID, amount="12.50"),
                                action(2, campaigns=GOOD, amount="7.50")])
    with store.write_session() as session:
        update_settings(session, find_workspace(session, workspace).id,
                        SettingsChange(summary_action_types=["donation"]))
    page.goto(server.url + "/w/helping-hands")
    page.get_by_role("button", name="Dry run").click()
    expect(page.locator(".run-status")).to_have_text("succeeded", timeout=60_000)
    page.goto(server.url + "/w/helping-hands/runs")
    page.get_by_role("link", name=re.compile(r"^#\d+")).first.click()
    preview = page.locator(".summary-preview")
    expect(preview).to_contain_text("Summary entry that would be posted: ib-")
    expect(preview).to_contain_text("debits 20.00, credits 20.00")
    expect(preview.get_by_role("link", name=LONG_ID)).to_be_visible()
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        scroll_width, inner_width = sideways(page)
        assert scroll_width <= inner_width, (viewport, scroll_width)

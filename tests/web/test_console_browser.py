"""The console in headless Chromium (Debian's binary, driven by Playwright), against a live app and the emulator.

The story a finance admin follows: sign in, create the workspace, connect it to the
emulator, test the connection, set the dimension modes, pull, see a sync halt on an
action that needs review, fix it from the review queue with the campaign pickers,
sync now and watch the run finish, with the entries in the emulator's ledger.

Set IB_SCREENSHOTS=/some/dir to keep a screenshot of every page.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from intacct_bridge.store.database import Store
from intacct_bridge.web.access import create_token, create_user
from intacct_bridge.web.server import RunningServer, start_server
from web_helpers import FAST_CLIENT, action

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=20_000)  # the machine is shared: be patient, never flaky

USER, PASSWORD = "finance-admin", "correct horse battery"
GOOD = ["CR 4000", "DR 1100", "Locations: CR 100", "Locations: DR 100"]
ABORTED_BY_HX_SYNC = ("htmx:sendAbort", "htmx:afterRequest")
# An error page a test visits on purpose (a 404, a refused sign-in) is logged by Chromium as a failed load.
CLIENT_ERROR_PAGE = "Failed to load resource: the server responded with a status of 4"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def htmx_settled(page) -> None:
    """Wait until no htmx request, swap or settle is under way (option lists are replaced by htmx)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Debian's chromium is missing; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture
def server(store: Store, emu_operator) -> Iterator[RunningServer]:
    with store.write_session() as session:
        create_user(session, USER, PASSWORD)
    with start_server(store=store, operator=emu_operator, client_options=FAST_CLIENT) as running:
        yield running


@pytest.fixture
def browser_page(server) -> Iterator:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        context.close()
        browser.close()
    # No script error, no Content-Security-Policy violation. (htmx reports the options request a picker
    # cancels when the other select changes — hx-sync replace — as an aborted request: expected.)
    assert [e for e in errors if not e.startswith((*ABORTED_BY_HX_SYNC, CLIENT_ERROR_PAGE))] == []


class Shots:
    """Screenshots into IB_SCREENSHOTS, when set (for looking at the pages, not for asserting)."""

    def __init__(self) -> None:
        folder = os.environ.get("IB_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name: str) -> None:
        if self.folder:
            page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)


def sign_in(page, url: str, shots: Shots | None = None) -> None:
    page.goto(url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    if shots:
        shots(page, "00-login")
    page.get_by_label("User name").fill(USER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def import_actions(server: RunningServer, store: Store, slug: str, actions: list[dict]) -> None:
    """The organization's system sends its actions through the REST API."""
    with store.write_session() as session:
        from intacct_bridge.web.api.deps import find_workspace

        token, _ = create_token(session, find_workspace(session, slug).id, "crm")
    response = httpx.post(f"{server.url}/api/v1/workspaces/{slug}/actions/bulk", json={"actions": actions},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


def test_the_finance_admin_story(server, store, emu, browser_page):
    page, shots = browser_page, Shots()
    sign_in(page, server.url, shots)
    expect(page.get_by_role("heading", name="Workspaces")).to_be_visible()
    shots(page, "01-workspaces")

    page.get_by_label("Organization name").fill("Helping Hands")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    creds = emu.credentials
    page.get_by_label("Company ID").fill(creds["INTACCT_COMPANY_ID"])
    page.get_by_label("User ID").fill(creds["INTACCT_USER_ID"])
    page.get_by_label("Password").fill(creds["INTACCT_USER_PASSWORD"])
    page.get_by_label("Endpoint URL").fill(creds["INTACCT_ENDPOINT"])
    page.get_by_role("button", name="Save credentials").click()
    expect(page.get_by_text("Credentials saved.")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_value("")  # write-only: never sent back
    assert creds["INTACCT_USER_PASSWORD"] not in page.content()

    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#test-result")).to_contain_text("Connected: every check passed.")
    shots(page, "02-settings-tested")

    locations = page.get_by_role("group", name="Locations")
    locations.get_by_label("Require").check()
    page.get_by_role("group", name="Departments").get_by_label("Available").check()
    page.get_by_role("radio", name=re.compile("^Batching")).check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.get_by_role("group", name="Locations").get_by_label("Require")).to_be_checked()

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("button", name="Pull accounts and dimensions").click()
    expect(page.locator("#run-progress")).to_contain_text("campaigns created")

    import_actions(server, store, "helping-hands",
                   [action(n, campaigns=GOOD) for n in range(1, 4)] + [action(4, campaigns=GOOD[:3])])
    page.reload()
    expect(page.locator("#status")).to_contain_text("4\nwaiting")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".run-status")).to_have_text("halted")
    expect(page.locator("#status")).to_contain_text("1\nneed review")
    shots(page, "03-dashboard-halted")

    page.get_by_role("link", name="Review queue").click()
    row = page.get_by_role("row", name=re.compile("A-00004"))
    expect(row).to_contain_text("location")
    shots(page, "04-review-queue")
    row.get_by_role("link", name=re.compile("^Fix")).click()
    expect(page.get_by_role("heading", name="Needs review")).to_be_visible()
    page.get_by_label("Category").select_option("[Sage Intacct] Locations")
    page.get_by_label("Side").select_option("DR")
    campaign = page.get_by_label("Campaign", exact=True)
    expect(campaign.locator("option").nth(1)).to_have_text(re.compile(r"^Locations: DR 100"))
    htmx_settled(page)
    campaign.select_option(label=campaign.locator("option").nth(1).inner_text())
    shots(page, "05-action-fix")
    page.get_by_role("button", name="Apply campaign").click()
    expect(page.get_by_text("Campaigns updated.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^DR 100"))).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    emu.admin.set_config(latency_ms=250)  # slow Intacct down to watch the run's live progress
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".run-progress progress")).to_be_visible()
    expect(page.locator(".run-status")).to_have_text("running")
    shots(page, "06-dashboard-running")
    expect(page.locator(".run-status")).to_have_text("succeeded", timeout=60_000)
    expect(page.locator(".run-progress progress")).to_have_count(0)
    expect(page.locator("#status")).to_contain_text("4\nposted")
    shots(page, "07-dashboard-succeeded")
    assert len(emu.admin.ledger("helping-hands", "GLBATCH")) == 4

    page.get_by_role("link", name="Runs").click()
    expect(page.get_by_role("row")).to_have_count(3)  # header and two runs
    shots(page, "08-runs")
    page.get_by_role("link", name=re.compile(r"^#\d+")).first.click()
    expect(page.locator("#run-items")).to_contain_text("posted")
    shots(page, "09-run")
    page.get_by_role("link", name="Actions").click()
    shots(page, "10-actions")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Dashboard").click()
    shots(page, "11-dashboard-phone")


def test_bulk_campaigns_from_the_actions_table_and_sync_one_action(server, store, emu, browser_page):
    from intacct_bridge.sync.sample_load import create_connected_workspace

    create_connected_workspace(store, "Helping Hands", emu.credentials,
                               server.app.state.bridge.box)
    page = browser_page
    sign_in(page, server.url)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("button", name="Pull accounts and dimensions").click()
    expect(page.locator("#run-progress")).to_contain_text("campaigns created")
    import_actions(server, store, "helping-hands", [action(n, campaigns=["CR 4000", "DR 1100"]) for n in (1, 2, 3)])

    page.get_by_role("link", name="Actions").click()
    for side in ("CR", "DR"):
        page.get_by_label("Select A-00001").check()
        page.get_by_label("Select A-00002").check()
        page.get_by_label("Category").select_option("[Sage Intacct] Locations")
        page.get_by_label("Side").select_option(side)
        campaign = page.get_by_label("Campaign", exact=True)
        expect(campaign.locator("option").nth(1)).to_have_text(re.compile(f"{side} 100"))
        htmx_settled(page)  # the category's and the side's option lists arrive one after the other
        campaign.select_option(label=campaign.locator("option").nth(1).inner_text())
        page.get_by_role("button", name="Apply campaign").click()
        expect(page.get_by_text("Campaigns updated.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("A-00002"))).to_contain_text("DR 100")

    page.get_by_label("Search").fill("A-00002")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row")).to_have_count(2)
    page.get_by_role("link", name="A-00002").click()
    page.get_by_role("button", name="Sync this action now").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Run #\d+"))).to_be_visible()
    expect(page.locator("#run-result")).to_have_text("succeeded", timeout=60_000)
    expect(page.locator("#run-items")).to_contain_text("A-00002")
    ledger = emu.admin.ledger("helping-hands", "GLBATCH")
    assert len(ledger) == 1


def test_api_docs_render_without_any_outside_request(server, browser_page):
    page, requests = browser_page, []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server.url + "/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 30
    assert [url for url in requests if not url.startswith(server.url)] == []


def assert_no_sideways_scroll(page, path: str) -> None:
    page.goto(path)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], (path, widths)


def test_an_invoice_held_for_a_setting_is_fixed_in_settings_and_synced_alone(server, store, emu, emu_operator,
                                                                             browser_page):
    """Invoices → the held invoice's reasons → Settings → Order to cash → Sync this invoice now → posted."""
    from intacct_bridge.api import Bridge
    from intacct_bridge.store.repositories.receivables import update_receivables_settings
    from intacct_bridge.sync.sample_load import create_connected_workspace

    ws_id = create_connected_workspace(store, "Helping Hands", emu.credentials, server.app.state.bridge.box)
    with store.write_session() as session:
        update_receivables_settings(session, ws_id, {"revenue_account": "4600", "undeposited_account": "1100"})
    bridge = Bridge(store, ws_id, emu_operator)
    bridge.import_customers([{"external_id": "shop-1", "name": "Jane Alvarez"},
                             {"external_id": "shop-2", "name": "Ada Lovelace", "email": "ada@example.org"}])
    bridge.import_invoices([
        {"external_id": "o1", "number": "SHOP-1001", "customer": "shop-2", "date": "2026-11-02",
         "due_date": "2026-12-02", "shipping": "5.00",
         "lines": [{"gl_account": "4600", "quantity": "2", "price": "10.00", "description": "T-shirt"}]},
        {"external_id": "o2", "number": "SHOP-1002", "customer": "shop-1", "date": "2026-11-03",
         "due_date": "2026-12-03", "lines": [{"gl_account": "4600", "quantity": "1", "price": "40.00"}]},
    ])
    bridge.import_payments([{"external_id": "p1", "customer": "shop-1", "date": "2026-11-10", "amount": "40.00",
                             "method": "card", "applications": [{"invoice": "o2", "amount": "40.00"}]}])
    page, shots = browser_page, Shots()
    sign_in(page, server.url)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".run-status")).to_have_text("completed with errors", timeout=60_000)

    page.get_by_role("link", name="Invoices").click()
    held = page.get_by_role("row", name=re.compile("SHOP-1001"))
    expect(held).to_contain_text("needs review")
    expect(page.get_by_role("row", name=re.compile("SHOP-1002"))).to_contain_text("posted")
    page.get_by_label("Needs review only").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the held invoice
    shots(page, "20-invoices-held")
    page.get_by_role("link", name="o1").click()
    review = page.locator("#review")
    expect(page.get_by_role("heading", name="Needs review")).to_be_visible()
    expect(review).to_contain_text("set the shipping GL account in the order-to-cash settings")
    expect(page.locator("#lines")).to_contain_text("T-shirt")
    shots(page, "21-invoice-held")

    review.get_by_role("link", name="Open the order-to-cash settings").click()
    expect(page.get_by_role("heading", name="Order to cash")).to_be_visible()
    expect(page.get_by_label("Shipping GL account")).to_be_in_viewport()
    page.get_by_label("Shipping GL account").fill("4500")
    customers_gate = page.get_by_role("group", name="Customers", exact=True)
    customers_gate.get_by_role("radio", name=re.compile("^Halt")).check()
    shots(page, "22-o2c-settings")
    page.get_by_role("button", name="Save order-to-cash settings").click()
    expect(page.get_by_text("Order-to-cash settings saved.")).to_be_visible()
    expect(page.get_by_label("Shipping GL account")).to_have_value("4500")
    expect(customers_gate.get_by_role("radio", name=re.compile("^Halt"))).to_be_checked()

    page.get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name="o1").click()
    expect(page.locator("#review")).to_contain_text("passes every check")
    page.get_by_role("button", name="Sync this invoice now").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Run #\d+"))).to_be_visible()
    expect(page.locator("#run-result")).to_have_text("succeeded", timeout=60_000)
    expect(page.locator("#run-items")).to_contain_text("o1")
    shots(page, "23-run-one-invoice")
    page.locator("#run-items").get_by_role("link", name="o1").click()
    expect(page.locator(".facts").first).to_contain_text("posted")
    expect(page.locator("#review")).to_have_count(0)
    expect(page.get_by_role("button", name="Sync this invoice now")).to_have_count(0)
    expect(page.locator("#history")).to_contain_text("posted")
    posted = [i for i in emu.admin.ledger("helping-hands", "ARINVOICE") if i.get("CUSTOMERID") == "C-shop-2"]
    assert len(posted) == 1

    invoice_url, run_url = page.url, page.locator("#history a").first.get_attribute("href")
    page.get_by_role("link", name="Payments").click()
    page.get_by_role("link", name="p1").click()
    payment_url = page.url
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("invoice", "run", "payment", "invoices", "payments", "customers", "credit-memos",
                 "settings/order-to-cash"):
        url = {"invoice": invoice_url, "run": server.url + run_url, "payment": payment_url}.get(
            name, f"{server.url}/w/helping-hands/{name}")
        assert_no_sideways_scroll(page, url)
        shots(page, "24-phone-" + name.replace("/", "-"))

"""The console's Errors page (grouped by class with the fix, bulk retry and resolve) and Notifications settings."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from test_api_runs import GOOD
from web_helpers import action, connect_to_emulator, console_client, csrf_of, make_workspace, sign_in


@pytest.fixture
def browser(store, emu_operator):
    with console_client(store, emu_operator) as client:
        yield client


def test_errors_page_groups_by_class_and_retries_or_resolves_in_bulk(browser, store, emu):
    api = make_workspace(browser, store, "Helping Hands")
    connect_to_emulator(api, emu)
    assert api.patch(api.ws("/settings"), json={"location_mode": "require"}).status_code == 200
    assert api.post(api.ws("/pull")).status_code == 200
    api.post(api.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD) for n in (1, 2)]})
    emu.admin.set_closed_through("helping-hands", None, date.today() + timedelta(days=1))
    api.wait_for_run(api.post(api.ws("/runs")).json()["run_id"])
    sign_in(browser)

    shown = browser.get("/w/helping-hands/errors")
    assert shown.status_code == 200
    assert "Closed period" in shown.text and "reopen the period in Intacct" in shown.text
    ids = re.findall(r'name="error_ids" value="(\d+)"', shown.text)
    assert len(ids) == 2
    assert "No errors match" in browser.get("/w/helping-hands/errors?class=permission").text

    token = csrf_of(browser, "/w/helping-hands/errors")
    assert browser.post("/w/helping-hands/errors", data={"op": "resolve", "csrf_token": token}).status_code == 422
    refused = browser.post("/w/helping-hands/errors", data={"op": "resolve", "error_ids": [ids[0]],
                                                            "csrf_token": token})
    assert refused.status_code == 409 and "say why" in refused.text
    forged = browser.post("/w/helping-hands/errors", data={"op": "resolve", "error_ids": [ids[0]], "reason": "x"})
    assert forged.status_code == 403
    resolved = browser.post("/w/helping-hands/errors", data={"op": "resolve", "error_ids": [ids[0]],
                                                             "reason": "entered by hand", "csrf_token": token})
    assert resolved.status_code == 303 and resolved.headers["location"].endswith("/errors?done=resolved")
    assert "resolved by console:" in browser.get("/w/helping-hands/errors?state=resolved").text

    emu.admin.set_closed_through("helping-hands", None, date(2000, 1, 1))
    retried = browser.post("/w/helping-hands/errors", data={"op": "retry", "error_ids": [ids[1]], "sync": "true",
                                                            "csrf_token": token})
    assert retried.status_code == 303 and "/runs/" in retried.headers["location"]
    run = api.wait_for_run(int(retried.headers["location"].rsplit("/", 1)[1]))
    assert run["posted"] == 1
    assert "No errors in the queue" in browser.get("/w/helping-hands/errors").text


def test_notification_settings_keep_the_secret_write_only(browser, store):
    make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, "/w/alpha-org/settings/notifications")
    saved = browser.post("/w/alpha-org/settings/notifications", data={
        "email_recipients": "ap@example.org\nops@example.org", "webhook_url": "https://93.184.216.34/hook",
        "webhook_secret": "s3cret-s3cret-s3cret", "events": ["run.failed", "run.halted"], "csrf_token": token})
    assert saved.status_code == 303, saved.text
    shown = browser.get("/w/alpha-org/settings/notifications")
    assert "ops@example.org" in shown.text and "(set; leave empty to keep it)" in shown.text
    assert "s3cret" not in shown.text and 'value="run.failed" checked' in shown.text
    assert 'value="record.posted" checked' not in shown.text
    private = browser.post("/w/alpha-org/settings/notifications", data={
        "webhook_url": "http://192.168.1.10/hook", "csrf_token": token})
    assert private.status_code == 409 and "private" in private.text

"""Reconciliation over REST (OpenAPI) and on the console's Reconcile page, against the emulator."""

from __future__ import annotations

import pytest

from test_api_runs import GOOD
from web_helpers import action, connect_to_emulator, console_client, csrf_of, make_workspace, save_sync_form, sign_in

COMPANY = "helping-hands"


@pytest.fixture
def browser(store, emu_operator):
    with console_client(store, emu_operator) as client:
        yield client


def _posted(browser, store, emu, count: int = 3):
    api = make_workspace(browser, store, "Helping Hands")
    connect_to_emulator(api, emu)
    assert api.patch(api.ws("/settings"), json={"location_mode": "require"}).status_code == 200
    assert api.post(api.ws("/pull")).status_code == 200
    api.post(api.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD) for n in range(1, count + 1)]})
    assert api.wait_for_run(api.post(api.ws("/runs")).json()["run_id"])["posted"] == count
    return api


def test_reconcile_over_rest_reports_no_drift_then_a_deleted_entry(browser, store, emu):
    api = _posted(browser, store, emu)
    clean = api.post(api.ws("/reconcile"), json={})
    assert clean.status_code == 200, clean.text
    body = clean.json()
    assert body["drift"] is False and body["compared"] == body["matched"] == 3
    assert body["kinds"][0] == "journal_entry" and {"customer", "invoice", "bill", "item"} <= set(body["kinds"])
    assert body["by_kind"]["journal_entry"] == {"compared": 3, "matched": 3, "missing": 0, "changed": 0,
                                                "unrecorded": 0}
    assert body["by_kind"]["vendor"]["compared"] == 0
    assert all(t["difference"] == "0.00" for t in body["totals"]) and body["requests"] >= 2

    gone = emu.admin.ledger(COMPANY, "GLBATCH")[0]
    emu.admin.delete_record(COMPANY, "GLBATCH", gone["RECORDNO"])
    drifted = api.post(api.ws("/reconcile"), json={"kinds": ["actions"]}).json()
    assert drifted["drift"] is True and [m["reference"] for m in drifted["missing"]] == [gone["REFERENCENO"]]
    assert drifted["missing"][0]["lines"][0]["dimensions"] == {"LOCATION": "100"}
    assert {t["difference"] for t in drifted["totals"]} == {"-100.00"}

    assert api.post(api.ws("/reconcile"), json={"kinds": ["vendors"]}).json()["drift"] is False
    assert api.post(api.ws("/reconcile"), json={"kinds": ["donkeys"]}).status_code == 422
    assert api.post(api.ws("/reconcile"), json={"since": "not a date"}).status_code == 422
    schema = browser.get("/api/v1/openapi.json").json()
    assert "/workspaces/{workspace}/reconcile" in schema["paths"]


def test_the_console_reconcile_page_shows_what_changed_in_intacct(browser, store, emu):
    _posted(browser, store, emu, count=2)
    changed = emu.admin.ledger(COMPANY, "GLBATCH")[0]
    emu.admin.update_record(COMPANY, "GLBATCH", changed["RECORDNO"],
                            lines=[{"line": 0, "fields": {"LOCATION": "200"}}])
    sign_in(browser)

    form = browser.get("/w/helping-hands/reconcile")
    assert form.status_code == 200 and "Reconcile now" in form.text and 'value="journal_entry"' in form.text
    token = csrf_of(browser, "/w/helping-hands/reconcile")
    assert browser.post("/w/helping-hands/reconcile", data={}).status_code == 403   # no CSRF token
    shown = browser.post("/w/helping-hands/reconcile", data={"csrf_token": token})
    assert shown.status_code == 200
    assert "Drift found" in shown.text and "Changed in Intacct" in shown.text
    assert changed["REFERENCENO"] in shown.text and "LOCATION=200" in shown.text and "Totals that differ" in shown.text
    assert "By kind" in shown.text and 'value="ap_adjustment"' in form.text


def test_the_console_settings_choose_reversals(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    assert 'name="posted_changes" value="refuse" checked' in browser.get(f"/w/{ws.slug}/settings").text
    saved = save_sync_form(browser, ws.slug, posted_changes="reverse", reversal_date="change")
    assert saved.status_code == 303
    shown = browser.get(f"/w/{ws.slug}/settings").text
    assert 'name="posted_changes" value="reverse" checked' in shown and 'name="reversal_date" value="change" checked' in shown
    assert ws.get(ws.ws("/settings")).json()["reversal_date"] == "change"


def test_the_reconcile_schedule_over_rest_and_console_and_a_recorded_reconciliation_is_shown(browser, store, emu,
                                                                                            emu_operator):
    from intacct_bridge.sync.context import client_factory
    from intacct_bridge.sync.scheduled_reconcile import AFTER_SYNC, run_reconciliation

    api = _posted(browser, store, emu, count=2)
    refused = api.patch(api.ws("/settings"), json={"reconcile_schedule": "daily"})
    assert refused.status_code == 409 and "needs a time" in refused.text
    saved = api.patch(api.ws("/settings"), json={"reconcile_schedule": "daily", "reconcile_time": "06:30"})
    assert saved.status_code == 200, saved.text
    assert (saved.json()["reconcile_schedule"], saved.json()["reconcile_time"]) == ("daily", "06:30:00")
    assert api.patch(api.ws("/settings"), json={"reconcile_schedule": "hourly"}).status_code == 422

    sign_in(browser)
    slug = api.slug
    assert 'name="reconcile_schedule" value="daily" checked' in browser.get(f"/w/{slug}/settings").text
    assert save_sync_form(browser, slug, reconcile_schedule="after_sync").status_code == 303
    assert api.get(api.ws("/settings")).json()["reconcile_schedule"] == "after_sync"

    gone = emu.admin.ledger(COMPANY, "GLBATCH")[0]
    emu.admin.delete_record(COMPANY, "GLBATCH", gone["RECORDNO"])
    workspace_id = api.workspace_id
    recorded = run_reconciliation(store, workspace_id, client_factory(store, workspace_id, emu_operator),
                                  trigger=AFTER_SYNC, sync_run_id=None)
    listed = api.get(api.ws("/reconciliations")).json()
    assert [r["id"] for r in listed] == [recorded] and listed[0]["drift"] is True
    one = api.get(api.ws(f"/reconciliations/{recorded}")).json()
    assert one["summary"]["missing"] == 1 and one["summary"]["by_kind"]["journal_entry"]["missing"] == 1
    assert api.get(api.ws("/reconciliations/999")).status_code == 404
    page = browser.get(f"/w/{slug}/reconcile/runs/{recorded}")
    assert page.status_code == 200 and "Drift found" in page.text and gone["REFERENCENO"] in page.text
    assert f"/reconcile/runs/{recorded}" in browser.get(f"/w/{slug}/reconcile").text

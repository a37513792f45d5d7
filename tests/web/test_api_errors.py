"""The error queue and notifications over the REST API, against the emulator."""

from __future__ import annotations

from datetime import date, timedelta

from test_api_runs import GOOD, hh  # noqa: F401  (the connected, pulled workspace fixture)
from web_helpers import action


def test_errors_are_listed_by_class_resolved_and_retried_in_bulk(hh, emu):
    added = hh.post(hh.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD) for n in (1, 2, 3)]})
    assert added.status_code in (200, 201), added.text
    emu.admin.set_closed_through("helping-hands", None, date.today() + timedelta(days=1))  # whatever date posts
    run = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert run["status"] == "completed_with_errors", run

    page = hh.get(hh.ws("/errors"), params={"class": "closed_period", "kind": "actions"})
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    assert len(items) == 3 and all(i["error_class"] == "closed_period" and i["held"] for i in items)
    assert "reopen the period" in items[0]["fix"] and "campaign" not in items[0]["reasons"][0]["fix"]
    assert hh.get(hh.ws("/errors"), params={"class": "permission"}).json()["items"] == []
    assert hh.get(hh.ws("/errors"), params={"class": "nope"}).status_code == 422
    assert hh.get(hh.ws("/errors/counts")).json()["open_by_class"]["closed_period"] == 3
    assert hh.get(hh.ws(f"/errors/{items[0]['id']}")).json()["record_id"] == items[0]["record_id"]
    assert hh.get(hh.ws("/errors/999999")).status_code == 404

    assert hh.post(hh.ws("/errors/resolve"), json={"ids": [items[0]["id"]]}).status_code == 422  # no reason
    assert hh.post(hh.ws("/errors/resolve"), json={"reason": "x"}).status_code == 422            # nothing chosen
    resolved = hh.post(hh.ws("/errors/resolve"), json={"ids": [items[0]["id"]], "reason": "entered by hand"})
    assert resolved.status_code == 200 and resolved.json()["count"] == 1
    (gone,) = hh.get(hh.ws("/errors"), params={"state": "resolved"}).json()["items"]
    assert gone["resolution"] == "entered by hand" and gone["resolved_by"].startswith("api-token:")

    emu.admin.set_closed_through("helping-hands", None, date(2000, 1, 1))
    retried = hh.post(hh.ws("/errors/retry"), json={"classes": ["closed_period"]})
    assert retried.status_code == 200 and retried.json()["count"] == 2, retried.text
    again = hh.wait_for_run(retried.json()["run_id"])
    assert again["status"] == "succeeded" and again["posted"] == 2
    assert len(emu.admin.ledger("helping-hands", "GLBATCH")) == 2
    assert hh.get(hh.ws("/errors")).json()["items"] == []


def test_notification_settings_never_return_the_secret_and_refuse_private_webhooks(hh):
    saved = hh.put(hh.ws("/notifications"), json={
        "email_recipients": ["ap@example.org"], "webhook_url": "https://93.184.216.34/hook",
        "webhook_secret": "s3cret-s3cret-s3cret", "events": ["run.failed", "record.posted"]})
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"email_recipients": ["ap@example.org"], "webhook_url": "https://93.184.216.34/hook",
                            "webhook_secret_set": True, "events": ["run.failed", "record.posted"]}
    assert "s3cret" not in hh.get(hh.ws("/notifications")).text
    private = hh.put(hh.ws("/notifications"), json={"webhook_url": "http://127.0.0.1:8080/hook"})
    assert private.status_code == 409 and "private" in private.text
    assert hh.put(hh.ws("/notifications"), json={"events": ["nope"]}).status_code == 409
    assert hh.put(hh.ws("/notifications"), json={"email_recipients": ["not an address"]}).status_code == 409
    assert hh.get(hh.ws("/notifications/deliveries")).json() == []
    assert hh.post(hh.ws("/notifications/deliver")).json() == {"delivered": 0, "retrying": 0, "failed": 0}

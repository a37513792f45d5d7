"""Runs over the API against the emulator: pull, 202 and a background run, dry run, review, one action, status."""

from __future__ import annotations

import time

import pytest

from web_helpers import Api, action, connect_to_emulator, make_workspace

GOOD = ["CR 4000", "DR 1100", "Locations: CR 100", "Locations: DR 100"]


@pytest.fixture
def hh(emu_client, store, emu, request) -> Api:
    """A connected, pulled workspace; over the API of the `wire` fixture when the test takes it (else XML)."""
    api = make_workspace(emu_client, store, "Helping Hands")
    connect_to_emulator(api, emu, request.getfixturevalue("wire") if "wire" in request.fixturenames else "xml")
    assert api.patch(api.ws("/settings"), json={"location_mode": "require"}).status_code == 200
    pulled = api.post(api.ws("/pull"))
    assert pulled.status_code == 200 and pulled.json()["created"] > 0, pulled.text
    return api


def ledger(emu) -> dict[str, dict]:
    return {e["REFERENCENO"]: e for e in emu.admin.ledger("helping-hands", "GLBATCH")}


def test_pull_creates_campaigns_listed_by_category_and_side(hh):
    names = {c["name"] for c in hh.get(hh.ws("/campaign-categories")).json()}
    assert {"[Sage Intacct] Accounts", "[Sage Intacct] Locations"} <= names
    credits = hh.get(hh.ws("/campaigns"), params={"category": "Locations", "side": "CR"}).json()
    assert credits and all(c["side"] == "CR" and c["category"] == "[Sage Intacct] Locations" for c in credits)


def test_sync_runs_in_the_background_and_posts_to_the_ledger(wire, hh, emu):
    hh.post(hh.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD) for n in range(1, 6)]})
    started = hh.post(hh.ws("/runs"), json={})
    assert started.status_code == 202
    run_id = started.json()["run_id"]
    assert started.json()["status_url"].endswith(f"/api/v1/workspaces/{hh.slug}/runs/{run_id}")
    run = hh.wait_for_run(run_id)
    assert run["status"] == "succeeded" and run["posted"] == 5, run
    assert [i["outcome"] for i in run["items"]] == ["posted"] * 5
    assert len(ledger(emu)) == 5
    posted = hh.get(hh.ws("/actions"), params={"status": "posted"}).json()["items"]
    assert len(posted) == 5 and all(a["intacct_recordno"] for a in posted)
    status = hh.get(hh.ws("/status")).json()
    assert status["last_run"]["id"] == run_id and status["actions"] == {"posted": 5} and status["needs_review"] == 0
    history = hh.get(hh.ws("/runs")).json()["items"]
    assert history[0]["id"] == run_id
    again = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert again["posted"] == 0 and len(ledger(emu)) == 5  # exactly once


def test_invalid_action_halts_and_lands_in_the_review_queue_then_syncs_alone(wire, hh, emu):
    hh.post(hh.ws("/actions/bulk"), json={"actions": [action(1, campaigns=GOOD), action(2, campaigns=GOOD[:3])]})
    dry = hh.wait_for_run(hh.post(hh.ws("/runs"), json={"dry_run": True}).json()["run_id"])
    assert dry["dry_run"] is True and dry["invalid"] == 1 and ledger(emu) == {}
    halted = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert halted["status"] == "halted" and ledger(emu) == {}
    queue = hh.get(hh.ws("/review-queue")).json()["items"]
    assert [q["external_id"] for q in queue] == ["A-00002"] and queue[0]["reasons"][0]["message"]
    flagged = hh.get(hh.ws(f"/actions/{queue[0]['action_id']}")).json()
    assert flagged["needs_review"] and flagged["review_reasons"]
    hh.patch(hh.ws(f"/actions/{flagged['id']}/campaigns"), json={"add": ["Locations: DR 100"]})
    one = hh.post(hh.ws(f"/actions/{flagged['id']}/sync"))
    assert one.status_code == 202
    run = hh.wait_for_run(one.json()["run_id"])
    assert run["status"] == "succeeded" and run["only_action_id"] == flagged["id"] and run["posted"] == 1
    assert len(ledger(emu)) == 1
    assert hh.get(hh.ws("/review-queue")).json()["items"] == []


def test_run_detail_pages_by_cursor_and_filters_by_outcome(hh):
    hh.post(hh.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD) for n in range(1, 8)]})
    run_id = hh.post(hh.ws("/runs")).json()["run_id"]
    hh.wait_for_run(run_id)
    first = hh.get(hh.ws(f"/runs/{run_id}"), params={"limit": 4}).json()
    rest = hh.get(hh.ws(f"/runs/{run_id}"), params={"limit": 4, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 4 and len(rest["items"]) == 3 and rest["next_cursor"] is None
    assert hh.get(hh.ws(f"/runs/{run_id}"), params={"outcome": "failed"}).json()["items"] == []
    assert hh.get(hh.ws("/runs/999999")).status_code == 404


def test_a_run_needs_a_connection(emu_client, store):
    api = make_workspace(emu_client, store, "Unconnected")
    response = api.post(api.ws("/runs"))
    assert response.status_code == 409 and "connect" in response.json()["detail"]
    assert api.post(api.ws("/pull")).status_code == 409


def test_pull_with_a_missing_permission_explains_it(emu_client, store, emu):
    api = make_workspace(emu_client, store, "Limited")
    api.put(api.ws("/connection"), json={"company_id": "helping-hands", "user_id": "ws_limited",
                                         "password": "demo-user-pw", "endpoint": emu.url})
    api.patch(api.ws("/settings"), json={"class_mode": "require"})
    response = api.post(api.ws("/pull"))
    assert response.status_code == 409 and "cannot read Classes" in response.json()["detail"]


def test_progress_of_a_running_run_is_reported(hh, emu):
    hh.post(hh.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD) for n in range(1, 601)]})
    emu.admin.set_config(latency_ms=150)
    run_id = hh.post(hh.ws("/runs")).json()["run_id"]
    seen = []
    while (body := hh.get(hh.ws(f"/runs/{run_id}")).json())["status"] == "running":
        if body["progress"]:
            seen.append((body["progress"]["phase"], body["progress"]["done"], body["progress"]["total"]))
        time.sleep(0.05)
    assert body["status"] == "succeeded" and body["posted"] == 600 and body["progress"] is None
    assert any(phase == "post" and 0 < done < total == 600 for phase, done, total in seen), seen

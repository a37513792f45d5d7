"""Summary posting over REST against the emulator, through the real importer and delete: donations posted as one
summary; an edit and a delete after posting reversed share by share; the summary never edited; no drift."""

from __future__ import annotations

import pytest

from web_helpers import action, connect_to_emulator, console_client, make_workspace, sign_in

COMPANY = "helping-hands"
GOOD = ["CR 4000", "DR 1100", "Locations: CR 100", "Locations: DR 100"]


@pytest.fixture
def hh(emu_client, store, emu):
    api = make_workspace(emu_client, store, "Helping Hands")
    connect_to_emulator(api, emu)
    assert api.patch(api.ws("/settings"), json={"location_mode": "require", "posted_changes": "reverse",
                                                "summary_action_types": ["donation"]}).status_code == 200
    assert api.post(api.ws("/pull")).status_code == 200
    return api


def _sides(entry) -> list[tuple[str, str, str]]:
    return sorted((line["ACCOUNTNO"], line["TR_TYPE"], line["TRX_AMOUNT"]) for line in entry["ENTRIES"])


def test_donations_post_as_one_summary_and_edits_reverse_their_share(hh, emu):
    hh.post(hh.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD, amount=f"{n}0.00") for n in (1, 2, 3)]
                                          + [action(4, campaigns=GOOD, type="ticket")]})
    run = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert run["status"] == "succeeded", run
    ledger = {e["REFERENCENO"]: e for e in emu.admin.ledger(COMPANY, "GLBATCH")}
    assert len(ledger) == 2   # one summary of three donations, the ticket on its own
    [summary] = hh.get(hh.ws("/summaries")).json()["items"]
    assert summary["action_count"] == 3 and summary["debit_total"] == "60.00" and summary["status"] == "posted"
    assert _sides(ledger[summary["reference"]]) == [("1100", "1", "60.00"), ("4000", "-1", "60.00")]
    assert [a["external_id"] for a in hh.get(hh.ws(f"/summaries/{summary['id']}")).json()["actions"]] == [
        "A-00001", "A-00002", "A-00003"]

    assert hh.post(hh.ws("/actions/bulk"),
                   json={"actions": [action(1, campaigns=GOOD, amount="15.00")]}).status_code == 200
    assert hh.delete(hh.ws("/actions/2")).status_code == 204
    run = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert run["status"] == "succeeded", run

    entries = {e["REFERENCENO"]: e for e in emu.admin.ledger(COMPANY, "GLBATCH")}
    assert len(entries) == 5   # + two share reversals and a new summary of the corrected donation
    assert _sides(entries[summary["reference"]]) == [("1100", "1", "60.00"), ("4000", "-1", "60.00")]
    reversals = sorted(_sides(e) for ref, e in entries.items() if "-rev" in ref)
    assert reversals == [[("1100", "-1", "10.00"), ("4000", "1", "10.00")],
                         [("1100", "-1", "20.00"), ("4000", "1", "20.00")]]
    assert all(summary["reference"] in e["BATCH_TITLE"] for ref, e in entries.items() if "-rev" in ref)
    summaries = hh.get(hh.ws("/summaries")).json()["items"]
    assert [(s["action_count"], s["debit_total"]) for s in summaries] == [(3, "60.00"), (1, "15.00")]
    held = {a["external_id"]: a for a in hh.get(hh.ws(f"/summaries/{summary['id']}")).json()["actions"]}
    assert (held["A-00001"]["still_held"], held["A-00002"]["status"], held["A-00003"]["still_held"]) == (
        False, "withdrawn", True)
    first = hh.get(hh.ws("/actions/1")).json()
    assert first["summary_id"] == summaries[1]["id"] and first["status"] == "posted"
    assert [v["kind"] for v in hh.get(hh.ws("/actions/1/versions")).json()] == ["summary", "reversal", "summary"]

    again = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert again["posted"] == 0 and len(emu.admin.ledger(COMPANY, "GLBATCH")) == 5
    assert hh.post(hh.ws("/reconcile"), json={}).json()["drift"] is False


def test_a_dry_run_over_rest_and_on_the_run_page_shows_the_summary_it_would_post(hh, emu, store, emu_operator):
    hh.post(hh.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD, amount=f"{n}0.00") for n in (1, 2, 3)]
                                          + [action(4, campaigns=GOOD, type="ticket")]})
    run = hh.wait_for_run(hh.post(hh.ws("/runs"), json={"dry_run": True}).json()["run_id"])

    assert run["status"] == "succeeded" and run["dry_run"], run
    assert emu.admin.ledger(COMPANY, "GLBATCH") == [] and hh.get(hh.ws("/summaries")).json()["items"] == []
    [preview] = run["summaries"]
    assert preview["journal"] == "GJ" and preview["debit_total"] == "60.00" == preview["credit_total"]
    assert [(l["account"], l["side"], l["amount"], l["dimensions"], l["actions"]) for l in preview["lines"]] == [
        ("1100", "debit", "60.00", {"LOCATION": "100"}, ["A-00001", "A-00002", "A-00003"]),
        ("4000", "credit", "60.00", {"LOCATION": "100"}, ["A-00001", "A-00002", "A-00003"])]
    assert [(h["external_id"], h["amount"]) for h in preview["holds"]] == [
        ("A-00001", "10.00"), ("A-00002", "20.00"), ("A-00003", "30.00")]
    items = {i["external_id"]: i for i in run["items"]}
    assert preview["reference"] in items["A-00001"]["message"] and items["A-00004"]["outcome"] == "would_post"
    assert hh.get(hh.ws("/actions/1")).json()["summary_id"] is None

    with console_client(store, emu_operator) as console:
        sign_in(console)
        page = console.get(f"/w/{hh.slug}/runs/{run['id']}").text
    assert f"Summary entry that would be posted: {preview['reference']}" in page
    assert "debits 60.00, credits 60.00" in page and ">A-00002</a> 20.00" in page

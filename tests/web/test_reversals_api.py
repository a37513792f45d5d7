"""Edits and deletes after posting, over REST against the emulator: a reversal, then the corrected entry."""

from __future__ import annotations

from datetime import date

import pytest

from test_api_runs import GOOD
from web_helpers import action, connect_to_emulator, make_workspace

COMPANY = "helping-hands"


@pytest.fixture
def hh(emu_client, store, emu):
    api = make_workspace(emu_client, store, "Helping Hands")
    connect_to_emulator(api, emu)
    assert api.patch(api.ws("/settings"), json={"location_mode": "require"}).status_code == 200
    assert api.post(api.ws("/pull")).status_code == 200
    api.post(api.ws("/actions/bulk"), json={"actions": [action(n, campaigns=GOOD) for n in (1, 2)]})
    assert api.wait_for_run(api.post(api.ws("/runs")).json()["run_id"])["posted"] == 2
    return api


def _ledger(emu) -> list[dict]:
    return emu.admin.ledger(COMPANY, "GLBATCH")


def _sides(entry) -> list[tuple[str, str, str]]:
    return sorted((line["ACCOUNTNO"], line["TR_TYPE"], line["TRX_AMOUNT"]) for line in entry["ENTRIES"])


def test_refuse_is_the_default_and_names_the_setting(hh):
    changed = hh.post(hh.ws("/actions/bulk"), json={"actions": [action(1, campaigns=GOOD, amount="120.00")]})
    assert changed.status_code == 422 and "posted_changes setting to reverse" in changed.text
    assert hh.delete(hh.ws("/actions/1")).status_code == 409


def test_an_edited_action_is_reversed_then_posted_again_and_a_deleted_one_only_reversed(hh, emu):
    assert hh.get(hh.ws("/settings")).json()["posted_changes"] == "refuse"
    assert hh.patch(hh.ws("/settings"), json={"posted_changes": "reverse"}).json()["posted_changes"] == "reverse"
    original = {e["REFERENCENO"]: e for e in _ledger(emu)}
    assert hh.post(hh.ws("/actions/bulk"),
                   json={"actions": [action(1, campaigns=GOOD, amount="120.00")]}).status_code == 200
    assert hh.delete(hh.ws("/actions/2")).status_code == 204

    run = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert run["status"] == "succeeded", run
    entries = _ledger(emu)
    assert len(entries) == 5   # two originals, two reversals, one corrected entry
    by_ref = {e["REFERENCENO"]: e for e in entries}
    first, second = sorted(original)            # ib-<ws>-1, ib-<ws>-2
    corrected = by_ref[f"{first}-v2"]
    assert _sides(corrected) == [("1100", "1", "120.00"), ("4000", "-1", "120.00")]
    reversals = [e for ref, e in by_ref.items() if "-rev" in ref]
    assert len(reversals) == 2
    for reversal in reversals:
        reversed_ = next(original[r] for r in original if original[r]["RECORDNO"] in reversal["BATCH_TITLE"])
        assert _sides(reversal) == sorted((a, str(-int(t)), amt) for a, t, amt in _sides(reversed_))
        assert reversal["BATCH_DATE"] == reversed_["BATCH_DATE"]   # reversal_date: original (the default)
        assert reversed_["REFERENCENO"] in reversal["BATCH_TITLE"]
    assert hh.get(hh.ws("/actions/1")).json()["status"] == "posted"
    assert hh.get(hh.ws("/actions/2")).json()["status"] == "withdrawn"

    shown = hh.get(hh.ws("/actions/1/versions")).json()
    assert [(v["kind"], v["version"], v["state"]) for v in shown] == [
        ("entry", 1, "posted"), ("reversal", 1, "posted"), ("entry", 2, "posted")]
    assert shown[1]["reverses"] == first and shown[2]["reference"] == f"{first}-v2" and shown[2]["amount"] == "120.00"
    assert len({v["controlid"] for v in shown}) == 3
    assert hh.get(hh.ws("/actions/999/versions")).status_code == 404

    again = hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])
    assert again["posted"] == 0 and len(_ledger(emu)) == 5   # each version and reversal exactly once
    assert hh.post(hh.ws("/reconcile"), json={}).json()["drift"] is False


def test_a_reversal_dated_on_the_change(hh, emu):
    assert hh.patch(hh.ws("/settings"), json={"posted_changes": "reverse", "reversal_date": "change"}).status_code == 200
    assert hh.post(hh.ws("/actions/bulk"),
                   json={"actions": [action(1, campaigns=GOOD, amount="90.00")]}).status_code == 200
    assert hh.wait_for_run(hh.post(hh.ws("/runs")).json()["run_id"])["status"] == "succeeded"
    (reversal,) = [e for e in _ledger(emu) if "-rev" in e["REFERENCENO"]]
    assert reversal["BATCH_DATE"] == date.today().isoformat()   # the workspace's zone is UTC

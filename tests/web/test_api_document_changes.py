"""Invoices and bills changed or deleted after posting, over REST against the emulator: the cancelling adjustment,
the corrected version, every version listed (on the record and under /versions), deletes, and refusals."""

from __future__ import annotations

from web_helpers import connect_to_emulator, make_workspace

COMPANY = "helping-hands"


def bills(amount: str) -> dict:
    return {"bills": [{"external_id": "b1", "vendor_id": "V-100", "number": "RB-1", "bill_date": "2026-11-21",
                       "due_date": "2026-12-21", "lines": [{"gl_account": "6010", "amount": amount}]}]}


def test_a_changed_bill_is_cancelled_and_posted_again_then_deleted_with_every_version_listed(emu_client, store, emu):
    api = make_workspace(emu_client, store, "Helping Hands")
    connect_to_emulator(api, emu)
    assert api.post(api.ws("/pull")).status_code == 200
    assert api.post(api.ws("/bills/bulk"), json=bills("100.00")).status_code == 200
    assert api.wait_for_run(api.post(api.ws("/runs")).json()["run_id"])["posted"] == 1
    (bill_id,) = [b["id"] for b in api.get(api.ws("/bills")).json()["items"]]

    refused = api.post(api.ws("/bills/bulk"), json=bills("110.00"))   # refuse, the default
    assert refused.status_code == 422 and "posted_changes setting to reverse" in refused.text
    assert api.delete(api.ws(f"/bills/{bill_id}")).status_code == 409

    assert api.patch(api.ws("/settings"), json={"posted_changes": "reverse"}).status_code == 200
    assert api.post(api.ws("/bills/bulk"), json=bills("110.00")).json()["updated"] == 1
    run = api.wait_for_run(api.post(api.ws("/runs")).json()["run_id"])
    assert run["status"] == "succeeded", run
    held = {(b["RECORDID"], b["TOTALDUE"]) for b in emu.admin.ledger(COMPANY, "APBILL")}
    assert held == {("RB-1", "0.00"), ("RB-1-v2", "110.00")}

    shown = api.get(api.ws(f"/bills/{bill_id}")).json()
    assert [(v["kind"], v["version"], v["state"]) for v in shown["versions"]] == [
        ("document", 1, "posted"), ("cancellation", 1, "posted"), ("document", 2, "posted")]
    (cancellation,) = emu.admin.ledger(COMPANY, "APADJUSTMENT")
    assert shown["versions"][1]["intacct_key"] == cancellation["RECORDNO"] and shown["versions"][1]["total"] == "-100.00"
    assert api.get(api.ws(f"/bills/{bill_id}/versions")).json() == shown["versions"]
    assert api.get(api.ws("/bills")).json()["items"][0]["versions"] is None   # lists leave them out

    deleted = api.delete(api.ws(f"/bills/{bill_id}"))
    assert deleted.status_code == 200 and deleted.json()["outcome"] == "cancellation_queued"
    queued = api.get(api.ws(f"/bills/{bill_id}/versions")).json()[-1]
    assert (queued["kind"], queued["version"], queued["state"], queued["reason"]) == (
        "cancellation", 2, "unposted", "deleted")
    assert api.wait_for_run(api.post(api.ws("/runs")).json()["run_id"])["posted"] == 1
    assert api.get(api.ws(f"/bills/{bill_id}")).json()["status"] == "withdrawn"
    assert len(emu.admin.ledger(COMPANY, "APADJUSTMENT")) == 2
    assert api.get(api.ws("/bills/999/versions")).status_code == 404

    assert api.post(api.ws("/bills/bulk"), json={"bills": [{**bills("5.00")["bills"][0], "external_id": "b2",
                                                               "number": "RB-2"}]}).status_code == 200
    (fresh,) = [b["id"] for b in api.get(api.ws("/bills")).json()["items"] if b["external_id"] == "b2"]
    assert api.delete(api.ws(f"/bills/{fresh}")).json()["outcome"] == "deleted"
    assert api.get(api.ws(f"/bills/{fresh}")).status_code == 404

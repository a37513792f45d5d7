"""REST API for AP bills and adjustments: bulk upsert (idempotent, all or nothing, errors by index and field),
list, get with problems, the AP terms, the gates, scoping, OpenAPI."""

from __future__ import annotations

import pytest

from intacct_bridge.store.models import Bill
from web_helpers import make_workspace

BILLS = {"bills": [
    {"external_id": "b1", "vendor_id": "V-100", "number": "INV-77", "bill_date": "2026-11-02", "terms": "Net 30",
     "reference": "PO-1", "lines": [{"gl_account": "6010", "amount": "120.00", "description": "Power",
                                     "location": "100"}]},
    {"external_id": "b2", "vendor_id": "V-200", "number": "9001", "bill_date": "2026-11-03",
     "due_date": "2026-11-30", "lines": [{"sku": "MUG", "amount": "40.00"},
                                         {"gl_account": "6300", "amount": "7.50", "department": "PRG"}]},
]}
CREDITS = {"ap_adjustments": [
    {"external_id": "a1", "vendor_id": "V-100", "bill_external_id": "b1", "adjustment_date": "2026-11-10",
     "lines": [{"gl_account": "6010", "amount": "20.00", "description": "Overcharge"}]},
]}


def load(api):
    assert api.post(api.ws("/bills/bulk"), json=BILLS).json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert api.post(api.ws("/ap-adjustments/bulk"), json=CREDITS).json() == {"created": 1, "updated": 0,
                                                                             "unchanged": 0}


def test_bulk_upsert_list_get_and_gates(two_workspaces):
    alpha, _ = two_workspaces
    load(alpha)
    assert alpha.post(alpha.ws("/bills/bulk"), json=BILLS).json()["unchanged"] == 2  # idempotent
    page = alpha.get(alpha.ws("/bills"), params={"limit": 1}).json()
    b1 = page["items"][0]
    assert (b1["external_id"], b1["vendor_id"], b1["terms"], b1["total"], b1["status"]) == (
        "b1", "V-100", "Net 30", "120.00", "unposted")
    assert b1["lines"][0]["location"] == "100" and b1["problems"] == []
    second = alpha.get(alpha.ws("/bills"), params={"cursor": page["next_cursor"]}).json()["items"]
    assert [line["sku"] for line in second[0]["lines"]] == ["MUG", None]
    assert alpha.get(alpha.ws("/bills"), params={"search": "9001"}).json()["items"][0]["external_id"] == "b2"
    credit = alpha.get(alpha.ws("/ap-adjustments")).json()["items"][0]
    assert (credit["bill_external_id"], credit["total"]) == ("b1", "20.00")
    assert alpha.get(alpha.ws(f"/ap-adjustments/{credit['id']}")).json()["vendor_id"] == "V-100"
    settings = alpha.patch(alpha.ws("/o2c-settings"), json={"gate_bills": "halt"}).json()
    assert settings["gates"]["bills"] == "halt" and settings["gates"]["ap_adjustments"] == "hold"
    assert alpha.get(alpha.ws("/ap-terms")).json() == []  # pulled by the first sync of bills


def test_a_bad_record_rejects_the_whole_request_naming_index_and_field(two_workspaces):
    alpha, _ = two_workspaces
    load(alpha)
    bad = {"bills": [
        {"external_id": "b3", "vendor_id": "V-100", "number": "N-3", "bill_date": "2026-11-04",
         "due_date": "2026-12-04", "lines": [{"gl_account": "6010", "amount": "5.00"}]},
        {"external_id": "b4", "vendor_id": "V-100", "number": "INV-77", "bill_date": "2026-11-04",
         "due_date": "2026-12-04", "lines": [{"gl_account": "6010", "amount": "5.00"}]},
    ]}
    response = alpha.post(alpha.ws("/bills/bulk"), json=bad)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert (problem["index"], problem["field"]) == (1, "number")
    assert "vendor 'V-100' already has bill 'INV-77' (imported as 'b1')" in problem["msg"]
    assert [b["external_id"] for b in alpha.get(alpha.ws("/bills")).json()["items"]] == ["b1", "b2"]  # nothing written
    wrong_vendor = {"ap_adjustments": [dict(CREDITS["ap_adjustments"][0], external_id="a2", vendor_id="V-300")]}
    response = alpha.post(alpha.ws("/ap-adjustments/bulk"), json=wrong_vendor)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "bill_external_id"
    assert "is from vendor 'V-100', not 'V-300'" in response.json()["detail"][0]["msg"]
    missing = alpha.post(alpha.ws("/bills/bulk"), json={"bills": [{k: v for k, v in BILLS["bills"][0].items()
                                                                      if k != "number"}]})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "number"


def test_a_posted_bill_refuses_a_change_and_others_do_not_see_it(two_workspaces, store):
    alpha, beta = two_workspaces
    load(alpha)
    with store.write_session() as session:
        session.query(Bill).filter_by(external_id="b1").one().status = "posted"
    changed = {"bills": [dict(BILLS["bills"][0], memo="changed")]}
    response = alpha.post(alpha.ws("/bills/bulk"), json=changed)
    assert response.status_code == 422 and "already posted to Intacct" in response.json()["detail"][0]["msg"]
    bill_id = alpha.get(alpha.ws("/bills")).json()["items"][0]["id"]
    assert beta.get(beta.ws(f"/bills/{bill_id}")).status_code == 404
    assert beta.get(beta.ws("/bills")).json()["items"] == []


def test_openapi_documents_the_ap_routes(two_workspaces):
    alpha, _ = two_workspaces
    paths = alpha.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/workspaces/{workspace}/bills/bulk", "/workspaces/{workspace}/bills/{record_id}",
                 "/workspaces/{workspace}/ap-adjustments", "/workspaces/{workspace}/ap-terms"):
        assert path in paths


@pytest.mark.postgres
def test_bulk_upsert_on_postgresql(pg_client, pg_store):
    api = make_workspace(pg_client, pg_store, "Shop")
    load(api)
    assert api.get(api.ws("/ap-adjustments")).json()["items"][0]["bill_external_id"] == "b1"

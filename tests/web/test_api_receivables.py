"""REST API for customers, invoices, payments and credit memos: bulk upsert, list, get, settings, scoping."""

from __future__ import annotations

import pytest

from intacct_bridge.store.models import Invoice
from web_helpers import make_workspace

CUSTOMERS = {"customers": [
    {"external_id": "c1", "name": "Ada Lovelace", "email": "ada@example.org", "bill_to": {"city": "London"}},
    {"external_id": "c2", "name": "Grace Hopper"},
]}
INVOICES = {"invoices": [
    {"external_id": "o1", "customer_external_id": "c1", "invoice_date": "2025-07-01", "reference": "#1001",
     "shipping_amount": "5.00", "lines": [{"sku": "WIDGET", "quantity": "2", "unit_price": "10.00"},
                                          {"gl_account": "4000", "quantity": "1.5", "unit_price": "4.00"}]},
    {"external_id": "o2", "customer_external_id": "c9", "customer": {"name": "New Shopper"},
     "invoice_date": "2025-07-02", "lines": [{"sku": "WIDGET", "quantity": "1", "unit_price": "10.00"}]},
]}


def load(api):
    assert api.post(api.ws("/customers/bulk"), json=CUSTOMERS).json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert api.post(api.ws("/invoices/bulk"), json=INVOICES).json() == {"created": 2, "updated": 0, "unchanged": 0}


def test_bulk_upsert_list_and_get(two_workspaces):
    alpha, _ = two_workspaces
    load(alpha)
    assert alpha.post(alpha.ws("/invoices/bulk"), json=INVOICES).json()["unchanged"] == 2
    page = alpha.get(alpha.ws("/invoices"), params={"limit": 1}).json()
    o1 = page["items"][0]
    assert o1["external_id"] == "o1" and o1["total"] == "31.00" and o1["customer"]["name"] == "Ada Lovelace"
    assert [line["amount"] for line in o1["lines"]] == ["20.00", "6.00"] and o1["lines"][1]["quantity"] == "1.5"
    assert {p["field"] for p in o1["problems"]} == {"shipping_amount"}  # no shipping account is set yet
    second = alpha.get(alpha.ws("/invoices"), params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert second["items"][0]["customer"]["name"] == "New Shopper"
    settings = alpha.patch(alpha.ws("/o2c-settings"), json={"shipping_account": "4800", "gate_invoices": "halt"})
    assert settings.json()["gates"]["invoices"] == "halt" and settings.json()["shipping_account"] == "4800"
    assert alpha.get(alpha.ws(f"/invoices/{o1['id']}")).json()["problems"] == []
    customers = alpha.get(alpha.ws("/customers"), params={"search": "ada"}).json()["items"]
    assert [(c["external_id"], c["bill_to"]["city"]) for c in customers] == [("c1", "London")]
    payment = {"payments": [{"external_id": "p1", "customer_external_id": "c1", "received_on": "2025-07-05",
                             "amount": "31.00", "method": "Credit Card",
                             "applications": [{"invoice_external_id": "o1"}]}]}
    assert alpha.post(alpha.ws("/payments/bulk"), json=payment).json()["created"] == 1
    paid = alpha.get(alpha.ws("/payments")).json()["items"][0]
    assert paid["applications"] == [{"invoice_id": o1["id"], "invoice_external_id": "o1", "amount": "31.00"}]
    assert {p["field"] for p in paid["problems"]} == {"deposit_to"}
    memo = {"credit_memos": [{"external_id": "m1", "customer_external_id": "c1", "memo_date": "2025-07-09",
                              "invoice_external_id": "o1", "lines": [{"gl_account": "4000", "amount": "5.00"}]}]}
    assert alpha.post(alpha.ws("/credit-memos/bulk"), json=memo).json()["created"] == 1
    memo_id = alpha.get(alpha.ws("/credit-memos")).json()["items"][0]["id"]
    assert alpha.get(alpha.ws(f"/credit-memos/{memo_id}")).json()["total"] == "5.00"


def test_a_bad_record_rejects_the_whole_request_naming_index_and_field(two_workspaces):
    alpha, _ = two_workspaces
    load(alpha)
    bad = {"payments": [
        {"external_id": "p1", "customer_external_id": "c1", "received_on": "2025-07-05", "amount": "5.00",
         "applications": [{"invoice_external_id": "o1"}]},
        {"external_id": "p2", "customer_external_id": "c1", "received_on": "2025-07-05", "amount": "5.00",
         "applications": [{"invoice_external_id": "missing"}]},
    ]}
    response = alpha.post(alpha.ws("/payments/bulk"), json=bad)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert (problem["index"], problem["field"]) == (1, "applications[0].invoice_external_id")
    assert problem["loc"][:3] == ["body", "payments", 1] and "import the invoice first" in problem["msg"]
    assert alpha.get(alpha.ws("/payments")).json()["items"] == []


def test_a_posted_invoice_refuses_a_change(two_workspaces, store):
    alpha, _ = two_workspaces
    load(alpha)
    with store.write_session() as session:
        invoice = session.query(Invoice).filter_by(external_id="o1").one()
        invoice.status, invoice.intacct_number = "posted", "INV-7"
    changed = {"invoices": [dict(INVOICES["invoices"][0], memo="changed")]}
    response = alpha.post(alpha.ws("/invoices/bulk"), json=changed)
    assert response.status_code == 422
    assert "already posted to Intacct as invoice INV-7" in response.json()["detail"][0]["msg"]
    assert alpha.post(alpha.ws("/invoices/bulk"), json={"invoices": INVOICES["invoices"][:1]}).json()["unchanged"] == 1


def test_records_of_another_workspace_are_not_found(two_workspaces):
    alpha, beta = two_workspaces
    load(alpha)
    invoice_id = alpha.get(alpha.ws("/invoices")).json()["items"][0]["id"]
    assert beta.get(beta.ws(f"/invoices/{invoice_id}")).status_code == 404
    assert beta.get(alpha.ws(f"/invoices/{invoice_id}")).status_code == 404
    assert beta.get(beta.ws("/invoices")).json()["items"] == []


@pytest.mark.postgres
def test_bulk_upsert_on_postgresql(pg_client, pg_store):
    api = make_workspace(pg_client, pg_store, "Shop")
    load(api)
    assert api.get(api.ws("/invoices")).json()["items"][1]["customer"]["name"] == "New Shopper"
    assert api.patch(api.ws("/o2c-settings"), json={"customer_match": None}).status_code == 409

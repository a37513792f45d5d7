"""REST API for a multi-entity company (issue 10): entities and reference lists pulled from the emulator over
HTTP, settings that take only pulled journals and entities, invoices and payments posted at their entity,
an invoice using a location of another entity refused before posting. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from intacct_bridge.web.app import create_app
from web_helpers import FAST_CLIENT, make_workspace

GROUP = "helping-hands-group"
O2C = {"revenue_account": "4600", "undeposited_account": "1100", "gate_invoices": "hold"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api(request, store, emu, emu_operator):
    chosen = store if request.param == "sqlite" else request.getfixturevalue("pg_store")
    with TestClient(create_app(store=chosen, operator=emu_operator, client_options=FAST_CLIENT)) as client:
        api = make_workspace(client, chosen, "Group")
        creds = emu.credentials
        response = api.put(api.ws("/connection"), json={
            "company_id": GROUP, "user_id": creds["INTACCT_USER_ID"], "password": creds["INTACCT_USER_PASSWORD"],
            "endpoint": creds["INTACCT_ENDPOINT"]})
        assert response.status_code == 200, response.text
        yield api


def test_entities_reference_settings_and_entity_level_receivables(api, emu) -> None:
    assert api.patch(api.ws("/settings"), json={"location_mode": "available", "department_mode": "available",
                                                "project_mode": "available"}).status_code == 200
    assert api.post(api.ws("/pull")).status_code == 200
    pulled = api.post(api.ws("/entities/pull")).json()
    assert pulled["counts"]["LOCATIONENTITY"] == 3 and pulled["campaigns_created"] == 3

    entities = {e["entity_id"]: e for e in api.get(api.ws("/entities")).json()}
    assert entities["E200"]["name"] == "Helping Hands West" and entities["E200"]["owned"]["LOCATION"] == 1
    west = api.get(api.ws("/entities/E200")).json()
    assert {(v["object_name"], v["value_id"], v["owner_entity"]) for v in west["values"]} >= {
        ("LOCATION", "200-HQ", "E200"), ("DEPARTMENT", "D-E200", "E200"), ("PROJECT", "P-E200", "E200")}
    missing = api.get(api.ws("/entities/E999"))
    assert missing.status_code == 404 and "no entity 'E999'" in missing.text and "entities pull" in missing.text
    assert {v["value_id"] for v in api.get(api.ws("/reference/ar-terms")).json()} >= {"N30", "N45-WEST"}
    assert "GJ" in {v["value_id"] for v in api.get(api.ws("/reference/journals")).json()}

    refused = api.patch(api.ws("/settings"), json={"journal": "ZZ"})
    assert refused.status_code == 409 and "journal 'ZZ' is not in Intacct: choose one of" in refused.text
    refused = api.patch(api.ws("/settings"), json={"posting_level": "entity", "default_entity": "E999"})
    assert refused.status_code == 409 and "entity 'E999' is not in Intacct" in refused.text

    assert api.patch(api.ws("/o2c-settings"), json=O2C).status_code == 200
    assert api.post(api.ws("/customers/bulk"), json={"customers": [
        {"external_id": "c1", "name": "Western Donor"}]}).json()["created"] == 1
    invoices = {"invoices": [
        {"external_id": "o1", "customer_external_id": "c1", "invoice_date": "2026-06-01", "entity": "E200",
         "lines": [{"gl_account": "4600", "quantity": "1", "unit_price": "40.00", "location": "200-HQ"}]},
        {"external_id": "o2", "customer_external_id": "c1", "invoice_date": "2026-06-02",
         "lines": [{"gl_account": "4600", "quantity": "1", "unit_price": "15.00", "location": "100-HQ"}]},
        {"external_id": "o3", "customer_external_id": "c1", "invoice_date": "2026-06-03", "entity": "E100",
         "lines": [{"gl_account": "4600", "quantity": "1", "unit_price": "9.00", "location": "200-HQ"}]},
        {"external_id": "o4", "customer_external_id": "c1", "invoice_date": "2026-06-04", "terms": "N99",
         "lines": [{"gl_account": "4600", "quantity": "1", "unit_price": "3.00", "location": "100-HQ"}]},
    ]}
    assert api.post(api.ws("/invoices/bulk"), json=invoices).json()["created"] == 4
    assert api.post(api.ws("/payments/bulk"), json={"payments": [
        {"external_id": "p1", "customer_external_id": "c1", "received_on": "2026-06-05", "amount": "40.00",
         "method": "EFT", "entity": "E200", "deposit_to": "undeposited", "applications": [{"invoice_external_id": "o1"}]}]},
    ).json()["created"] == 1

    changed = api.patch(api.ws("/settings"), json={"posting_level": "entity", "default_entity": "E100"}).json()
    assert changed["posting_level"] == "entity" and changed["default_entity"] == "E100"
    assert "from top to entity: 5 record(s) not posted yet will be posted at the entity level" in changed["warning"]

    run = api.wait_for_run(api.post(api.ws("/runs"), json={}).json()["run_id"])
    assert run["status"] == "completed_with_errors", run
    by_id = {i["external_id"]: i for i in api.get(api.ws("/invoices")).json()["items"]}
    assert by_id["o1"]["status"] == "posted" and by_id["o2"]["status"] == "posted"
    [problem] = by_id["o3"]["problems"]
    assert problem["field"] == "lines[1].location"
    assert "location 200-HQ belongs to entity E200, but this record posts at entity E100" in problem["message"]
    [term] = by_id["o4"]["problems"]   # an unknown term: named, with the fix, and nothing sent
    assert term["field"] == "terms" and "terms 'N99' is not an active AR term in Intacct (DUE, N15, N30" in term["message"]
    assert by_id["o4"]["status"] == "unposted"
    paid = api.get(api.ws("/payments")).json()["items"][0]
    assert paid["status"] == "posted", paid

    at_west = {r["RECORDNO"] for r in emu.admin.ledger(GROUP, "ARINVOICE", entity_id="E200")}
    at_east = {r["RECORDNO"] for r in emu.admin.ledger(GROUP, "ARINVOICE", entity_id="E100")}
    assert by_id["o1"]["intacct_key"] in at_west and by_id["o2"]["intacct_key"] in at_east
    [payment] = emu.admin.ledger(GROUP, "ARPYMT", entity_id="E200")
    assert payment["TOTALENTERED"] in ("40.00", "40")
    [customer] = [c for c in emu.admin.ledger(GROUP, "CUSTOMER") if c["NAME"] == "Western Donor"]
    assert not customer.get("MEGAENTITYID")  # master data stays at the top level (seed 001)


def test_openapi_lists_the_entity_routes(api) -> None:
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/workspaces/{workspace}/entities", "/workspaces/{workspace}/entities/{entity_id}",
                 "/workspaces/{workspace}/entities/pull", "/workspaces/{workspace}/reference/{which}"):
        assert path in paths


def test_bills_and_ap_adjustments_post_at_their_entity(api, emu) -> None:
    """A bill names its entity as an invoice does: it posts in that entity's session, its adjustment too; one
    with a location of another entity is refused before anything is sent, naming both."""
    assert api.patch(api.ws("/settings"), json={"location_mode": "available"}).status_code == 200
    assert api.post(api.ws("/pull")).status_code == 200
    assert api.post(api.ws("/entities/pull")).status_code == 200
    assert api.post(api.ws("/vendors/bulk"), json={"vendors": [
        {"external_id": "v1", "vendor_id": "V-GRP-1", "name": "Group Supplies"}]}).json()["created"] == 1

    def bill(external_id: str, number: str, location: str, entity: str | None = None) -> dict:
        return {"external_id": external_id, "vendor_id": "V-GRP-1", "number": number, "bill_date": "2026-06-01",
                "due_date": "2026-07-01", **({"entity": entity} if entity else {}),
                "lines": [{"gl_account": "6010", "amount": "80.00", "location": location}]}

    assert api.post(api.ws("/bills/bulk"), json={"bills": [
        bill("b1", "W-1", "200-HQ", "E200"), bill("b2", "E-1", "100-HQ"), bill("b3", "E-2", "200-HQ", "E100"),
    ]}).json()["created"] == 3
    assert api.post(api.ws("/ap-adjustments/bulk"), json={"ap_adjustments": [
        {"external_id": "a1", "vendor_id": "V-GRP-1", "bill_external_id": "b1", "adjustment_date": "2026-06-02",
         "entity": "E200", "lines": [{"gl_account": "6010", "amount": "5.00", "location": "200-HQ"}]}]},
    ).json()["created"] == 1
    assert api.patch(api.ws("/settings"), json={"posting_level": "entity", "default_entity": "E100"}).status_code == 200

    run = api.wait_for_run(api.post(api.ws("/runs"), json={}).json()["run_id"])
    assert run["status"] == "completed_with_errors", run
    bills = {b["external_id"]: b for b in api.get(api.ws("/bills")).json()["items"]}
    assert bills["b1"]["entity"] == "E200" and bills["b2"]["entity"] is None
    assert bills["b1"]["status"] == "posted" and bills["b2"]["status"] == "posted"
    [problem] = bills["b3"]["problems"]
    assert problem["field"] == "lines[1].location"
    assert "location 200-HQ belongs to entity E200, but this record posts at entity E100" in problem["message"]
    assert bills["b3"]["status"] == "unposted" and bills["b3"]["intacct_key"] is None
    [adjustment] = api.get(api.ws("/ap-adjustments")).json()["items"]
    assert adjustment["status"] == "posted" and adjustment["entity"] == "E200", adjustment

    at_west = {r["RECORDNO"] for r in emu.admin.ledger(GROUP, "APBILL", entity_id="E200")}
    at_east = {r["RECORDNO"] for r in emu.admin.ledger(GROUP, "APBILL", entity_id="E100")}
    assert bills["b1"]["intacct_key"] in at_west and bills["b1"]["intacct_key"] not in at_east
    assert bills["b2"]["intacct_key"] in at_east
    assert [r["RECORDID"] for r in emu.admin.ledger(GROUP, "APBILL") if r["VENDORID"] == "V-GRP-1"].count("E-2") == 0
    [credit] = emu.admin.ledger(GROUP, "APADJUSTMENT", entity_id="E200")
    assert credit.get("MEGAENTITYID") == "E200"

"""REST API for vendors and items, end to end against the emulator: bulk upsert (idempotent, all or nothing),
a sync through the API that creates them at the top level of a multi-entity company, an update of
only the changed fields, and a changed id refused naming record, field and fix (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from intacct_bridge.web.app import create_app
from web_helpers import FAST_CLIENT, make_workspace

GROUP = "helping-hands-group"
VENDORS = {"vendors": [
    {"external_id": "s1", "vendor_id": "ACME", "name": "Acme Supplies", "email": "ap@acme.example", "city": "Lyon"},
    {"external_id": "s2", "name": "Bolt & Co", "terms": "N30"},
]}
ITEMS = {"items": [
    {"external_id": "k1", "item_id": "SVC-1", "name": "Consulting hour", "base_price": "90.00", "taxable": True},
    {"external_id": "k2", "name": "Setup fee", "item_type": "Non-Inventory (Sales only)"},
]}


def connect_group(api, emu) -> None:
    creds = emu.credentials
    response = api.put(api.ws("/connection"), json={
        "company_id": GROUP, "user_id": creds["INTACCT_USER_ID"], "password": creds["INTACCT_USER_PASSWORD"],
        "endpoint": creds["INTACCT_ENDPOINT"], "entity_id": "E200"})
    assert response.status_code == 200, response.text


def sync(api, *kinds: str) -> dict:
    started = api.post(api.ws("/runs"), json={"kinds": list(kinds)})
    assert started.status_code == 202, started.text
    return api.wait_for_run(started.json()["run_id"])


def story(api, emu) -> None:
    connect_group(api, emu)
    assert api.post(api.ws("/vendors/bulk"), json=VENDORS).json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert api.post(api.ws("/items/bulk"), json=ITEMS).json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert api.post(api.ws("/vendors/bulk"), json=VENDORS).json()["unchanged"] == 2   # idempotent
    bad = {"items": [{"external_id": "k3", "name": "Ok"}, {"external_id": "k4", "name": "Box", "item_type": "Kit"}]}
    refused = api.post(api.ws("/items/bulk"), json=bad)
    assert refused.status_code == 422 and refused.json()["detail"][0]["index"] == 1
    assert len(api.get(api.ws("/items")).json()["items"]) == 2   # all or nothing

    run = sync(api, "vendor", "item")
    assert run["status"] == "succeeded", run
    vendors = {v["VENDORID"]: v for v in emu.admin.ledger(GROUP, "VENDOR")}
    assert set(vendors) == {"ACME", "s2"} and not vendors["ACME"].get("MEGAENTITYID")   # top level, not E200
    items = {i["ITEMID"]: i for i in emu.admin.ledger(GROUP, "ITEM")}
    assert items["k2"]["ITEMTYPE"] == "Non-Inventory (Sales only)" and items["SVC-1"]["BASEPRICE"] in ("90", "90.00")

    changed = {"vendors": [dict(VENDORS["vendors"][0], email="billing@acme.example")]}
    assert api.post(api.ws("/vendors/bulk"), json=changed).json()["updated"] == 1
    acme = api.get(api.ws("/vendors"), params={"search": "acme"}).json()["items"][0]
    assert acme["changes_to_send"] is True and acme["posted_values"]["DISPLAYCONTACT.EMAIL1"] == "ap@acme.example"
    assert sync(api, "vendor")["status"] == "succeeded"
    acme = api.get(api.ws(f"/vendors/{acme['id']}")).json()
    assert acme["changes_to_send"] is False and acme["status"] == "posted" and acme["intacct_key"] == "ACME"
    assert {v["VENDORID"]: v for v in emu.admin.ledger(GROUP, "VENDOR")}["ACME"]["DISPLAYCONTACT.EMAIL1"] == \
        "billing@acme.example"

    moved = {"vendors": [dict(VENDORS["vendors"][0], vendor_id="ACME-NEW")]}
    refused = api.post(api.ws("/vendors/bulk"), json=moved)
    assert refused.status_code == 422
    detail = refused.json()["detail"][0]
    assert detail["field"] == "vendor_id" and detail["external_id"] == "s1"
    assert "VENDORID 'ACME'" in detail["msg"] and "create a new vendor" in detail["msg"]


def test_vendors_and_items_over_the_api_against_the_emulator(emu, store, emu_operator):
    with TestClient(create_app(store=store, operator=emu_operator, client_options=FAST_CLIENT)) as client:
        story(make_workspace(client, store, "Group"), emu)


@pytest.mark.postgres
def test_vendors_and_items_over_the_api_on_postgresql(emu, pg_store, emu_operator):
    with TestClient(create_app(store=pg_store, operator=emu_operator, client_options=FAST_CLIENT)) as client:
        story(make_workspace(client, pg_store, "Group"), emu)

"""The connection (password write-only everywhere), Test connection against the emulator, settings, defaults."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from intacct_bridge.store.models import Connection
from web_helpers import Api, connect_to_emulator, make_workspace

SECRET = "s3cret-Pa55word!"


@pytest.fixture
def ws(client, store) -> Api:
    return make_workspace(client, store, "Alpha Org")


@pytest.fixture
def emu_ws(emu_client, store) -> Api:
    return make_workspace(emu_client, store, "Helping Hands")


def test_password_is_write_only(ws, store, caplog):
    caplog.set_level(logging.DEBUG)
    assert ws.get(ws.ws("/connection")).json()["connected"] is False
    saved = ws.put(ws.ws("/connection"), json={"company_id": "acme", "user_id": "ws_user", "password": SECRET})
    assert saved.status_code == 200
    assert saved.json()["password_set"] is True and saved.json()["company_id"] == "acme"
    responses = [saved, ws.get(ws.ws("/connection")), ws.get(ws.ws("/status")),
                 ws.put(ws.ws("/connection"), json={"company_id": "", "user_id": "u", "password": SECRET}),
                 ws.put(ws.ws("/connection"), json={"user_id": "u", "password": SECRET}),
                 ws.put(ws.ws("/connection"), json={"company_id": "x", "user_id": "u", "password": SECRET,
                                                    "endpoint": "ftp://nope"}),
                 ws.put(ws.ws("/connection"), json={"company_id": "x", "user_id": "u", "password": [SECRET]}),
                 ws.client.get("/api/v1/openapi.json")]
    assert [r.status_code for r in responses[3:7]] == [422, 422, 422, 422]
    for response in responses:
        assert SECRET not in response.text
    assert SECRET not in caplog.text
    with store.session() as session:
        row = session.scalar(select(Connection))
        assert SECRET not in row.password_encrypted and SECRET not in repr(row)


def test_connection_test_passes_against_the_emulator(emu_ws, emu):
    connect_to_emulator(emu_ws, emu)
    report = emu_ws.post(emu_ws.ws("/connection/test")).json()
    assert report["ok"] is True, report
    assert report["checks"][0]["name"] == "sign in"
    status = emu_ws.get(emu_ws.ws("/status")).json()
    assert status["connected"] is True and status["last_test_ok"] is True


@pytest.mark.parametrize("company, password, problem", [
    ("helping-hands", "wrong-password", "Intacct refused the sign-in"),
    ("no-webservices", "demo-user-pw", "not subscribed to Web Services"),
    ("ip-locked", "demo-user-pw", "blocks sign-ins from this server's address"),
])
def test_connection_test_explains_the_failure_with_the_fix(emu_ws, emu, company, password, problem):
    emu_ws.put(emu_ws.ws("/connection"), json={"company_id": company, "user_id": "ws_bridge", "password": password,
                                               "endpoint": emu.url})
    report = emu_ws.post(emu_ws.ws("/connection/test")).json()
    assert report["ok"] is False
    failed = [c for c in report["checks"] if not c["ok"]]
    assert failed and problem in failed[0]["problem"] and failed[0]["fix"] and failed[0]["intacct_message"]
    assert emu_ws.get(emu_ws.ws("/status")).json()["last_test_ok"] is False


def test_missing_permission_is_named(emu_ws, emu):
    emu_ws.put(emu_ws.ws("/connection"), json={"company_id": "helping-hands", "user_id": "ws_limited",
                                               "password": "demo-user-pw", "endpoint": emu.url})
    emu_ws.patch(emu_ws.ws("/settings"), json={"department_mode": "require"})
    report = emu_ws.post(emu_ws.ws("/connection/test")).json()
    failed = [c for c in report["checks"] if not c["ok"]]
    assert any("cannot read Departments" in c["problem"] and "Roles" in c["fix"] for c in failed), failed


def test_test_without_connection_is_409(ws):
    response = ws.post(ws.ws("/connection/test"))
    assert response.status_code == 409 and "connect" in response.json()["detail"]


def test_settings_round_trip_and_refusals(ws):
    settings = ws.get(ws.ws("/settings")).json()
    assert settings["journal"] == "GJ" and settings["modes"]["location"] == "exclude"
    changed = ws.patch(ws.ws("/settings"), json={
        "location_mode": "require", "custom_object": "fund", "custom_mode": "available", "posting_mode": "batching",
        "journal": "CRJ", "schedule_time": "02:30", "timezone": "America/New_York", "start_date": "2026-01-01"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["modes"]["location"] == "require" and body["modes"]["custom"] == "available"
    assert (body["custom_object"], body["custom_gl_field"], body["custom_label"]) == ("FUND", "GLDIMFUND", "Fund")
    assert (body["posting_mode"], body["journal"], body["schedule_time"]) == ("batching", "CRJ", "02:30:00")
    cleared = ws.patch(ws.ws("/settings"), json={"start_date": None, "schedule_time": None}).json()
    assert cleared["start_date"] is None and cleared["schedule_time"] is None and cleared["journal"] == "CRJ"
    assert ws.patch(ws.ws("/settings"), json={"timezone": "Mars/Olympus"}).status_code == 409
    assert ws.patch(ws.ws("/settings"), json={"location_mode": "sometimes"}).status_code == 422
    assert ws.patch(ws.ws("/settings"), json={"custom_object": None, "custom_mode": "require"}).status_code == 409
    assert ws.get(ws.ws("/settings")).json()["timezone"] == "America/New_York"


def test_mapping_defaults(ws):
    assert ws.get(ws.ws("/mapping-defaults")).json() == []
    rule = {"action_type": "Ticket", "dimension": "account", "side": "CR", "value_id": "4400"}
    assert ws.put(ws.ws("/mapping-defaults"), json=rule).json() == [{**rule, "action_type": "ticket"}]
    assert len(ws.put(ws.ws("/mapping-defaults"), json={**rule, "value_id": "4000"}).json()) == 1
    assert ws.delete(ws.ws("/mapping-defaults/ticket/account/CR")).status_code == 204
    assert ws.delete(ws.ws("/mapping-defaults/ticket/account/CR")).status_code == 404


def _connect_rest(api: Api, emu, **changes) -> dict:
    body = {"company_id": "helping-hands", "user_id": "ws_bridge", "client_id": emu.client_id,
            "client_secret": emu.client_secret, **changes}
    response = api.put(api.ws("/connection/rest"), json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_rest_connection_keeps_the_secret_write_only_and_passes_the_test(emu_ws, emu, store, caplog):
    caplog.set_level(logging.DEBUG)
    saved = _connect_rest(emu_ws, emu)
    assert (saved["api"], saved["client_id"], saved["client_secret_set"]) == ("rest", emu.client_id, True)
    report = emu_ws.post(emu_ws.ws("/connection/test"))
    assert report.json()["ok"] is True, report.json()
    kept = emu_ws.put(emu_ws.ws("/connection/rest"), json={"client_id": emu.client_id})  # secret kept
    assert kept.status_code == 200 and kept.json()["client_secret_set"] is True
    assert emu_ws.put(emu_ws.ws("/connection/api"), json={"api": "soap"}).status_code == 422
    for response in (saved, report, kept, emu_ws.get(emu_ws.ws("/connection"))):
        assert emu.client_secret not in str(response) and emu.client_secret not in getattr(response, "text", "")
    assert emu.client_secret not in caplog.text
    with store.session() as session:
        row = session.scalar(select(Connection))
        assert emu.client_secret not in row.client_secret_encrypted and emu.client_secret not in repr(row)


@pytest.mark.parametrize("changes, problem", [
    ({"client_secret": "not-the-secret"}, "refused the OAuth client"),
    ({"client_id": "rogue0000000.INTACCT.app.sage.com", "client_secret": "rogue-client-secret"},
     "is not authorized for company"),
    ({"company_id": "helping-hands-group", "entity_id": "E999"}, "cannot reach entity 'E999'"),
])
def test_rest_connection_test_tells_the_problems_apart(emu_ws, emu, changes, problem):
    _connect_rest(emu_ws, emu, **changes)
    report = emu_ws.post(emu_ws.ws("/connection/test")).json()
    failed = [c for c in report["checks"] if not c["ok"]]
    assert report["ok"] is False and failed and problem in failed[0]["problem"], failed
    assert failed[0]["fix"] and failed[0]["intacct_message"]


def test_rest_connection_test_names_a_missing_permission(emu_ws, emu):
    _connect_rest(emu_ws, emu, user_id="ws_limited")
    emu_ws.patch(emu_ws.ws("/settings"), json={"department_mode": "require"})
    failed = [c for c in emu_ws.post(emu_ws.ws("/connection/test")).json()["checks"] if not c["ok"]]
    assert any("cannot read Departments" in c["problem"] and "Roles" in c["fix"] for c in failed), failed


def test_rest_connection_test_says_when_the_refresh_token_is_expired_or_revoked(emu_ws, emu, store, emu_operator):
    from pydantic import SecretStr

    from intacct_bridge.crypto import SecretBox
    from intacct_bridge.store.repositories.connections import save_rest_client

    _connect_rest(emu_ws, emu)
    with store.write_session() as session:
        save_rest_client(session, emu_ws.workspace_id, SecretBox.from_settings(emu_operator), client_id=emu.client_id,
                         client_secret=None, refresh_token=SecretStr("iar.revoked-or-never-issued"))
    failed = [c for c in emu_ws.post(emu_ws.ws("/connection/test")).json()["checks"] if not c["ok"]]
    assert failed and "has expired or was revoked" in failed[0]["problem"] and "Connect with Sage Intacct" in failed[0]["fix"]

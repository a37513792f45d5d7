"""The sender password goes only to endpoints the operator allows, whatever path asks.

Each test tries to make one path send a request to a capture server on 127.0.0.1 that is outside the
allow-list (the emulator is allowed: it is the operator's INTACCT_ENDPOINT), and asserts that nothing
arrived there and that the caller got a clear error naming the fix.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from capture_servers import lying_gateway, redirecting_server
from endpoint_helpers import (
    SENDER_PASSWORD,
    console_sign_in,
    csrf_of,
    plant_endpoint,
    stored_endpoint,
    token,
)
from intacct_bridge.api import Bridge
from intacct_bridge.cli import app as cli_app
from intacct_bridge.crypto import SecretBox
from intacct_bridge.intacct import AsyncIntacctClient, ClientConfig, Credentials, IntacctClient
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.errors import EndpointNotAllowed, ProtocolError
from intacct_bridge.intacct.transport import SyncTransport, client_options
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.models import WorkspaceSettings
from intacct_bridge.sync.context import NotConfigured, client_factory
from intacct_bridge.sync.sample_load import create_connected_workspace
from intacct_bridge.web.app import create_app
from intacct_bridge.web.runner import RunManager
from intacct_bridge.web.scheduler import Scheduler

FAST = {"backoff_base": 0.01, "backoff_max": 0.05, "throttle_pause": 0.01, "timeout": 10.0, "max_retries": 1}
SETTING = "INTACCT_BRIDGE_ALLOWED_ENDPOINTS"


def tricks(capture) -> list[str]:
    """Ways to name the capture server (or any other host) that a string-prefix check could let through."""
    port = capture.base_url.rsplit(":", 1)[1]
    return [
        capture.url,
        "http://0/ia/xml/xmlgw.phtml",
        f"https://api.intacct.com@127.0.0.1:{port}/ia/xml/xmlgw.phtml",
        f"http://api.intacct.com@127.0.0.1:{port}/ia/xml/xmlgw.phtml",
        "https://api.intacct.com.attacker.example/ia/xml/xmlgw.phtml",
        f"http://127.1:{port}/ia/xml/xmlgw.phtml",
        "http://api.intacct.com/ia/xml/xmlgw.phtml",  # the right host without TLS
    ]


def add_action(web: TestClient, store, workspace_id: int) -> int:
    """One action through the API (a one-action sync needs it); its id."""
    created = web.post("/api/v1/workspaces/helping-hands/actions", headers=token(store, workspace_id), json={
        "external_id": "A-1", "type": "donation", "amount": "10.00", "happened_at": "2026-10-01T12:00:00Z",
        "created_at": "2026-10-01T12:05:00Z", "summary": "Donation", "url": "https://crm.example.org/a/1",
        "constituent": {"external_id": "C-1", "name": "Ana"}, "campaigns": []})
    assert created.status_code in (200, 201), created.text
    return created.json()["id"]


@pytest.fixture
def web(store, operator):
    with TestClient(create_app(store=store, operator=operator, client_options=FAST), follow_redirects=False) as client:
        yield client


# --- the REST API ------------------------------------------------------------------------------------------


def test_a_workspace_token_may_set_the_credentials_but_not_the_endpoint(web, store, workspace_id, emu, capture):
    headers = token(store, workspace_id)
    path = "/api/v1/workspaces/helping-hands/connection"
    body = {"company_id": "helping-hands", "user_id": "ws_bridge", "password": "demo-user-pw"}
    for url in tricks(capture) + ["https://api.intacct.com/ia/xml/xmlgw.phtml"]:
        refused = web.put(path, headers=headers, json={**body, "endpoint": url})
        assert refused.status_code == 403, refused.text
        assert "admin token" in refused.json()["detail"]
    assert web.put(path, headers=headers, json=body).status_code == 200  # without endpoint: kept as it is
    assert web.put(path, headers=headers, json={**body, "endpoint": emu.url}).status_code == 200  # unchanged
    assert stored_endpoint(store, workspace_id) == emu.url
    assert web.post(path + "/test", headers=headers).json()["ok"] is True
    assert capture.seen == []


def test_an_admin_token_may_choose_only_an_allowed_endpoint(web, store, workspace_id, emu, capture):
    admin = token(store, None)
    path = "/api/v1/workspaces/helping-hands/connection"
    body = {"company_id": "helping-hands", "user_id": "ws_bridge", "password": "demo-user-pw"}
    for url in tricks(capture):
        refused = web.put(path, headers=admin, json={**body, "endpoint": url})
        assert refused.status_code == 422, (url, refused.text)
        assert SETTING in refused.json()["detail"]
        assert stored_endpoint(store, workspace_id) == emu.url  # nothing half-written
    real = "https://api.intacct.com/ia/xml/xmlgw.phtml"
    assert web.put(path, headers=admin, json={**body, "endpoint": real}).json()["endpoint"] == real
    assert web.put(path, headers=admin, json=body).json()["endpoint"] is None  # the operator's default
    assert capture.seen == []


def test_rest_test_pull_sync_and_dry_run_send_nothing_to_a_stored_endpoint_outside_the_list(
        web, store, workspace_id, capture):
    plant_endpoint(store, workspace_id, capture.url)
    headers = token(store, workspace_id)
    base = "/api/v1/workspaces/helping-hands"
    action_id = add_action(web, store, workspace_id)
    for path, json in [("/connection/test", None), ("/pull", None), ("/runs", {"dry_run": False}),
                       ("/runs", {"dry_run": True}), (f"/actions/{action_id}/sync", None)]:
        response = web.post(base + path, headers=headers, json=json)
        assert response.status_code == 409, (path, response.text)
        assert "not allowed" in response.json()["detail"] and SETTING in response.json()["detail"]
    assert capture.seen == []


# --- the console ---------------------------------------------------------------------------------------------


def test_console_form_refuses_and_its_test_sync_and_pull_buttons_send_nothing(web, store, workspace_id, emu, capture):
    console_sign_in(web, store)
    page = "/w/helping-hands/settings"
    form = {"company_id": "helping-hands", "user_id": "ws_bridge", "password": "", "entity_id": ""}
    for url in tricks(capture):
        response = web.post(page + "/connection", data={**form, "endpoint": url, "csrf_token": csrf_of(web, page)})
        assert response.status_code == 422 and SETTING in response.text, url
    assert stored_endpoint(store, workspace_id) == emu.url
    plant_endpoint(store, workspace_id, capture.url)
    tested = web.post(page + "/test", data={"csrf_token": csrf_of(web, page)})
    assert tested.status_code == 200 and "not allowed" in tested.text and SETTING in tested.text
    action_id = add_action(web, store, workspace_id)
    for path, form in [("/sync", {"dry_run": "false"}), ("/sync", {"dry_run": "true"}), ("/pull", {}),
                       (f"/actions/{action_id}/sync", {})]:
        started = web.post("/w/helping-hands" + path, data={**form, "csrf_token": csrf_of(web, page)})
        assert started.status_code == 409 and "not allowed" in started.text, (path, started.text)
    assert capture.seen == []


# --- the CLI -------------------------------------------------------------------------------------------------


def test_cli_refuses_to_save_the_endpoint_and_sends_nothing_to_a_stored_one(operator, store, workspace_id,
                                                                          capture):
    runner = CliRunner()

    def cli(*args: str, input: str | None = None):
        return runner.invoke(cli_app, [*args, "--workspace", "helping-hands"], input=input)

    for url in tricks(capture):
        connect = cli("connect", "--company-id", "helping-hands", "--user-id", "ws_bridge", "--endpoint", url,
                      "--password-stdin", input="demo-user-pw\n")
        assert connect.exit_code == 1 and SETTING in connect.output, connect.output
        changed = cli("settings", "set", "--endpoint", url)
        assert changed.exit_code == 1 and SETTING in changed.output, changed.output
    plant_endpoint(store, workspace_id, capture.url)
    for command in (["test-connection"], ["pull"], ["sync"], ["sync", "--dry-run"]):
        result = cli(*command)
        assert result.exit_code == 1 and "not allowed" in result.output, (command, result.output)
    assert capture.seen == []


# --- the Python API, the scheduler and the client factory -----------------------------------------------------


def test_python_api_sends_nothing_to_a_stored_endpoint_outside_the_list(operator, store, workspace_id, capture):
    plant_endpoint(store, workspace_id, capture.url)
    bridge = Bridge(store, workspace_id, operator, FAST)
    with pytest.raises(NotConfigured, match="not allowed"):
        bridge.test_connection()
    with pytest.raises(NotConfigured, match="not allowed"):
        bridge.pull()
    for dry_run in (False, True):
        report = bridge.sync(dry_run=dry_run)
        assert report.status == "failed" and "not allowed" in report.message and SETTING in report.message
    with pytest.raises(TypeError, match="allowed_endpoints"):
        Bridge.open("helping-hands", allowed_endpoints=(capture.base_url,))
    with pytest.raises(TypeError, match="allowed_endpoints"):
        client_factory(store, workspace_id, operator, allowed_endpoints=(capture.base_url,))
    assert capture.seen == []


def test_the_scheduler_does_not_start_a_run_towards_a_stored_endpoint_outside_the_list(
        operator, store, workspace_id, capture, caplog):
    now = datetime.now(UTC)
    with store.write_session() as session:
        session.execute(update(WorkspaceSettings).where(WorkspaceSettings.workspace_id == workspace_id).values(
            schedule_time=(now - timedelta(minutes=5)).time().replace(microsecond=0), timezone="UTC",
            updated_at=now - timedelta(days=2)))
    plant_endpoint(store, workspace_id, capture.url)
    runner = RunManager(store, operator, client_options=FAST)
    try:
        with caplog.at_level(logging.WARNING):
            assert Scheduler(runner).tick(now) == []
    finally:
        runner.shutdown(wait=True)
    assert "not allowed" in caplog.text
    assert capture.seen == []


def test_a_client_of_the_factory_refuses_an_endpoint_that_left_the_list(operator, store, workspace_id, emu,
                                                                       capture, monkeypatch):
    """The operator narrows the list after the workspace was saved: the next client refuses to send."""
    monkeypatch.setenv("INTACCT_ENDPOINT", "https://api.intacct.com/ia/xml/xmlgw.phtml")
    with pytest.raises(NotConfigured, match=SETTING):
        client_factory(store, workspace_id, OperatorSettings())()


# --- the client itself: whatever the database or the caller says ----------------------------------------------


def test_the_client_refuses_to_send_outside_its_allow_list(emu, capture):
    creds = Credentials.from_env(emu.credentials)
    config = ClientConfig(endpoint=capture.url, allowed_endpoints=(emu.base_url,), **FAST)
    with IntacctClient(creds, config) as client, pytest.raises(EndpointNotAllowed, match=SETTING):
        client.execute(fn.Query("GLACCOUNT", ["ACCOUNTNO"]))

    async def async_attempt() -> None:
        async with AsyncIntacctClient(creds, config) as client:
            await client.execute(fn.Query("GLACCOUNT", ["ACCOUNTNO"]))

    with pytest.raises(EndpointNotAllowed):
        asyncio.run(async_attempt())
    bare = ClientConfig(endpoint=emu.url)  # no list given: its own endpoint and Intacct's hosts only
    assert not bare.endpoint_policy().allows(capture.url)
    assert capture.seen == []


def test_a_get_api_session_answer_naming_another_endpoint_is_refused(operator, store, emu, capture,
                                                                     monkeypatch):
    with lying_gateway(emu.url, capture.url) as liar:
        # The operator allows the gateway (its INTACCT_ENDPOINT); its answer names the capture server.
        monkeypatch.setenv("INTACCT_ENDPOINT", liar.url)
        operator = OperatorSettings()
        creds = {**emu.credentials, "INTACCT_ENDPOINT": liar.url}
        workspace_id = create_connected_workspace(store, "Lied To", creds, SecretBox.from_settings(operator))
        report = Bridge(store, workspace_id, operator, FAST).test_connection()
        assert not report.ok
        assert report.problems[0].kind == "endpoint_not_allowed" and "getAPISession" in report.problems[0].title
        with IntacctClient(Credentials.from_env(emu.credentials), ClientConfig(endpoint=liar.url, **FAST)) as client:
            with pytest.raises(EndpointNotAllowed, match="getAPISession"):
                client.execute(fn.Query("GLACCOUNT", ["ACCOUNTNO"]))
        assert liar.received(SENDER_PASSWORD)  # the allowed gateway did get the sign-in
    assert capture.seen == []


def test_a_redirect_is_not_followed_with_the_credentials(operator, store, emu, capture, monkeypatch):
    with redirecting_server(capture.url) as redirect:
        monkeypatch.setenv("INTACCT_ENDPOINT", redirect.url)
        operator = OperatorSettings()
        creds = {**emu.credentials, "INTACCT_ENDPOINT": redirect.url}
        workspace_id = create_connected_workspace(store, "Redirected", creds, SecretBox.from_settings(operator))
        report = Bridge(store, workspace_id, operator, FAST).test_connection()
        assert not report.ok and "redirect" in report.problems[0].intacct_message
        # Even an httpx client told to follow redirects does not follow them here.
        config = ClientConfig(endpoint=redirect.url, **FAST)
        http = httpx.Client(**{**client_options(config), "follow_redirects": True})
        transport = SyncTransport(config, http)
        with IntacctClient(Credentials.from_env(emu.credentials), config, transport=transport) as client:
            with pytest.raises(ProtocolError, match="redirect"):
                client.execute(fn.Query("GLACCOUNT", ["ACCOUNTNO"]))
        assert redirect.seen
    assert capture.seen == []

"""The console's REST API settings and "Connect with Sage Intacct" (authorization code, state, PKCE) end to end
against the emulator's sign-in form."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlalchemy import select

from intacct_bridge.store.models import Connection
from web_helpers import console_client, csrf_of, make_workspace, sign_in

REDIRECT = "http://127.0.0.1/callback"  # registered for the demo OAuth client


@pytest.fixture
def browser(store, emu_operator, monkeypatch):
    monkeypatch.setenv("INTACCT_BRIDGE_OAUTH_REDIRECT_URI", REDIRECT)
    from intacct_bridge.settings import OperatorSettings

    with console_client(store, OperatorSettings()) as client:
        yield client


def _rest_workspace(browser, store, emu):
    ws = make_workspace(browser, store, "Helping Hands")
    sign_in(browser)
    settings = f"/w/{ws.slug}/settings"
    token = csrf_of(browser, settings)
    creds = emu.credentials
    assert browser.post(f"{settings}/connection", data={
        "csrf_token": token, "company_id": creds["INTACCT_COMPANY_ID"], "user_id": creds["INTACCT_USER_ID"],
        "password": creds["INTACCT_USER_PASSWORD"], "endpoint": creds["INTACCT_ENDPOINT"]}).status_code == 303
    saved = browser.post(f"{settings}/rest", data={"csrf_token": token, "client_id": emu.client_id,
                                                   "client_secret": emu.client_secret, "api": "xml"})
    assert saved.status_code == 303
    page = browser.get(f"{settings}?saved=rest").text
    assert "A secret is saved" in page and emu.client_secret not in page
    return ws, settings, token


def _sign_in_at_intacct(url: str, emu) -> dict[str, str]:
    """What the person does on Intacct's page: sign in and approve; returns the redirect's query."""
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256" and query["state"]
    assert query["redirect_uri"] == REDIRECT and "code_verifier" not in query
    with httpx.Client() as http:
        assert http.get(url).status_code == 200
        approved = http.post(url.split("?")[0], data={**query, "company_id": "helping-hands",
                                                       "user_id": emu.credentials["INTACCT_USER_ID"],
                                                       "password": emu.credentials["INTACCT_USER_PASSWORD"]})
    assert approved.status_code == 302
    back = urlparse(approved.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def test_connect_with_sage_intacct_stores_the_refresh_token_and_speaks_rest(browser, store, emu):
    ws, settings, token = _rest_workspace(browser, store, emu)
    started = browser.post(f"{settings}/rest/connect", data={"csrf_token": token})
    assert started.status_code == 303 and started.headers["location"].startswith(emu.rest_base_url + "/oauth2/authorize")
    back = _sign_in_at_intacct(started.headers["location"], emu)

    done = browser.get("/intacct/callback", params=back)

    assert done.status_code == 303 and done.headers["location"] == f"{settings}?saved=intacct"
    with store.session() as session:
        row = session.scalar(select(Connection))
        assert row.api == "rest" and row.refresh_token_encrypted
    assert "Connected with Sage Intacct" in browser.get(f"{settings}?saved=intacct").text
    assert browser.post(f"{settings}/test", data={"csrf_token": token}).status_code == 200
    with store.session() as session:  # signed in with the refresh token the connect flow gave
        assert session.scalar(select(Connection.last_test_ok)) is True
    replay = browser.get("/intacct/callback", params=back)  # the flow's cookie is spent: a replay does nothing
    assert replay.status_code == 303 and replay.headers["location"] == "/"


def test_a_callback_with_another_state_is_refused(browser, store, emu):
    ws, settings, token = _rest_workspace(browser, store, emu)
    started = browser.post(f"{settings}/rest/connect", data={"csrf_token": token})
    back = _sign_in_at_intacct(started.headers["location"], emu)
    refused = browser.get("/intacct/callback", params={**back, "state": "forged"})
    assert refused.status_code == 303 and "connect_error" in refused.headers["location"]
    assert "did not match" in browser.get(refused.headers["location"]).text
    with store.session() as session:
        assert session.scalar(select(Connection)).refresh_token_encrypted is None


def test_the_rest_forms_need_the_csrf_token(browser, store, emu):
    ws, settings, _ = _rest_workspace(browser, store, emu)
    for path in (f"{settings}/rest", f"{settings}/rest/connect"):
        assert browser.post(path, data={"csrf_token": "forged", "client_id": "x"}).status_code == 403

"""The REST API in the console: the OAuth client, the API choice, and "Connect with Sage Intacct".

Connect is the OAuth 2.0 authorization-code flow with PKCE (reference §1.2): the
console makes a `state` and a code verifier, keeps them (with the workspace) in a
short-lived cookie encrypted with the server's key, and sends the browser to
Intacct's sign-in page. Intacct sends it back to the redirect URI with a code and
the same state; the state is compared in constant time, the code traded for tokens
(with the verifier and the client secret) and the refresh token kept encrypted. The
redirect URI is the operator's (INTACCT_BRIDGE_OAUTH_REDIRECT_URI, registered with the
app in the Sage App Registry), else this console's own callback address.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import SecretStr

from intacct_bridge.crypto import SecretKeyError
from intacct_bridge.intacct.endpoints import EndpointNotAllowedError
from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.intacct.oauth import authorization_request, exchange_code
from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.models import Connection
from intacct_bridge.store.repositories.connections import load_connection, save_refresh_token, set_api
from intacct_bridge.web import services
from intacct_bridge.web.console.render import State, Ws, redirect
from intacct_bridge.web.console.session import Editor, User, set_cookie
from intacct_bridge.web.console.settings_page import render_settings

router = APIRouter(include_in_schema=False)
FLOW_COOKIE = "ib_intacct_connect"
FLOW_SECONDS = 600
CALLBACK = "/intacct/callback"
Text = Annotated[str, Form(max_length=500)]


def redirect_uri(request: Request, state: State) -> str:
    return state.operator.oauth_redirect_uri or str(request.base_url).rstrip("/") + CALLBACK


@router.post("/w/{ws}/settings/rest")
def save_rest(request: Request, state: State, user: Editor, ws: Ws, client_id: Text, api: Text = "rest",
              client_secret: Text = "") -> Response:
    """Save the OAuth client (the secret write-only: empty keeps the stored one) and the API choice."""
    try:
        with state.store.write_session() as session:
            services.save_rest_credentials(state, session, ws.id, client_id=client_id,
                                           client_secret=SecretStr(client_secret) if client_secret else None,
                                           use_rest=False)
            set_api(session, ws.id, api)
    except (StoreError, SecretKeyError) as error:
        return render_settings(request, state, user, ws, rest_error=str(error), status_code=409)
    return redirect(f"{ws.base}/settings?saved=rest")


@router.post("/w/{ws}/settings/rest/connect")
def connect(request: Request, state: State, user: Editor, ws: Ws) -> Response:
    """Start "Connect with Sage Intacct": off to Intacct's sign-in page, with state and a PKCE challenge."""
    with state.store.session() as session:
        row = session.get(Connection, ws.id)
        client_id = row.client_id if row is not None else None
    if not client_id:
        return render_settings(request, state, user, ws, status_code=409,
                               rest_error="Save the app's client ID and secret first, then connect.")
    base = state.operator.default_rest_endpoint
    try:
        state.operator.endpoint_policy().check(base)
    except EndpointNotAllowedError as refused:
        return render_settings(request, state, user, ws, rest_error=str(refused), status_code=422)
    uri = redirect_uri(request, state)
    flow = authorization_request(base, client_id, uri)
    kept = state.box.encrypt(json.dumps({"state": flow.state, "verifier": flow.code_verifier, "ws": ws.id,
                                         "slug": ws.slug, "redirect_uri": uri, "user": user.username}))
    response = RedirectResponse(flow.url, status_code=303)
    set_cookie(response, state, FLOW_COOKIE, kept, FLOW_SECONDS)
    return response


@router.get(CALLBACK, name="intacct_callback")
def callback(request: Request, state: State, user: User, code: str = "", error: str = "",
             error_description: str = "") -> Response:
    """Intacct sent the browser back: check the state, trade the code, keep the refresh token (encrypted)."""
    flow = _flow(request, state)
    if flow is None or flow.get("user") != user.username:
        return _done(None, "The connection was not started here, or took longer than 10 minutes: start it again.")
    ws_base = f"/w/{flow['slug']}"
    given = request.query_params.get("state", "")
    if not hmac.compare_digest(given.encode(), str(flow["state"]).encode()):
        return _done(ws_base, "The answer from Sage Intacct did not match this connection (state): start it again.")
    if error or not code:
        return _done(ws_base, f"Sage Intacct did not connect: {error_description or error or 'no code came back'}.")
    try:
        with state.store.session() as session:
            details = load_connection(session, flow["ws"], state.box)
        if not details.client_id or details.client_secret is None:
            return _done(ws_base, "Save the app's client ID and secret first, then connect.")
        tokens = exchange_code(state.operator.default_rest_endpoint, details.client_id,
                               details.client_secret.get_secret_value(), flow["redirect_uri"], code, flow["verifier"])
        refresh = tokens.get("refresh_token")
        if not refresh:
            return _done(ws_base, "Sage Intacct gave no refresh token: the app must ask for offline access.")
        with state.store.write_session() as session:
            save_refresh_token(session, flow["ws"], state.box, SecretStr(refresh))
            set_api(session, flow["ws"], "rest")
    except IntacctError as refused:
        return _done(ws_base, f"Sage Intacct refused the connection: {services.explain(refused)}")
    except (StoreError, SecretKeyError) as problem:
        return _done(ws_base, str(problem))
    return _done(ws_base, None)


def _flow(request: Request, state: State) -> dict | None:
    kept = request.cookies.get(FLOW_COOKIE)
    if not kept:
        return None
    try:
        return json.loads(state.box.decrypt(kept, max_age=FLOW_SECONDS).get_secret_value())
    except (SecretKeyError, ValueError, TypeError):
        return None


def _done(ws_base: str | None, problem: str | None) -> Response:
    """Back to the workspace's settings with the outcome (the flow's cookie is spent either way)."""
    if ws_base is None:
        target = "/"
    elif problem is None:
        target = f"{ws_base}/settings?saved=intacct"
    else:
        target = f"{ws_base}/settings?connect_error={quote(problem[:300])}"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(FLOW_COOKIE, path="/")
    return response

"""OAuth 2.0 on the REST wire over real HTTP: each grant, and each refusal told apart."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import httpx

from conftest import COMPANY, USER, RestClient
from intacct_emulator.backend.seeds import demo


def _token(rest: RestClient, **fields: str) -> httpx.Response:
    return rest.http.post(rest.base + "/oauth2/token", data=fields)


def _error(answer: httpx.Response) -> dict:
    body = answer.json()
    return body.get("ia::error") or body["ia::result"]["ia::error"]


def test_client_credentials_in_form_or_json(rest):
    json_grant = rest.http.post(rest.base + "/oauth2/token", json={
        "grant_type": "client_credentials", "client_id": demo.CLIENT_ID, "client_secret": demo.CLIENT_SECRET,
        "username": f"{USER[0]}@{COMPANY}"})
    assert json_grant.status_code == 200
    token = json_grant.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 43200 and token["refresh_token"]
    assert rest.call("GET", "/objects/general-ledger/account", token=token["access_token"]).status_code == 200


def test_each_credential_problem_has_its_own_answer(rest):
    base = {"grant_type": "client_credentials", "client_id": demo.CLIENT_ID, "client_secret": demo.CLIENT_SECRET}
    bad_secret = _token(rest, **{**base, "client_secret": "wrong", "username": f"{USER[0]}@{COMPANY}"})
    assert bad_secret.status_code == 401 and "client secret" in _error(bad_secret)["message"]
    unknown_client = _token(rest, **{**base, "client_id": "nobody", "username": f"{USER[0]}@{COMPANY}"})
    assert unknown_client.status_code == 401 and "unknown" in _error(unknown_client)["message"]
    rogue = _token(rest, grant_type="client_credentials", client_id=demo.ROGUE_CLIENT_ID,
                   client_secret=demo.ROGUE_CLIENT_SECRET, username=f"{USER[0]}@{COMPANY}")
    assert rogue.status_code == 401 and "not authorized for company" in _error(rogue)["message"]
    no_user = _token(rest, **base, username=f"ghost@{COMPANY}")
    assert no_user.status_code == 401 and "not an active user" in _error(no_user)["message"]
    no_tenant = _token(rest, **base, username=USER[0])
    assert no_tenant.status_code == 400 and _error(no_tenant)["code"] == "GW-0012"
    no_entity = _token(rest, **base, username=f"{USER[0]}@helping-hands-group|E999")
    assert no_entity.status_code == 401 and "entity E999" in _error(no_entity)["message"]
    assert _error(_token(rest, grant_type="password"))["code"] == "GW-0032"
    assert _error(rest.http.post(rest.base + "/oauth2/token"))["code"] == "GW-0035"


def test_api_calls_need_a_live_bearer_token(rest, emulator):
    assert rest.http.get(rest.base + "/objects/general-ledger/account").status_code == 401
    basic = rest.http.get(rest.base + "/objects/general-ledger/account", headers={"Authorization": "Basic abc"})
    assert basic.status_code == 401 and _error(basic)["code"] == "GW-0034"
    assert rest.call("GET", "/objects/general-ledger/account", token="made-up").status_code == 401
    with emulator.state.backend.transaction() as conn:  # the access token expires
        conn.execute("UPDATE rest_tokens SET expires_at = 0 WHERE kind = 'access'")
    expired = rest.call("GET", "/objects/general-ledger/account")
    assert expired.status_code == 401 and "expired" in _error(expired)["message"]
    assert emulator.admin.usage()["helping-hands"]["authentication_failures"] >= 1


def test_refresh_keeps_the_refresh_token_and_revoke_ends_both(rest):
    first = rest.grant(username=f"{USER[0]}@{COMPANY}").json()
    refreshed = _token(rest, grant_type="refresh_token", client_id=demo.CLIENT_ID, client_secret=demo.CLIENT_SECRET,
                       refresh_token=first["refresh_token"])
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] == first["refresh_token"]
    access = refreshed.json()["access_token"]
    assert rest.call("GET", "/objects/general-ledger/account", token=access).status_code == 200
    revoked = rest.http.post(rest.base + "/oauth2/revoke", data={
        "client_id": demo.CLIENT_ID, "client_secret": demo.CLIENT_SECRET, "token": first["refresh_token"]})
    assert revoked.json() == {"revoked": True}
    assert rest.call("GET", "/objects/general-ledger/account", token=access).status_code == 401
    again = _token(rest, grant_type="refresh_token", client_id=demo.CLIENT_ID, client_secret=demo.CLIENT_SECRET,
                   refresh_token=first["refresh_token"])
    assert again.status_code == 401 and "revoked" in _error(again)["message"]


def test_expired_refresh_token_is_told_apart(rest, emulator):
    first = rest.grant(username=f"{USER[0]}@{COMPANY}").json()
    with emulator.state.backend.transaction() as conn:
        conn.execute("UPDATE rest_tokens SET expires_at = 0 WHERE kind = 'refresh'")
    answer = _token(rest, grant_type="refresh_token", client_id=demo.CLIENT_ID, refresh_token=first["refresh_token"])
    assert answer.status_code == 401 and "expired" in _error(answer)["message"]


def test_authorization_code_with_pkce_and_offline_access(rest):
    verifier = secrets.token_urlsafe(40)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {"response_type": "code", "client_id": demo.CLIENT_ID, "redirect_uri": demo.CLIENT_REDIRECT_URIS[0],
              "state": "st-1", "scope": "offline_access", "code_challenge": challenge, "code_challenge_method": "S256"}
    page = rest.http.get(rest.base + "/oauth2/authorize", params=params)
    assert page.status_code == 200 and 'name="password"' in page.text
    approved = rest.http.post(rest.base + "/oauth2/authorize", data={
        **params, "company_id": COMPANY, "user_id": USER[0], "password": USER[1]})
    assert approved.status_code == 302
    location = urlparse(approved.headers["location"])
    query = parse_qs(location.query)
    assert location.path == "/callback" and query["state"] == ["st-1"]
    exchange = {"grant_type": "authorization_code", "code": query["code"][0], "client_id": demo.CLIENT_ID,
                "redirect_uri": demo.CLIENT_REDIRECT_URIS[0]}
    wrong = _token(rest, **exchange, code_verifier="not-the-verifier")
    assert wrong.status_code == 400 and "code_verifier" in _error(wrong)["message"]
    approved = rest.http.post(rest.base + "/oauth2/authorize", data={
        **params, "company_id": COMPANY, "user_id": USER[0], "password": USER[1]})
    exchange["code"] = parse_qs(urlparse(approved.headers["location"]).query)["code"][0]
    token = _token(rest, **exchange, code_verifier=verifier)
    assert token.status_code == 200 and token.json()["refresh_token"]
    assert _token(rest, **exchange, code_verifier=verifier).status_code == 400  # a code is used once
    bad_login = rest.http.post(rest.base + "/oauth2/authorize", data={
        **params, "company_id": COMPANY, "user_id": USER[0], "password": "wrong"})
    assert bad_login.status_code == 401


def test_user_without_permission_gets_403(emulator):
    limited = RestClient(emulator, username=f"{demo.LIMITED_USER_ID}@{COMPANY}")
    try:
        answer = limited.call("GET", "/objects/company-config/department")
        assert answer.status_code == 403 and _error(answer)["code"] == "forbidden"
        assert limited.call("GET", "/objects/company-config/location").status_code == 200
    finally:
        limited.close()


def test_rest_session_id_opens_the_xml_gateway_and_an_xml_session_mints_a_token(rest, wire):
    session = rest.ok("GET", "/services/core/session/id")
    answer = wire.call([("q", "<readByQuery><object>GLACCOUNT</object><fields>ACCOUNTNO</fields>"
                              "<query></query><pagesize>1</pagesize></readByQuery>")],
                       auth=wire.session(session["sessionId"]))
    assert answer.result().findtext("status") == "success"
    token = _token(rest, grant_type="client_credentials", client_id=demo.CLIENT_ID,
                   client_secret=demo.CLIENT_SECRET, session_id=wire.open_session())
    assert token.status_code == 200
    assert rest.call("GET", "/objects/general-ledger/account", token=token.json()["access_token"]).status_code == 200

"""OAuth 2.0 for the REST wire (reference §1): clients, grants, access and refresh tokens.

Grants: `client_credentials` (username `user@company`, `|entity` appended for an
entity token, or `session_id` of an XML API session), `authorization_code` (with
PKCE S256 or the client secret) and `refresh_token` (optional `entity_id`; the
refresh token is kept, not rotated, as both 3P clients expect it may be).
Every refusal raises `RestError` with the gateway code the reference names
(GW-0011 invalid request, GW-0012 missing tenant, GW-0031 invalid token,
GW-0032..39 malformed requests) and a message that tells the causes apart.
Runs on a worker thread inside one backend transaction.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from intacct_emulator import sessions
from intacct_emulator.config import EmulatorConfig

from .envelope import RestError
from .tables import digest

CODE_SECONDS = 600


@dataclass(frozen=True)
class Caller:
    """Who a bearer token speaks for."""

    client_id: str
    company_id: str
    user: Any
    entity_id: str | None  # the token's default entity; None = top level
    token_digest: str


def _gw(status: int, code: str, title: str, reason: str) -> RestError:
    return RestError(status, code, f"{title}: {reason}")


def _client(conn: sqlite3.Connection, form: dict[str, str], *, secret_required: bool = True) -> sqlite3.Row:
    client_id = form.get("client_id") or ""
    if not client_id:
        raise _gw(400, "GW-0037", "Missing client_id", "give the client ID of your app")
    row = conn.execute("SELECT * FROM rest_clients WHERE client_id = ?", (client_id,)).fetchone()
    given = form.get("client_secret")
    if row is None:
        raise _gw(401, "GW-0011", "Invalid Request", f"client ID {client_id} is unknown or inactive")
    if (secret_required or given is not None) and not hmac.compare_digest(row["secret"].encode(), (given or "").encode()):
        raise _gw(401, "GW-0011", "Invalid Request", "the client secret does not match the client ID")
    return row


def _user_for(backend: Any, conn: sqlite3.Connection, client: sqlite3.Row, company_id: str, user_id: str,
              entity_id: str | None) -> Any:
    """The user a token will speak for, after every company-level check the gateway makes."""
    company = backend.company(conn, company_id)
    if company is None:
        raise _gw(401, "GW-0011", "Invalid Request", f"company {company_id} was not found")
    if not backend.sender_authorized(conn, client["sender_id"], company_id):
        raise _gw(401, "GW-0011", "Invalid Request",
                  f"the sender of client {client['client_id']} is not authorized for company {company_id};"
                  " an administrator must add it on the Company Security tab")
    if not company.web_services:
        raise _gw(401, "GW-0011", "Invalid Request", f"company {company_id} has no Web Services subscription")
    user = backend.user(conn, company_id, user_id)
    if user is None or not user.active:
        raise _gw(401, "GW-0011", "Invalid Request", f"user {user_id} is not an active user of company {company_id}")
    if entity_id and backend.entity(conn, company_id, entity_id) is None:
        raise _gw(401, "GW-0011", "Invalid Request", f"entity {entity_id} does not exist in company {company_id}")
    return user


def _issue(conn: sqlite3.Connection, config: EmulatorConfig, now: datetime, client_id: str, company_id: str,
           user_id: str, entity_id: str | None, *, refresh: str | None = None) -> dict[str, Any]:
    """A new access token, and a new refresh token unless one is being reused."""
    access = "ia." + secrets.token_urlsafe(32)
    stamp = now.timestamp()
    conn.execute("INSERT INTO rest_tokens (digest, kind, client_id, company_id, user_id, entity_id, issued_at,"
                 " expires_at) VALUES (?, 'access', ?, ?, ?, ?, ?, ?)",
                 (digest(access), client_id, company_id, user_id, entity_id, stamp, stamp + config.rest_token_seconds))
    answer: dict[str, Any] = {"token_type": "Bearer", "access_token": access, "expires_in": config.rest_token_seconds}
    if refresh is None:
        refresh = "iar." + secrets.token_urlsafe(32)
        conn.execute("INSERT INTO rest_tokens (digest, kind, client_id, company_id, user_id, entity_id, issued_at,"
                     " expires_at) VALUES (?, 'refresh', ?, ?, ?, ?, ?, ?)",
                     (digest(refresh), client_id, company_id, user_id, entity_id, stamp,
                      stamp + config.rest_refresh_token_seconds))
    answer["refresh_token"] = refresh
    return answer


def _username(value: str) -> tuple[str, str, str | None]:
    """`user@company` or `user@company|entity` -> (user, company, entity)."""
    if not value.strip():
        raise _gw(400, "GW-0036", "Empty username", "give username as user@company")
    who, _, entity = value.partition("|")
    user_id, at, company_id = who.rpartition("@")
    if not at or not user_id or not company_id:
        raise _gw(400, "GW-0012", "Missing Tenant Data", f"username {value!r} must be user@company[|entity]")
    return user_id, company_id, entity or None


def token(backend: Any, conn: sqlite3.Connection, config: EmulatorConfig, now: datetime,
          form: dict[str, str]) -> dict[str, Any]:
    """POST /oauth2/token for every grant."""
    grant = form.get("grant_type", "")
    if grant == "client_credentials":
        client = _client(conn, form)
        if form.get("session_id"):
            session = sessions.use(conn, form["session_id"], now, config.session_minutes)
            if session is None:
                raise _gw(401, "GW-0011", "Invalid Request", "the session ID is unknown or expired")
            user_id, company_id, entity_id = session.user_id, session.company_id, session.entity_id
        elif "username" in form:
            user_id, company_id, entity_id = _username(form["username"])
        else:
            raise _gw(400, "GW-0032", "Invalid grant", "client_credentials needs username or session_id")
        _user_for(backend, conn, client, company_id, user_id, entity_id)
        return _issue(conn, config, now, client["client_id"], company_id, user_id, entity_id)
    if grant == "authorization_code":
        return _exchange_code(backend, conn, config, now, form)
    if grant == "refresh_token":
        return _refresh(backend, conn, config, now, form)
    raise _gw(400, "GW-0032", "Invalid grant_type",
              "use client_credentials, authorization_code or refresh_token")


def _exchange_code(backend: Any, conn: sqlite3.Connection, config: EmulatorConfig, now: datetime,
                   form: dict[str, str]) -> dict[str, Any]:
    verifier = form.get("code_verifier")
    client = _client(conn, form, secret_required=verifier is None)
    row = conn.execute("SELECT * FROM rest_grants WHERE code_digest = ?", (digest(form.get("code", "")),)).fetchone()
    conn.execute("DELETE FROM rest_grants WHERE code_digest = ?", (digest(form.get("code", "")),))  # single use
    if row is None or row["client_id"] != client["client_id"] or row["expires_at"] <= now.timestamp():
        raise _gw(400, "GW-0031", "Invalid Token", "the authorization code is unknown, used or expired")
    if row["redirect_uri"] != form.get("redirect_uri", ""):
        raise _gw(400, "GW-0032", "Invalid grant", "redirect_uri differs from the one of the authorization request")
    if row["code_challenge"]:
        expected = base64.urlsafe_b64encode(hashlib.sha256((verifier or "").encode()).digest()).rstrip(b"=").decode()
        if not hmac.compare_digest(expected, row["code_challenge"]):
            raise _gw(400, "GW-0032", "Invalid grant", "the PKCE code_verifier does not match the code_challenge")
    _user_for(backend, conn, client, row["company_id"], row["user_id"], row["entity_id"])
    answer = _issue(conn, config, now, client["client_id"], row["company_id"], row["user_id"], row["entity_id"])
    if "offline_access" not in row["scope"].split():
        answer.pop("refresh_token")
    return answer


def _refresh(backend: Any, conn: sqlite3.Connection, config: EmulatorConfig, now: datetime,
             form: dict[str, str]) -> dict[str, Any]:
    client = _client(conn, form, secret_required=False)
    refresh = form.get("refresh_token", "")
    row = conn.execute("SELECT * FROM rest_tokens WHERE digest = ? AND kind = 'refresh'", (digest(refresh),)).fetchone()
    if row is None or row["client_id"] != client["client_id"]:
        raise _gw(401, "GW-0031", "Invalid Token", "the refresh token is unknown")
    if row["revoked"]:
        raise _gw(401, "GW-0031", "Invalid Token", "the refresh token was revoked; connect again")
    if row["expires_at"] <= now.timestamp():
        raise _gw(401, "GW-0031", "Invalid Token", "the refresh token has expired; connect again")
    entity_id = form.get("entity_id") or row["entity_id"]
    _user_for(backend, conn, client, row["company_id"], row["user_id"], entity_id)
    return _issue(conn, config, now, client["client_id"], row["company_id"], row["user_id"], entity_id,
                  refresh=refresh)


def authorize(backend: Any, conn: sqlite3.Connection, now: datetime, params: dict[str, str]) -> str:
    """The approved authorization request: checks the sign-in, returns the redirect with code and state."""
    client = _client(conn, params, secret_required=False)
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in json.loads(client["redirect_uris"]):
        raise _gw(400, "GW-0032", "Invalid redirect_uri", f"{redirect_uri!r} is not registered for the client")
    if params.get("code_challenge") and params.get("code_challenge_method", "S256") != "S256":
        raise _gw(400, "GW-0032", "Invalid code_challenge_method", "use S256")
    company_id, user_id = params.get("company_id", ""), params.get("user_id", "")
    user = backend.user(conn, company_id, user_id) if backend.company(conn, company_id) else None
    if user is None or not hmac.compare_digest(user.password.encode(), params.get("password", "").encode()):
        raise _gw(401, "GW-0011", "Invalid Request", "sign-in failed: check company ID, user ID and password")
    entity_id = params.get("entity_id") or None
    _user_for(backend, conn, client, company_id, user_id, entity_id)
    code = secrets.token_urlsafe(24)
    conn.execute("INSERT INTO rest_grants (code_digest, client_id, company_id, user_id, entity_id, redirect_uri,"
                 " code_challenge, scope, expires_at) VALUES (?,?,?,?,?,?,?,?,?)",
                 (digest(code), client["client_id"], company_id, user_id, entity_id, redirect_uri,
                  params.get("code_challenge") or None, params.get("scope", ""), now.timestamp() + CODE_SECONDS))
    separator = "&" if "?" in redirect_uri else "?"
    return redirect_uri + separator + urlencode({"code": code, "state": params.get("state", "")})


def revoke(conn: sqlite3.Connection, form: dict[str, str]) -> dict[str, Any]:
    """POST /oauth2/revoke (3P only, reference §1.4): a refresh token takes its access tokens with it."""
    client = _client(conn, form)
    row = conn.execute("SELECT * FROM rest_tokens WHERE digest = ?", (digest(form.get("token", "")),)).fetchone()
    if row is not None and row["client_id"] == client["client_id"]:
        conn.execute("UPDATE rest_tokens SET revoked = 1 WHERE digest = ?", (row["digest"],))
        if row["kind"] == "refresh":
            conn.execute("UPDATE rest_tokens SET revoked = 1 WHERE kind = 'access' AND client_id = ? AND company_id = ?"
                         " AND user_id = ?", (row["client_id"], row["company_id"], row["user_id"]))
    return {"revoked": True}


def introspect(backend: Any, conn: sqlite3.Connection, now: datetime, form: dict[str, str]) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM rest_tokens WHERE digest = ?", (digest(form.get("token", "")),)).fetchone()
    if row is None or row["revoked"] or row["expires_at"] <= now.timestamp():
        return {"active": False}
    entity = backend.entity(conn, row["company_id"], row["entity_id"]) if row["entity_id"] else None
    return {"active": True, "token_type": row["kind"], "client_id": row["client_id"], "user_id": row["user_id"],
            "cny_id": row["company_id"], "company_key": row["company_id"], "exp": int(row["expires_at"]),
            "iat": int(row["issued_at"]), "entity_id": row["entity_id"],
            "entity_key": str(entity.recordno) if entity else None, "user_key": row["user_id"], "ai_enabled": False}


def caller(backend: Any, conn: sqlite3.Connection, now: datetime, authorization: str | None) -> Caller:
    """The caller behind an `Authorization: Bearer` header, or a 401 saying why not."""
    if not authorization:
        raise RestError(401, "GW-0034", "Invalid Authorization Header: send Authorization: Bearer <access token>")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise RestError(401, "GW-0034", "Invalid Authorization Header: the scheme must be Bearer")
    row = conn.execute("SELECT * FROM rest_tokens WHERE digest = ? AND kind = 'access'",
                       (digest(value.strip()),)).fetchone()
    if row is None:
        raise RestError(401, "GW-0031", "OAuth2 is not able to authenticate the login credential: unknown token")
    if row["revoked"]:
        raise RestError(401, "GW-0031", "OAuth2 is not able to authenticate the login credential: token revoked")
    if row["expires_at"] <= now.timestamp():
        raise RestError(401, "GW-0031", "OAuth2 is not able to authenticate the login credential: token expired")
    user = backend.user(conn, row["company_id"], row["user_id"])
    company = backend.company(conn, row["company_id"])
    if user is None or not user.active or company is None or not company.web_services:
        raise RestError(401, "GW-0011", "Invalid Request: the token's user or company is no longer active")
    return Caller(row["client_id"], row["company_id"], user, row["entity_id"], row["digest"])


def company_of_token(conn: sqlite3.Connection, authorization: str | None) -> str | None:
    """The company a bearer token belongs to (valid or not), to pick its concurrency slot."""
    value = (authorization or "").partition(" ")[2].strip()
    row = conn.execute("SELECT company_id FROM rest_tokens WHERE digest = ?", (digest(value),)).fetchone()
    return row[0] if row else None


def drop_access_token(conn: sqlite3.Connection, authorization: str | None) -> None:
    """The `session_expiry` fault on this wire: the request's access token expires now."""
    value = (authorization or "").partition(" ")[2].strip()
    conn.execute("UPDATE rest_tokens SET expires_at = 0 WHERE digest = ? AND kind = 'access'", (digest(value),))

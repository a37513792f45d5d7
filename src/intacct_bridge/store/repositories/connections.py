"""A workspace's Intacct connection: saved with the password encrypted, read back as a `SecretStr`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.crypto import SecretBox
from intacct_bridge.intacct.endpoints import EndpointNotAllowedError, EndpointPolicy, shown
from intacct_bridge.store.errors import Conflict, EndpointRefused, NotFound
from intacct_bridge.store.repositories import audit
from intacct_bridge.store.models import Connection, utcnow


@dataclass(frozen=True)
class ConnectionDetails:
    """What a client needs to sign in as the workspace (the sender comes from operator settings)."""

    company_id: str
    user_id: str
    password: SecretStr = field(repr=False)
    entity_id: str | None
    endpoint: str | None  # None: the operator's default endpoint
    last_test_at: datetime | None = None
    last_test_ok: bool | None = None
    last_test_message: str | None = None
    api: str = "xml"                      # "xml" | "rest" (APIS)
    client_id: str | None = None
    client_secret: SecretStr | None = field(default=None, repr=False)
    refresh_token: SecretStr | None = field(default=None, repr=False)


APIS = ("xml", "rest")


def _required(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise Conflict(f"the {what} cannot be empty")
    return value


def allowed_endpoint(endpoint: str | None, allowed: EndpointPolicy | None) -> str | None:
    """The endpoint to store (None: the operator's default), if the operator's allow-list has it.

    Refused with the fix: the sender password goes wherever a workspace's endpoint points.
    """
    endpoint = (endpoint or "").strip() or None
    if endpoint is None:
        return None
    if not endpoint.startswith(("http://", "https://")):
        raise Conflict(f"the endpoint must be an http(s) URL, not {shown(endpoint)!r}")
    if allowed is None:
        raise TypeError("an endpoint is saved only with the operator's allow-list (OperatorSettings.endpoint_policy())")
    try:
        return allowed.check(endpoint)
    except EndpointNotAllowedError as refused:
        raise EndpointRefused(
            f"{refused}. The sender password goes to this address, so only the operator may allow one: "
            "add it to INTACCT_BRIDGE_ALLOWED_ENDPOINTS (comma-separated) and restart, or leave the endpoint "
            "empty to use the default") from None


def save_connection(
    session: Session,
    workspace_id: int,
    box: SecretBox,
    *,
    company_id: str,
    user_id: str,
    password: SecretStr,
    entity_id: str | None = None,
    endpoint: str | None = None,
    allowed: EndpointPolicy | None = None,
) -> Connection:
    """Create or replace the connection; a new password resets the last test result.

    `endpoint` None keeps the stored one; a given endpoint must pass `allowed` (the operator's allow-list).
    """
    if not password.get_secret_value():
        raise Conflict("the password cannot be empty")
    checked = allowed_endpoint(endpoint, allowed)
    row = session.get(Connection, workspace_id)
    if row is None:
        row = Connection(workspace_id=workspace_id)
        session.add(row)
    row.company_id = _required(company_id, "company id")
    row.user_id = _required(user_id, "user id")
    row.password_encrypted = box.encrypt(password)
    row.entity_id = (entity_id or "").strip() or None
    if endpoint is not None:
        row.endpoint = checked
    row.last_test_at = row.last_test_ok = row.last_test_message = None
    session.flush()
    audit.record(session, workspace_id, "connection.saved", f"{row.company_id} as {row.user_id}",
                 {"company_id": row.company_id, "user_id": row.user_id, "entity_id": row.entity_id,
                  "password": "(changed)", **({"endpoint": row.endpoint} if endpoint is not None else {})})
    return row


def set_endpoint(session: Session, workspace_id: int, endpoint: str | None,
                 allowed: EndpointPolicy | None = None) -> None:
    """Point the workspace at another endpoint of the allow-list (None or empty: the operator's default)."""
    row = _connected(session, workspace_id)
    row.endpoint = allowed_endpoint(endpoint, allowed)
    session.flush()
    audit.record(session, workspace_id, "connection.endpoint", row.endpoint or "the default endpoint")


def load_connection(session: Session, workspace_id: int, box: SecretBox) -> ConnectionDetails:
    row = session.get(Connection, workspace_id)
    if row is None:
        raise NotFound("this workspace is not connected to Intacct: run `intacct-bridge connect`")
    return ConnectionDetails(
        company_id=row.company_id,
        user_id=row.user_id,
        password=box.decrypt(row.password_encrypted),
        entity_id=row.entity_id,
        endpoint=row.endpoint,
        last_test_at=row.last_test_at,
        last_test_ok=row.last_test_ok,
        last_test_message=row.last_test_message,
        api=row.api or "xml",
        client_id=row.client_id,
        client_secret=box.decrypt(row.client_secret_encrypted) if row.client_secret_encrypted else None,
        refresh_token=box.decrypt(row.refresh_token_encrypted) if row.refresh_token_encrypted else None,
    )


def _connected(session: Session, workspace_id: int) -> Connection:
    row = session.get(Connection, workspace_id)
    if row is None:
        raise NotFound("this workspace is not connected yet: run `intacct-bridge connect` first")
    return row


def set_api(session: Session, workspace_id: int, api: str) -> None:
    """Switch the workspace between the XML gateway and the REST API (safe: the outbox settles by lookup)."""
    api = api.strip().lower()
    if api not in APIS:
        raise Conflict(f"the API is one of {', '.join(APIS)}, not {api!r}")
    row = _connected(session, workspace_id)
    if api == "rest" and not (row.client_id and row.client_secret_encrypted):
        raise Conflict("the REST API needs the OAuth client id and client secret first "
                       "(`intacct-bridge connect-rest`, or the console's Connect with Sage Intacct)")
    row.api = api
    row.last_test_at = row.last_test_ok = row.last_test_message = None
    session.flush()


def save_rest_client(session: Session, workspace_id: int, box: SecretBox, *, client_id: str,
                     client_secret: SecretStr | None, refresh_token: SecretStr | None = None,
                     company_id: str | None = None, user_id: str | None = None,
                     entity_id: str | None = None) -> None:
    """Keep the OAuth client of the REST API (secret encrypted). A workspace not connected yet is connected
    here with `company_id` and `user_id` (no XML password: it speaks REST only). A new client forgets the
    old refresh token; `client_secret` None keeps the stored secret (a form never shows it back).
    """
    row = session.get(Connection, workspace_id)
    if row is None:
        if not company_id or not user_id:
            raise NotFound("this workspace is not connected yet: give the company id and user id too")
        row = Connection(workspace_id=workspace_id, password_encrypted=box.encrypt(SecretStr("")))
        session.add(row)
    if company_id is not None:
        row.company_id = _required(company_id, "company id")
    if user_id is not None:
        row.user_id = _required(user_id, "user id")
    if entity_id is not None:
        row.entity_id = entity_id.strip() or None
    client_id = _required(client_id, "client id")
    if client_secret is None or not client_secret.get_secret_value():
        if not row.client_secret_encrypted or row.client_id != client_id:
            raise Conflict("the client secret cannot be empty")
    else:
        row.client_secret_encrypted = box.encrypt(client_secret)
    if row.client_id != client_id or refresh_token is not None:
        row.refresh_token_encrypted = box.encrypt(refresh_token) if refresh_token else None
    row.client_id = client_id
    row.last_test_at = row.last_test_ok = row.last_test_message = None
    session.flush()


def save_refresh_token(session: Session, workspace_id: int, box: SecretBox, refresh_token: SecretStr | None) -> None:
    """Keep (encrypted) the refresh token "Connect with Sage Intacct" gave, or a rotated one; None forgets it."""
    row = _connected(session, workspace_id)
    row.refresh_token_encrypted = box.encrypt(refresh_token) if refresh_token else None
    session.flush()


def record_test_result(session: Session, workspace_id: int, ok: bool, message: str) -> None:
    """Remember the outcome of `test-connection` for `status` and the console."""
    row = session.get(Connection, workspace_id)
    if row is None:
        raise NotFound("this workspace is not connected to Intacct")
    row.last_test_at, row.last_test_ok, row.last_test_message = utcnow(), ok, message
    session.flush()


def rotate_passwords(session: Session, box: SecretBox) -> int:
    """Re-encrypt every stored password under the box's newest key; return how many."""
    rows = session.scalars(select(Connection)).all()
    for row in rows:
        row.password_encrypted = box.rotate(row.password_encrypted)
        if row.client_secret_encrypted:
            row.client_secret_encrypted = box.rotate(row.client_secret_encrypted)
        if row.refresh_token_encrypted:
            row.refresh_token_encrypted = box.rotate(row.refresh_token_encrypted)
    session.flush()
    return len(rows)

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
    return row


def set_endpoint(session: Session, workspace_id: int, endpoint: str | None,
                 allowed: EndpointPolicy | None = None) -> None:
    """Point the workspace at another endpoint of the allow-list (None or empty: the operator's default)."""
    row = session.get(Connection, workspace_id)
    if row is None:
        raise NotFound("this workspace is not connected yet: run `intacct-bridge connect` first")
    row.endpoint = allowed_endpoint(endpoint, allowed)
    session.flush()


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
    )


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
    session.flush()
    return len(rows)

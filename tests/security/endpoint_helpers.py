"""Helpers of the endpoint tests: planting an endpoint in the database, API tokens, a console session."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Connection
from intacct_bridge.web.access import create_token, create_user

SENDER_PASSWORD = "bridge-sender-pw"  # the demo seed's sender password: the secret that must not leak
CONSOLE_USER, CONSOLE_PASSWORD = "finance-admin", "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def plant_endpoint(store: Store, workspace_id: int, url: str) -> None:
    """Write an endpoint straight into the database, as one saved before the allow-list existed would be."""
    with store.write_session() as session:
        session.get(Connection, workspace_id).endpoint = url


def stored_endpoint(store: Store, workspace_id: int) -> str | None:
    with store.session() as session:
        return session.get(Connection, workspace_id).endpoint


def token(store: Store, workspace_id: int | None) -> dict[str, str]:
    """Authorization headers of a new token: the workspace's, or an admin one (None)."""
    with store.write_session() as session:
        plaintext, _ = create_token(session, workspace_id, "tests")
    return {"Authorization": f"Bearer {plaintext}"}


def console_sign_in(client: TestClient, store: Store) -> None:
    with store.write_session() as session:
        create_user(session, CONSOLE_USER, CONSOLE_PASSWORD)
    csrf = csrf_of(client, "/login")
    response = client.post("/login", data={"username": CONSOLE_USER, "password": CONSOLE_PASSWORD,
                                           "csrf_token": csrf, "next": "/"})
    assert response.status_code == 303, response.text


def csrf_of(client: TestClient, path: str) -> str:
    return _CSRF.search(client.get(path).text).group(1)

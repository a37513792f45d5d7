"""Helpers of the web tests: an API caller bound to a token and a workspace, sample payloads, polling."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from intacct_bridge.store.database import Store
from intacct_bridge.store.repositories.workspaces import create_workspace
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.web.access import create_token, create_user
from intacct_bridge.web.app import create_app

FAST_CLIENT = {"backoff_base": 0.01, "backoff_max": 0.05, "throttle_pause": 0.01, "timeout": 10.0}
TERMINAL = {"succeeded", "halted", "failed", "completed_with_errors"}
USER, PASSWORD = "finance-admin", "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Api:
    """Calls under /api/v1 with one bearer token; `ws(path)` prefixes the workspace's path."""

    client: TestClient
    token: str
    slug: str | None = None
    workspace_id: int | None = None

    @classmethod
    def admin(cls, client: TestClient, store: Store) -> Api:
        with store.write_session() as session:
            token, _ = create_token(session, None, "tests")
        return cls(client, token)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def ws(self, path: str = "") -> str:
        return f"/api/v1/workspaces/{self.slug}{path}"

    def get(self, path: str, **kwargs: Any):
        return self.client.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, **kwargs: Any):
        return self.client.post(path, headers=self.headers, **kwargs)

    def put(self, path: str, **kwargs: Any):
        return self.client.put(path, headers=self.headers, **kwargs)

    def patch(self, path: str, **kwargs: Any):
        return self.client.patch(path, headers=self.headers, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.client.delete(path, headers=self.headers, **kwargs)

    def wait_for_run(self, run_id: int, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body = self.get(self.ws(f"/runs/{run_id}")).json()
            if body["status"] in TERMINAL:
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"run {run_id} still {body['status']} after {timeout}s")
            time.sleep(0.1)


def make_workspace(client: TestClient, store: Store, name: str) -> Api:
    with store.write_session() as session:
        workspace = create_workspace(session, name)
        token, _ = create_token(session, workspace.id, "tests")
        return Api(client, token, workspace.slug, workspace.id)


def action(number: int, *, campaigns: list[str | int] | None = None, amount: str | None = "100.00",
           **fields: Any) -> dict[str, Any]:
    """One action payload with a stable external id."""
    body: dict[str, Any] = {
        "external_id": f"A-{number:05d}", "type": "donation", "amount": amount,
        "happened_at": "2026-10-01T12:00:00Z", "created_at": "2026-10-01T12:05:00Z",
        "summary": f"Donation {number}", "url": f"https://crm.example.org/actions/{number}",
        "constituent": {"external_id": f"C-{number % 7:03d}", "name": f"Person {number % 7}"},
        "campaigns": campaigns or [],
    }
    body.update(fields)
    return body


def connect_to_emulator(api: Api, emu, wire: str = "xml") -> None:
    """Save the emulator's demo credentials as the workspace's connection, through the API; `wire="rest"` also
    saves the demo OAuth client and switches the workspace to the REST API."""
    creds = emu.credentials
    response = api.put(api.ws("/connection"), json={
        "company_id": creds["INTACCT_COMPANY_ID"], "user_id": creds["INTACCT_USER_ID"],
        "password": creds["INTACCT_USER_PASSWORD"], "endpoint": creds["INTACCT_ENDPOINT"]})
    assert response.status_code == 200, response.text
    if wire == "rest":
        response = api.put(api.ws("/connection/rest"), json={"client_id": emu.client_id,
                                                              "client_secret": emu.client_secret})
        assert response.status_code == 200 and response.json()["api"] == "rest", response.text


@contextmanager
def console_client(store: Store, operator: OperatorSettings) -> Iterator[TestClient]:
    """The app in-process with one console user, redirects not followed (the tests look at them)."""
    with store.write_session() as session:
        create_user(session, USER, PASSWORD)
    with TestClient(create_app(store=store, operator=operator, client_options=FAST_CLIENT),
                    follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, password: str = PASSWORD, next_path: str = "/"):
    form = client.get("/login")
    token = TOKEN.search(form.text).group(1)
    return client.post("/login", data={"username": USER, "password": password, "csrf_token": token,
                                       "next": next_path})


def csrf_of(client: TestClient, path: str) -> str:
    return TOKEN.search(client.get(path).text).group(1)

"""Who may call what: tokens, admin-only endpoints, and every workspace endpoint refused across workspaces."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intacct_bridge.store.models import ApiToken
from intacct_bridge.web.access import digest
from web_helpers import Api, action

ANY_ID = "1"


def workspace_routes(client) -> list[tuple[str, str]]:
    """(method, path template) of every endpoint under /workspaces/{workspace} in the OpenAPI document."""
    spec = client.get("/api/v1/openapi.json").json()
    base = spec["servers"][0]["url"]
    assert base == "/api/v1"
    routes = []
    for path, operations in spec["paths"].items():
        if "{workspace}" in path:
            routes += [(method.upper(), base + path) for method in operations]
    return routes


def fill(path: str, slug: str, ids: dict[str, int] | None = None) -> str:
    ids = ids or {}
    path = path.replace("{workspace}", slug)
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), ANY_ID)), path)


def test_health_needs_no_token(client):
    assert client.get("/api/v1/health").json() == {"status": "ok"}


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer ib_unknown-token", "Basic abc", "Bearer "])
def test_missing_or_bad_token_is_401_on_every_endpoint(client, two_workspaces, header):
    alpha, _ = two_workspaces
    headers = {"Authorization": header} if header else {}
    paths = [("GET", "/api/v1/workspaces"), ("POST", "/api/v1/workspaces")] + workspace_routes(client)
    for method, path in paths:
        response = client.request(method, fill(path, alpha.slug), headers=headers)
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_revoked_token_is_refused(client, store, two_workspaces, admin):
    alpha, _ = two_workspaces
    assert alpha.get(alpha.ws()).status_code == 200
    with store.session() as session:
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.token_hash == digest(alpha.token)))
    assert admin.delete(f"{alpha.ws()}/tokens/{token_id}").status_code == 204
    assert alpha.get(alpha.ws()).status_code == 401


def test_tokens_are_stored_only_as_hashes(store, two_workspaces):
    alpha, beta = two_workspaces
    with store.session() as session:
        stored = [(t.token_hash, t.prefix) for t in session.scalars(select(ApiToken))]
    assert {h for h, _ in stored} == {digest(alpha.token), digest(beta.token)}
    assert all(alpha.token not in h and len(p) == 10 for h, p in stored)


def test_every_workspace_endpoint_refuses_another_workspace_with_404(client, two_workspaces):
    alpha, beta = two_workspaces
    assert beta.post(beta.ws("/actions"), json=action(1)).status_code == 201
    routes = workspace_routes(client)
    assert len(routes) >= 20
    for method, path in routes:
        for target in (beta.slug, str(beta.workspace_id), "no-such-workspace"):
            response = client.request(method, fill(path, target), headers=alpha.headers, json={})
            assert response.status_code == 404, (method, path, target, response.text)
            assert response.json()["detail"] == f"no workspace {target!r}"  # the same words: nothing leaks


def test_ids_of_another_workspace_are_not_found_under_ones_own(two_workspaces):
    alpha, beta = two_workspaces
    theirs = beta.post(beta.ws("/actions"), json=action(1)).json()
    constituent_id = theirs["constituent"]["id"]
    assert alpha.get(alpha.ws(f"/actions/{theirs['id']}")).status_code == 404
    assert alpha.get(alpha.ws(f"/constituents/{constituent_id}")).status_code == 404
    assert alpha.patch(alpha.ws(f"/actions/{theirs['id']}/campaigns"), json={"add": []}).status_code == 404
    assert alpha.post(alpha.ws("/actions/campaigns"), json={"action_ids": [theirs["id"]], "add": []}).status_code == 404
    assert alpha.delete(alpha.ws(f"/actions/{theirs['id']}")).status_code == 404
    assert alpha.post(alpha.ws(f"/actions/{theirs['id']}/sync")).status_code == 404
    assert beta.get(beta.ws(f"/actions/{theirs['id']}")).status_code == 200


def test_campaign_ids_of_another_workspace_are_refused(two_workspaces):
    alpha, beta = two_workspaces
    their_campaign = beta.get(beta.ws("/campaigns")).json()[0]["id"]
    mine = alpha.post(alpha.ws("/actions"), json=action(1)).json()
    response = alpha.patch(alpha.ws(f"/actions/{mine['id']}/campaigns"), json={"add": [their_campaign]})
    assert response.status_code == 404
    bulk = alpha.post(alpha.ws("/actions/bulk"), json={"actions": [action(2, campaigns=[their_campaign])]})
    assert bulk.status_code == 422
    assert bulk.json()["detail"][0]["index"] == 0 and bulk.json()["detail"][0]["field"] == "campaigns"


def test_workspace_token_sees_only_its_workspace_and_cannot_administer(two_workspaces, admin):
    alpha, beta = two_workspaces
    assert [w["slug"] for w in alpha.get("/api/v1/workspaces").json()] == [alpha.slug]
    assert {w["slug"] for w in admin.get("/api/v1/workspaces").json()} == {alpha.slug, beta.slug}
    assert alpha.post("/api/v1/workspaces", json={"name": "Gamma"}).status_code == 403
    assert alpha.delete(alpha.ws()).status_code == 403
    assert alpha.post(alpha.ws("/tokens"), json={}).status_code == 403


def test_admin_manages_workspaces_and_mints_tokens(client, admin):
    created = admin.post("/api/v1/workspaces", json={"name": "Gamma Org"})
    assert created.status_code == 201 and created.json()["slug"] == "gamma-org"
    assert admin.post("/api/v1/workspaces", json={"name": "gamma org"}).status_code == 409
    minted = admin.post("/api/v1/workspaces/gamma-org/tokens", json={"name": "vendor"}).json()
    gamma = Api(client, minted["token"], "gamma-org")
    assert gamma.get(gamma.ws()).json()["name"] == "Gamma Org"
    assert admin.delete("/api/v1/workspaces/gamma-org").status_code == 204
    assert gamma.get(gamma.ws()).status_code == 401  # its tokens went with it
    assert admin.get("/api/v1/workspaces/gamma-org").status_code == 404

"""Constituents and actions over the API: upserts, all-or-nothing bulk, 422 details, cursors, tags, deletes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from intacct_bridge.store.models import Action, Constituent
from web_helpers import action


@pytest.fixture
def alpha(two_workspaces):
    return two_workspaces[0]


def count(store, model, workspace_id: int) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.workspace_id == workspace_id))


def test_create_one_action_then_update_it(alpha):
    created = alpha.post(alpha.ws("/actions"), json=action(1, summary="first"))
    assert created.status_code == 201
    body = created.json()
    assert body["amount"] == "100.00" and body["status"] == "unposted" and body["needs_review"] is False
    assert body["constituent"]["external_id"] == "C-001" and body["happened_at"].startswith("2026-10-01T12:00")
    again = alpha.post(alpha.ws("/actions"), json=action(1, summary="second", amount="-20.5"))
    assert again.status_code == 200
    assert again.json()["id"] == body["id"] and again.json()["summary"] == "second"
    assert again.json()["amount"] == "-20.50"
    assert alpha.get(alpha.ws(f"/actions/{body['id']}")).json()["summary"] == "second"


def test_bulk_upsert_is_idempotent(alpha, store):
    batch = {"actions": [action(n, campaigns=["[System] Auto-Generated: Exclude from Sage Intacct"] if n % 10 == 0
                                else []) for n in range(1, 301)]}
    first = alpha.post(alpha.ws("/actions/bulk"), json=batch)
    assert first.json() == {"created": 300, "updated": 0, "unchanged": 0}
    second = alpha.post(alpha.ws("/actions/bulk"), json=batch)
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 300}
    assert count(store, Action, alpha.workspace_id) == 300
    batch["actions"][4]["amount"] = "99.99"
    assert alpha.post(alpha.ws("/actions/bulk"), json=batch).json() == {"created": 0, "updated": 1, "unchanged": 299}


def test_a_rejected_bulk_request_stores_nothing_and_names_index_field_and_reason(alpha, store):
    good = [action(n) for n in range(1, 50)]
    bad = [*good[:10], action(10_000, amount="12.345"), *good[10:], action(20_000, campaigns=["No Such Campaign"])]
    response = alpha.post(alpha.ws("/actions/bulk"), json={"actions": bad})
    assert response.status_code == 422
    problems = response.json()["detail"]
    # every problem of every kind at once (issue 14): the malformed amount and the unknown campaign
    assert [(p["index"], p["field"]) for p in problems] == [(10, "amount"), (50, "campaigns")]
    assert "12.345" not in response.text  # the value sent is never echoed
    fixed = [*good[:10], action(10_000), *good[10:], action(20_000, campaigns=["No Such Campaign"])]
    response = alpha.post(alpha.ws("/actions/bulk"), json={"actions": fixed})
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert (problem["index"], problem["field"]) == (50, "campaigns") and "no campaign" in problem["msg"]
    assert count(store, Action, alpha.workspace_id) == 0
    assert count(store, Constituent, alpha.workspace_id) == 0


def test_repeated_external_id_in_one_batch_is_refused(alpha, store):
    response = alpha.post(alpha.ws("/actions/bulk"), json={"actions": [action(1), action(2), action(1)]})
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert (problem["index"], problem["field"]) == (2, "external_id") and "line 0" in problem["msg"]
    assert count(store, Action, alpha.workspace_id) == 0


@pytest.mark.parametrize("field, value", [
    ("amount", 12.5), ("amount", "twelve"), ("happened_at", "yesterday"), ("happened_at", "9999-12-31T23:00:00-05:00"),
    ("external_id", ""), ("type", None), ("url", "javascript:alert(1)"), ("campaigns", "CR 4000"), ("color", "red"),
    ("summary", "a\x00b"),
])
def test_bad_fields_are_422_with_the_field_named(alpha, field, value):
    response = alpha.post(alpha.ws("/actions/bulk"), json={"actions": [action(1), action(2, **{field: value})]})
    assert response.status_code == 422, response.text
    problem = response.json()["detail"][0]
    assert problem["index"] == 1 and problem["field"].split(".")[0] == field and problem["msg"]


def test_bulk_limit_is_10000(alpha):
    tiny = [{"external_id": f"X{n}", "type": "donation", "happened_at": "2026-10-01T12:00:00Z"} for n in range(10_001)]
    response = alpha.post(alpha.ws("/actions/bulk"), json={"actions": tiny})
    assert response.status_code == 422 and response.json()["detail"][0]["index"] is None
    assert response.json()["detail"][0]["loc"] == ["body", "actions"] and "10000" in response.json()["detail"][0]["msg"]
    assert alpha.post(alpha.ws("/actions/bulk"), json={"actions": tiny[:10_000]}).json()["created"] == 10_000


def test_cursor_pagination_walks_every_action_once(alpha):
    alpha.post(alpha.ws("/actions/bulk"), json={"actions": [action(n) for n in range(1, 26)]})
    seen, cursor = [], None
    while True:
        page = alpha.get(alpha.ws("/actions"), params={"limit": 10, **({"cursor": cursor} if cursor else {})}).json()
        seen += [a["external_id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"A-{n:05d}" for n in range(1, 26)]
    assert alpha.get(alpha.ws("/actions"), params={"cursor": "garbage!"}).status_code == 422


def test_filters(alpha, store):
    alpha.post(alpha.ws("/actions/bulk"), json={"actions": [
        action(1, type="ticket"), action(2, summary="Gala table"), action(3, type="membership")]})
    assert [a["external_id"] for a in alpha.get(alpha.ws("/actions"), params={"type": "ticket"}).json()["items"]] == [
        "A-00001"]
    assert [a["external_id"] for a in alpha.get(alpha.ws("/actions"), params={"search": "gala"}).json()["items"]] == [
        "A-00002"]
    assert [a["external_id"] for a in alpha.get(alpha.ws("/actions"), params={"external_id": "A-00003"}).json()[
        "items"]] == ["A-00003"]
    assert len(alpha.get(alpha.ws("/actions"), params={"status": "posted"}).json()["items"]) == 0
    assert len(alpha.get(alpha.ws("/actions"), params={"needs_review": "false"}).json()["items"]) == 3


def test_campaigns_on_one_and_on_many(alpha):
    ids = [alpha.post(alpha.ws("/actions"), json=action(n)).json()["id"] for n in (1, 2)]
    exclude = next(c for c in alpha.get(alpha.ws("/campaigns"), params={"category": "[System]"}).json()
                   if c["name"].startswith("[System] Auto"))
    tagged = alpha.patch(alpha.ws(f"/actions/{ids[0]}/campaigns"), json={"add": [exclude["id"]]})
    assert [c["id"] for c in tagged.json()["campaigns"]] == [exclude["id"]]
    many = alpha.post(alpha.ws("/actions/campaigns"), json={"action_ids": ids, "add": [exclude["name"]]})
    assert many.json() == {"changed": [ids[1]], "unchanged": [ids[0]]}
    removed = alpha.post(alpha.ws("/actions/campaigns"), json={"action_ids": ids, "remove": [exclude["id"]]})
    assert removed.json()["changed"] == ids
    review = next(c for c in alpha.get(alpha.ws("/campaigns")).json() if c["name"] == "System Needs Review")
    assert alpha.patch(alpha.ws(f"/actions/{ids[0]}/campaigns"), json={"add": [review["id"]]}).status_code == 409
    assert alpha.patch(alpha.ws(f"/actions/{ids[0]}/campaigns"), json={"add": ["Nope"]}).status_code == 422


def test_delete_only_unposted_actions(alpha, store):
    first, second = (alpha.post(alpha.ws("/actions"), json=action(n)).json()["id"] for n in (1, 2))
    assert alpha.delete(alpha.ws(f"/actions/{first}")).status_code == 204
    assert alpha.get(alpha.ws(f"/actions/{first}")).status_code == 404
    with store.write_session() as session:
        session.execute(update(Action).where(Action.id == second).values(status="posted"))
    response = alpha.delete(alpha.ws(f"/actions/{second}"))
    assert response.status_code == 409 and "posted" in response.json()["detail"]
    changed = alpha.post(alpha.ws("/actions"), json=action(2, amount="5.00"))
    assert changed.status_code == 422 and changed.json()["detail"][0]["field"] == "amount"


def test_constituents(alpha, store):
    one = alpha.post(alpha.ws("/constituents"), json={"external_id": "C-1", "name": "Ana"})
    assert one.status_code == 201 and one.json() == {"created": 1, "updated": 0, "unchanged": 0}
    bulk = {"constituents": [{"external_id": f"C-{n}", "name": f"Person {n}", "email": f"p{n}@example.org"}
                             for n in range(1, 31)]}
    assert alpha.post(alpha.ws("/constituents/bulk"), json=bulk).json() == {"created": 29, "updated": 1, "unchanged": 0}
    assert alpha.post(alpha.ws("/constituents/bulk"), json=bulk).json()["unchanged"] == 30
    duplicate = alpha.post(alpha.ws("/constituents/bulk"), json={"constituents": [
        {"external_id": "N-1", "name": "x"}, {"external_id": "N-1", "name": "y"}]})
    assert duplicate.status_code == 422 and duplicate.json()["detail"][0]["index"] == 1
    assert count(store, Constituent, alpha.workspace_id) == 30
    page = alpha.get(alpha.ws("/constituents"), params={"limit": 20, "search": "person"}).json()
    assert len(page["items"]) == 20 and page["next_cursor"]
    rest = alpha.get(alpha.ws("/constituents"), params={"limit": 20, "cursor": page["next_cursor"]}).json()
    assert len(rest["items"]) == 10 and rest["next_cursor"] is None
    first = page["items"][0]
    assert alpha.get(alpha.ws(f"/constituents/{first['id']}")).json()["external_id"] == first["external_id"]


def test_campaign_lists_filter_by_category_and_side(alpha):
    categories = alpha.get(alpha.ws("/campaign-categories")).json()
    assert [c["name"] for c in categories] == ["[System]"] and categories[0]["campaigns"] == 2
    assert alpha.get(alpha.ws("/campaigns"), params={"side": "CR"}).json() == []
    assert len(alpha.get(alpha.ws("/campaigns"), params={"category": "[System]"}).json()) == 2


def test_following_the_cursor_of_an_external_id_lookup_ends(alpha):
    """The lookup finds at most one action; a client that follows next_cursor must not get it forever."""
    alpha.post(alpha.ws("/actions/bulk"), json={"actions": [action(1), action(2)]})
    first = alpha.get(alpha.ws("/actions"), params={"external_id": "A-00002", "limit": 1}).json()
    assert [a["external_id"] for a in first["items"]] == ["A-00002"] and first["next_cursor"]
    rest = alpha.get(alpha.ws("/actions"), params={"external_id": "A-00002", "limit": 1,
                                                   "cursor": first["next_cursor"]}).json()
    assert rest == {"items": [], "next_cursor": None}

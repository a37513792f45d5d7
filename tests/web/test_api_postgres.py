"""The API's writes on PostgreSQL: bulk upsert, all-or-nothing refusal, text PostgreSQL would reject, isolation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intacct_bridge.store.models import Action
from web_helpers import action, make_workspace

pytestmark = pytest.mark.postgres


@pytest.fixture
def pair(pg_client, pg_store):
    return make_workspace(pg_client, pg_store, "Alpha Org"), make_workspace(pg_client, pg_store, "Beta Org")


def test_bulk_upsert_refusal_and_isolation_on_postgresql(pair, pg_store):
    alpha, beta = pair
    batch = {"actions": [action(n, summary=f"Don \u00e9\u00e8 \u2014 {n}") for n in range(1, 2001)]}
    assert alpha.post(alpha.ws("/actions/bulk"), json=batch).json() == {"created": 2000, "updated": 0, "unchanged": 0}
    assert alpha.post(alpha.ws("/actions/bulk"), json=batch).json()["unchanged"] == 2000
    bad = {"actions": [action(3000), action(3001, campaigns=["Nope"])]}
    assert alpha.post(alpha.ws("/actions/bulk"), json=bad).status_code == 422
    nul = alpha.post(alpha.ws("/actions"), json=action(3002, summary="a\x00b"))
    assert nul.status_code == 422 and nul.json()["detail"][0]["field"] == "summary"
    with pg_store.session() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 2000
    theirs = beta.post(beta.ws("/actions"), json=action(1)).json()
    assert alpha.get(alpha.ws(f"/actions/{theirs['id']}")).status_code == 404
    page = alpha.get(alpha.ws("/actions"), params={"limit": 1000}).json()
    rest = alpha.get(alpha.ws("/actions"), params={"limit": 1000, "cursor": page["next_cursor"]}).json()
    assert len(page["items"]) + len(rest["items"]) == 2000
    assert page["items"][0]["summary"] == "Don \u00e9\u00e8 \u2014 1"

"""Summary posting in the web app: the settings over REST and on the console form; the summaries' list and page
(REST and console) with their lines and actions; an action shows the summary it went into."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from intacct_bridge.store.models import Action, JournalSummary
from web_helpers import action, console_client, make_workspace, save_sync_form, sign_in


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def _summarized(ws, store) -> int:
    """Two actions posted in one summary (as the `journal_summary` kind leaves them)."""
    for number, amount in ((1, "10.00"), (2, "15.50")):
        assert ws.post(ws.ws("/actions"), json=action(number, amount=amount)).status_code == 201
    with store.write_session() as session:
        ids = {a.external_id: a.id for a in session.scalars(select(Action).where(Action.workspace_id == ws.workspace_id))}
        lines = [{"account": "1100", "side": "debit", "amount": "25.50", "dimensions": {"LOCATION": "100"},
                  "action_ids": list(ids.values())},
                 {"account": "4000", "side": "credit", "amount": "25.50", "dimensions": {"LOCATION": "100"},
                  "action_ids": list(ids.values())}]
        shares = [{"action_id": ids[e], "external_id": e, "version": 1, "amount": a, "lines": []}
                  for e, a in (("A-00001", "10.00"), ("A-00002", "15.50"))]
        row = JournalSummary(workspace_id=ws.workspace_id, journal="GJ", entity=None, period_key="2026-10-01",
                             posting_date=date(2026, 10, 1), reference="ib-x-s0123456789abcdef",
                             description="Summary of 2 actions on 2026-10-01 | A-00001, A-00002", action_count=2,
                             debit_total=Decimal("25.50"), credit_total=Decimal("25.50"), lines=lines, shares=shares,
                             status="posted", intacct_recordno="77")
        session.add(row)
        session.flush()
        session.execute(update(Action).where(Action.id.in_(list(ids.values())))
                        .values(summary_id=row.id, status="posted", intacct_recordno="77"))
        return row.id


def test_rest_and_console_choose_the_summarized_types_and_period(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    got = ws.get(ws.ws("/settings")).json()
    assert (got["summary_action_types"], got["summary_period"]) == ([], "day")
    patched = ws.patch(ws.ws("/settings"), json={"summary_action_types": ["Donation", " membership "],
                                                 "summary_period": "run"})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["summary_action_types"], patched.json()["summary_period"]) == (
        ["donation", "membership"], "run")
    assert ws.patch(ws.ws("/settings"), json={"summary_period": "week"}).status_code == 422

    sign_in(browser)
    form = browser.get(f"/w/{ws.slug}/settings").text
    assert 'value="donation, membership"' in form and 'name="summary_period" value="run" checked' in form
    saved = save_sync_form(browser, ws.slug, summary_action_types="ticket", summary_period="day")
    assert saved.status_code == 303
    got = ws.get(ws.ws("/settings")).json()
    assert (got["summary_action_types"], got["summary_period"]) == (["ticket"], "day")
    save_sync_form(browser, ws.slug, summary_action_types="")
    assert ws.get(ws.ws("/settings")).json()["summary_action_types"] == []


def test_summaries_are_listed_and_shown_with_their_lines_and_actions(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    summary_id = _summarized(ws, store)

    listed = ws.get(ws.ws("/summaries")).json()
    assert [(s["id"], s["action_count"], s["debit_total"], s["status"]) for s in listed["items"]] == [
        (summary_id, 2, "25.50", "posted")]
    one = ws.get(ws.ws(f"/summaries/{summary_id}")).json()
    assert [(l["account"], l["side"], l["amount"], l["dimensions"]) for l in one["lines"]] == [
        ("1100", "debit", "25.50", {"LOCATION": "100"}), ("4000", "credit", "25.50", {"LOCATION": "100"})]
    assert [(a["external_id"], a["still_held"]) for a in one["actions"]] == [("A-00001", True), ("A-00002", True)]
    assert ws.get(ws.ws("/summaries/999")).status_code == 404
    first = ws.get(ws.ws("/actions"), params={"search": "A-00001"}).json()["items"][0]
    assert first["summary_id"] == summary_id

    sign_in(browser)
    page = browser.get(f"/w/{ws.slug}/summaries").text
    assert "ib-x-s0123456789abcdef" in page and f"/w/{ws.slug}/summaries/{summary_id}" in page
    detail = browser.get(f"/w/{ws.slug}/summaries/{summary_id}").text
    assert "A-00001" in detail and "A-00002" in detail and "LOCATION=100" in detail and "25.50" in detail
    action_page = browser.get(f"/w/{ws.slug}/actions/{first['id']}").text
    assert f"/w/{ws.slug}/summaries/{summary_id}" in action_page
    assert browser.get(f"/w/{ws.slug}/summaries/999").status_code == 404

"""Advice fits the place (issue 14): a review reason shown in the browser says what to do in words and links
to the page that does it (Entities → Pull, Vendors, Settings), never a CLI command to type."""

from __future__ import annotations

import html
from types import SimpleNamespace

import pytest

from intacct_bridge.domain.entities import known_entity_reasons, unknown_term_reasons
from intacct_bridge.domain.line_dimensions import line_dimension_reasons
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import PostingLevel
from web_helpers import action, console_client, make_workspace, sign_in


@pytest.fixture
def browser(store, emu_operator):
    with console_client(store, emu_operator) as client:
        yield client


def _flag(store, ws, record_kind: str, record_id: int, reasons, kind: str = "invalid") -> None:
    from intacct_bridge.store.models import ReviewFlag

    with store.write_session() as session:
        session.add(ReviewFlag(workspace_id=ws.workspace_id, record_kind=record_kind, record_id=record_id,
                               action_id=record_id if record_kind == "journal_entry" else None, kind=kind,
                               error_class="validation", reasons=[r.as_dict() for r in reasons]))


def _no_command(page: str) -> str:
    text = html.unescape(page)
    assert "intacct-bridge " not in text and "`" not in text
    return text


def test_journal_entry_reasons_link_to_entities_and_settings(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    assert ws.post(ws.ws("/actions/bulk"), json={"actions": [action(1), action(2)]}).status_code == 200
    entity = known_entity_reasons("E999", frozenset({"E100", "E200"}))
    dimension = line_dimension_reasons(SimpleNamespace(lines=[SimpleNamespace(dimensions={"PROGRAM": "P1"})]), ())
    _flag(store, ws, "journal_entry", 1, entity)
    _flag(store, ws, "journal_entry", 2, dimension)
    sign_in(browser)
    base = f"/w/{ws.slug}"

    review = _no_command(browser.get(f"{base}/review").text)
    assert "entity E999 is not an entity of this Intacct company (E100, E200)" in review
    assert "pull the entities and reference data from Sage Intacct again" in review
    assert f'<a href="{base}/entities#pull" class="step-link">Open Entities to pull from Intacct</a>' in review
    assert f'<a href="{base}/settings#udd-h" class="step-link">' in review
    assert "set it up as a user-defined dimension in the sync settings" in review
    one = _no_command(browser.get(f"{base}/actions/1").text)
    assert f'href="{base}/entities#pull"' in one
    assert 'id="pull"' in browser.get(f"{base}/entities").text  # the link lands on the Pull button
    errors = _no_command(browser.get(f"{base}/errors").text)
    assert f'href="{base}/entities#pull"' in errors and f'href="{base}/settings#udd-h"' in errors
    [rest] = ws.get(ws.ws("/actions/1")).json()["review_reasons"]  # an API client offers its own way
    assert rest["step"] == "pull" and "intacct-bridge " not in rest["message"] + rest["fix"]


def test_record_reasons_link_to_pull_and_the_order_to_cash_settings(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    terms = unknown_term_reasons("Net 45", frozenset({"Net 30"}))
    _flag(store, ws, "invoice", 7, terms)
    from intacct_bridge.domain.model import Reason
    _flag(store, ws, "payment", 8, [Reason("deposit_to", "no undeposited funds account: set it in the settings")])
    sign_in(browser)
    base = f"/w/{ws.slug}"
    errors = _no_command(browser.get(f"{base}/errors").text)
    assert "terms 'Net 45' is not an active AR term in Intacct (Net 30)" in errors
    assert f'href="{base}/entities#pull"' in errors
    assert "Change the order-to-cash setting the reason names, then sync again." in errors
    assert f'<a href="{base}/settings/order-to-cash" class="step-link">' in errors


def test_a_settings_problem_on_the_run_page_links_to_the_entity_setting(browser, store):
    from intacct_bridge.store.models import SyncRun

    ws = make_workspace(browser, store, "Alpha Org")
    [problem] = [p for p in SyncSettings(journal="GJ", posting_level=PostingLevel.ENTITY).problems()
                 if p.field == "default_entity"]
    with store.write_session() as session:
        run = SyncRun(workspace_id=ws.workspace_id, status="failed", message=problem.message)
        session.add(run)
        session.flush()
        run_id = run.id
    sign_in(browser)
    page = _no_command(browser.get(f"/w/{ws.slug}/runs/{run_id}").text)
    assert "no default entity is set: pull the entities from Sage Intacct and choose the default entity" in page
    assert f'<a href="/w/{ws.slug}/settings#level-h" class="step-link">' in page

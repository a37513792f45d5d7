"""The closed-period policy over REST (OpenAPI) and on the console's settings form."""

from __future__ import annotations

import pytest

from web_helpers import console_client, make_workspace, save_sync_form, sign_in


@pytest.fixture
def browser(store, emu_operator):
    with console_client(store, emu_operator) as client:
        yield client


def test_rest_and_console_choose_the_closed_period_policy(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    assert ws.get(ws.ws("/settings")).json()["closed_period_policy"] == "reject"
    assert ws.patch(ws.ws("/settings"), json={"closed_period_policy": "next_open"}).status_code == 200
    assert ws.get(ws.ws("/settings")).json()["closed_period_policy"] == "next_open"
    assert ws.patch(ws.ws("/settings"), json={"closed_period_policy": "sometimes"}).status_code == 422

    sign_in(browser)
    assert 'name="closed_period_policy" value="next_open" checked' in browser.get(f"/w/{ws.slug}/settings").text
    saved = save_sync_form(browser, ws.slug, closed_period_policy="reject")
    assert saved.status_code == 303
    assert 'name="closed_period_policy" value="reject" checked' in browser.get(f"/w/{ws.slug}/settings").text
    assert ws.get(ws.ws("/settings")).json()["closed_period_policy"] == "reject"

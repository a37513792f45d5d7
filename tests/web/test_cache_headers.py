"""Signed-in pages and API answers are never kept by the browser: Back after sign-out shows no data."""

from __future__ import annotations

import pytest

from web_helpers import console_client, make_workspace, sign_in


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def test_signed_in_pages_and_api_answers_are_no_store(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    for path in (f"/w/{ws.slug}", f"/w/{ws.slug}/actions", f"/w/{ws.slug}/runs", f"/w/{ws.slug}/settings"):
        page = browser.get(path)
        assert page.status_code == 200, path
        assert page.headers["Cache-Control"] == "no-store", path
    answer = ws.get(ws.ws("/actions"))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(browser):
    css = browser.get("/static/console.css")
    assert css.status_code == 200 and "no-store" not in css.headers.get("Cache-Control", "")

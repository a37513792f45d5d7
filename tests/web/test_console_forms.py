"""The console without a browser: sign-in, sessions, CSRF on every form, the write-only password, redirects."""

from __future__ import annotations

import re

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN
from intacct_bridge.store.models import Connection, ConsoleSession
from intacct_bridge.web.access import digest
from intacct_bridge.web.console.session import SESSION_COOKIE
from web_helpers import PASSWORD, TOKEN, USER, action, console_client, csrf_of, make_workspace, sign_in

SECRET = "user-Pa55word-xyz"


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def test_pages_need_a_session(browser, store):
    make_workspace(browser, store, "Alpha Org")
    for path in ("/", "/w/alpha-org", "/w/alpha-org/settings", "/w/alpha-org/actions", "/w/alpha-org/runs"):
        response = browser.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    htmx = browser.get("/w/alpha-org/status-panel", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/login?next=/w/alpha-org/status-panel"


def test_sign_in_sets_a_fresh_http_only_session(browser, store):
    assert sign_in(browser, "wrong password").status_code == 401
    response = sign_in(browser, next_path="/w/x/runs")
    assert response.status_code == 303 and response.headers["location"] == "/w/x/runs"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("samesite", "SameSite")
    value = browser.cookies.get(SESSION_COOKIE)
    with store.session() as session:
        stored = session.scalars(select(ConsoleSession.id_hash)).all()
    assert stored == [digest(value)]  # only the digest is kept


def test_sign_in_needs_the_login_form_token(browser):
    browser.get("/login")
    response = browser.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403 and SESSION_COOKIE not in response.cookies


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_next_never_leaves_the_site(browser, target):
    assert sign_in(browser, next_path=target).headers["location"] == "/"


def test_every_form_refuses_a_request_without_the_csrf_token(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    posts = ["/logout", "/workspaces", f"/w/{ws.slug}/sync", f"/w/{ws.slug}/pull", f"/w/{ws.slug}/settings/connection",
             f"/w/{ws.slug}/settings/test", f"/w/{ws.slug}/settings/sync", f"/w/{ws.slug}/actions/campaigns",
             f"/w/{ws.slug}/actions/1/campaigns", f"/w/{ws.slug}/actions/1/sync", f"/w/{ws.slug}/actions/import"]
    for path in posts:
        for token in (None, "forged"):
            data = {"csrf_token": token} if token else {}
            response = browser.post(path, data=data)
            assert response.status_code == 403, (path, token, response.status_code)
            assert "did not come from this console" in response.text
    assert browser.get("/").status_code in (200, 303)  # still signed in: nothing was done


def test_forms_work_with_the_token_and_the_password_never_comes_back(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/settings")
    saved = browser.post(f"/w/{ws.slug}/settings/connection", data={
        "csrf_token": token, "company_id": "acme", "user_id": "ws_user", "password": SECRET})
    assert saved.status_code == 303
    page = browser.get(f"/w/{ws.slug}/settings?saved=connection")
    assert "Credentials saved." in page.text and SECRET not in page.text and "A password is saved" in page.text
    kept = browser.post(f"/w/{ws.slug}/settings/connection", data={
        "csrf_token": token, "company_id": "acme2", "user_id": "ws_user", "password": ""})
    assert kept.status_code == 303  # an empty password keeps the stored one
    htmx = browser.post(f"/w/{ws.slug}/settings/test", headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert htmx.status_code == 200 and "Could not reach Intacct at" in htmx.text and SECRET not in htmx.text


def test_sync_settings_form_validates(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/settings")
    base = {"csrf_token": token, "location_mode": "require", "department_mode": "exclude", "class_mode": "exclude",
            "posting_mode": "batching", "journal": "GJ", "timezone": "UTC"}
    bad = browser.post(f"/w/{ws.slug}/settings/sync", data={**base, "custom_mode": "available"})
    assert bad.status_code == 422 and "enter its Intacct object" in bad.text
    zone = browser.post(f"/w/{ws.slug}/settings/sync", data={**base, "custom_mode": "exclude", "timezone": "Nowhere"})
    assert zone.status_code == 409 and "unknown time zone" in zone.text
    good = browser.post(f"/w/{ws.slug}/settings/sync", data={**base, "custom_mode": "available", "custom_object": "FUND",
                                                             "schedule_time": "02:00", "start_date": "2026-01-01"})
    assert good.status_code == 303
    page = browser.get(f"/w/{ws.slug}/settings").text
    assert 'value="02:00"' in page and 'value="2026-01-01"' in page and 'value="FUND"' in page


def test_sync_without_connection_explains_and_logout_ends_the_session(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}")
    response = browser.post(f"/w/{ws.slug}/sync", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert response.status_code == 409 and "connect" in response.text
    assert browser.get("/w/nope").status_code == 404
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
    assert browser.get(f"/w/{ws.slug}").status_code == 303
    with store.session() as session:
        assert session.scalars(select(ConsoleSession)).all() == []


def test_dashboard_counts_excluded_actions_apart_from_waiting(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    exclude = "[System] Auto-Generated: Exclude from Sage Intacct"
    ws.post(ws.ws("/actions/bulk"), json={"actions": [action(1), action(2), action(3, campaigns=[exclude])]})
    sign_in(browser)
    counts = dict((label, int(n)) for n, label in re.findall(r'class="count">(\d+)</span> ([a-z ]+)<',
                                                             browser.get(f"/w/{ws.slug}").text))
    assert counts["waiting"] == 2 and counts["excluded"] == 1 and counts["posted"] == 0


def test_pages_carry_security_headers(browser):
    page = browser.get("/login")
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'self': no inline script
    api = browser.get("/api/v1/health")
    assert api.headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" not in api.headers


CSV = """external_id,type,amount,happened_at,constituent_name,campaigns
D-1,donation,25.00,2026-10-01,Ana Test,
D-2,donation,40.50,2026-10-02,Ben Test,[System] Auto-Generated: Exclude from Sage Intacct
"""


def problem_row(line: int, field: str) -> str:
    return f'<tr><td class="num">{line}</td><td>{field}</td>'


def test_console_import_preview_template_json_lines_and_unknown_columns(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/actions")
    assert f'href="/w/{ws.slug}/actions/template.csv"' in browser.get(f"/w/{ws.slug}/actions").text
    template = browser.get(f"/w/{ws.slug}/actions/template.csv")
    assert template.status_code == 200 and template.text.startswith("external_id,type,amount,happened_at")
    assert 'filename="actions-template.csv"' in template.headers["content-disposition"]
    previewed = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token, "preview": "1"},
                             files={"file": ("actions.csv", CSV.encode(), "text/csv")})
    assert previewed.status_code == 200 and "would give 2 actions: 2 new" in previewed.text
    assert ws.get(ws.ws("/actions")).json()["items"] == []  # a preview imports nothing
    typo = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token, "preview": "1"},
                        files={"file": ("actions.csv", CSV.replace("amount", "amout").encode(), "text/csv")})
    assert typo.status_code == 422 and "did you mean &#39;amount&#39;" in typo.text
    lines = '{"external_id": "J-1", "type": "donation", "amount": "5", "happened_at": "2026-10-01"}\n'
    done = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token},
                        files={"file": ("actions.jsonl", lines.encode(), "application/x-ndjson")})
    assert done.status_code == 303
    assert [a["external_id"] for a in ws.get(ws.ws("/actions")).json()["items"]] == ["J-1"]
    customers = browser.get(f"/w/{ws.slug}/customers/template.csv")
    assert customers.status_code == 200 and customers.text.startswith("external_id,name")
    preview = browser.post(f"/w/{ws.slug}/customers/import", data={"csrf_token": token, "preview": "1"},
                           files={"file": ("c.csv", customers.text.encode(), "text/csv")})
    assert preview.status_code == 200 and "1 new" in preview.text
    assert ws.get(ws.ws("/customers")).json()["items"] == []
    first = browser.post(f"/w/{ws.slug}/customers/import", data={"csrf_token": token},
                         files={"file": ("c.csv", customers.text.encode(), "text/csv")})
    first_id = ws.get(ws.ws("/customers")).json()["items"][0]["id"]
    second = browser.post(f"/w/{ws.slug}/customers/import", data={"csrf_token": token},
                          files={"file": ("c.csv", b"external_id,name\nCUST-2,Grace\n", "text/csv")})
    assert first.status_code == second.status_code == 303
    assert second.headers["location"].endswith(f"&after={first_id}")  # the list opens at the new one
    listed = browser.get(second.headers["location"]).text
    assert "CUST-2" in listed and "CUST-1001" not in listed


def test_csv_import_from_the_actions_page(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/actions")
    bad = CSV + "D-3,donation,12.345,2026-10-03,Cy,\nD-4,,5.00,someday,Di,\n"
    refused = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token},
                           files={"file": ("actions.csv", bad.encode(), "text/csv")})
    assert refused.status_code == 422 and "Nothing was imported" in refused.text
    assert all(problem_row(line, field) in refused.text  # a table of line, field in words and the fix
               for line, field in ((4, "Amount"), (5, "Type"), (5, "Date it happened")))
    assert ws.get(ws.ws("/actions")).json()["items"] == []
    done = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token},
                        files={"file": ("actions.csv", CSV.encode("utf-8-sig"), "text/csv")})
    assert done.status_code == 303
    assert "Imported: 2 created, 0 updated, 0 unchanged." in browser.get(done.headers["location"]).text
    again = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token},
                         files={"file": ("actions.csv", CSV.encode(), "text/csv")})
    assert "unchanged=2" in again.headers["location"]
    forged = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": "x"},
                          files={"file": ("actions.csv", CSV.encode(), "text/csv")})
    assert forged.status_code == 403


def test_console_import_refuses_control_characters_and_empty_files_then_replaces_when_chosen(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/actions")
    bell = CSV.replace("Ben Test", "Ben\x07Test")
    for body, words in ((bell, problem_row(3, "Constituent name")), ("", "nothing to import"),
                        ("external_id,type\n", "nothing to import")):
        refused = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token},
                               files={"file": ("actions.csv", body.encode(), "text/csv")})
        assert refused.status_code == 422 and "Nothing was imported" in refused.text and words in refused.text
        assert "U+0007" in refused.text or body != bell
    settings = browser.get(f"/w/{ws.slug}/settings").text
    assert 'name="control_characters" value="replace"' in settings and "collapsed to one space" in settings
    ws.patch(ws.ws("/settings"), json={"control_characters": "replace"})
    done = browser.post(f"/w/{ws.slug}/actions/import", data={"csrf_token": token},
                        files={"file": ("actions.csv", bell.encode(), "text/csv")})
    assert done.status_code == 303
    names = [a["constituent"]["name"] for a in ws.get(ws.ws("/actions")).json()["items"]]
    assert names == ["Ana Test", "Ben\ufffdTest"]


def test_review_pages_show_the_fix_that_fits_each_reason(browser, store):
    from intacct_bridge.domain.values import parse_amount
    from intacct_bridge.store.models import ReviewFlag

    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    action_id = ws.post(ws.ws("/actions"), json=action(1, amount=None)).json()["id"]
    with store.write_session() as session:
        session.add(ReviewFlag(action_id=action_id, workspace_id=ws.workspace_id,
                               reasons=[parse_amount(None)[1].as_dict()]))
    queue = browser.get(f"/w/{ws.slug}/review").text
    assert "import the action again" in queue and f"/actions/{action_id}#campaigns" not in queue
    page = browser.get(f"/w/{ws.slug}/actions/{action_id}").text
    assert "Fix: Set the correct amount in your source system" in page and "applying or removing campaigns" not in page
    reasons = ws.get(ws.ws(f"/actions/{action_id}")).json()["review_reasons"]
    assert "import the action again" in reasons[0]["fix"]


def test_a_refused_form_never_echoes_the_password(browser, store):
    """FastAPI's default 422 repeats every submitted value; the console's names the field only."""
    long_secret = SECRET + "x" * 1200
    token = TOKEN.search(browser.get("/login").text).group(1)
    login = browser.post("/login", data={"username": USER, "password": long_secret, "csrf_token": token})
    assert login.status_code == 422 and SECRET not in login.text
    assert "Password: String should have at most 1000 characters" in login.text
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/settings")
    saved = browser.post(f"/w/{ws.slug}/settings/connection", data={
        "csrf_token": token, "company_id": "acme", "user_id": "ws_user", "password": long_secret[:600]})
    assert saved.status_code == 422 and SECRET not in saved.text and "Password:" in saved.text


@pytest.mark.parametrize("back", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_tagging_returns_only_to_a_page_of_this_site(browser, store, back):
    ws = make_workspace(browser, store, "Alpha Org")
    ws.post(ws.ws("/actions/bulk"), json={"actions": [action(1)]})
    action_id = ws.get(ws.ws("/actions")).json()["items"][0]["id"]
    campaign_id = next(c["id"] for c in ws.get(ws.ws("/campaigns")).json() if c["name"] == EXCLUDE_CAMPAIGN)
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/actions")
    response = browser.post(f"/w/{ws.slug}/actions/campaigns", data={
        "csrf_token": token, "op": "add", "campaign_id": campaign_id, "action_ids": [action_id], "back": back})
    assert response.status_code == 303 and response.headers["location"] == f"/w/{ws.slug}/actions?done=tagged"


def test_a_password_saved_under_another_key_is_explained_not_a_server_error(browser, store):
    """The operator changed INTACCT_BRIDGE_SECRET_KEY: the settings page says what to fix."""
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/settings")
    browser.post(f"/w/{ws.slug}/settings/connection", data={
        "csrf_token": token, "company_id": "acme", "user_id": "ws_user", "password": SECRET})
    with store.write_session() as session:
        session.get(Connection, ws.workspace_id).password_encrypted = Fernet(Fernet.generate_key()).encrypt(b"x").decode()
    tested = browser.post(f"/w/{ws.slug}/settings/test", headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert tested.status_code == 200 and "INTACCT_BRIDGE_SECRET_KEY" in tested.text
    kept = browser.post(f"/w/{ws.slug}/settings/connection", data={
        "csrf_token": token, "company_id": "acme2", "user_id": "ws_user", "password": ""})
    assert kept.status_code == 409 and "INTACCT_BRIDGE_SECRET_KEY" in kept.text


def test_every_run_status_has_its_badge():
    from intacct_bridge.domain.vocabulary import RunStatus
    from intacct_bridge.web.console.render import run_badge

    assert {status: run_badge(status) for status in RunStatus} == {
        RunStatus.RUNNING: "warn", RunStatus.SUCCEEDED: "good", RunStatus.HALTED: "bad", RunStatus.FAILED: "bad",
        RunStatus.COMPLETED_WITH_ERRORS: "warn"}

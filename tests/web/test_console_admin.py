"""Console administration: users (create, disable), API tokens (shown once, revoked), the audit log with filters,
and the audit entries the console's own changes leave (who is the signed-in user)."""

from __future__ import annotations

import re

import pytest

from intacct_bridge.store.models import Campaign, CampaignCategory
from intacct_bridge.store.repositories.audit import AuditFilter, list_entries
from web_helpers import USER, action, console_client, csrf_of, make_workspace, sign_in


@pytest.fixture
def browser(store, operator):
    with console_client(store, operator) as client:
        yield client


def test_users_created_and_disabled_but_never_yourself(browser, store):
    sign_in(browser)
    token = csrf_of(browser, "/admin/users")
    short = browser.post("/admin/users", data={"csrf_token": token, "username": "ann", "password": "short"})
    assert short.status_code == 409 and "at least 10 characters" in short.text and 'value="ann"' in short.text
    made = browser.post("/admin/users", data={"csrf_token": token, "username": "ann", "password": "long enough pw"})
    assert made.status_code == 303
    listing = browser.get("/admin/users").text
    ann_id = re.search(r'/admin/users/(\d+)/disable', listing).group(1)
    me_disable = re.findall(r'/admin/users/(\d+)/disable', listing)
    assert me_disable == [ann_id]  # no Disable button on your own row
    assert browser.post(f"/admin/users/{ann_id}/disable", data={"csrf_token": token}).status_code == 303
    assert "disabled" in browser.get("/admin/users").text
    with store.session() as session:
        entries = [(e.actor, e.via, e.action, e.target) for e in list_entries(session, AuditFilter(action="user"))]
    assert entries[:2] == [(USER, "console", "user.disabled", "ann"), (USER, "console", "user.created", "ann")]
    # ann can no longer sign in
    form = browser.get("/login")
    login_token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    refused = browser.post("/login", data={"username": "ann", "password": "long enough pw",
                                           "csrf_token": login_token, "next": "/"})
    assert refused.status_code != 303


def test_token_shown_once_then_revoked(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    sign_in(browser)
    token = csrf_of(browser, "/admin/tokens")
    missing = browser.post("/admin/tokens", data={"csrf_token": token, "name": "crm", "scope": ""})
    assert missing.status_code == 422
    created = browser.post("/admin/tokens", data={"csrf_token": token, "name": "crm", "scope": ws.slug})
    assert created.status_code == 201
    plaintext = re.search(r'id="new-token" class="token" readonly value="(ib_[^"]+)"', created.text).group(1)
    assert browser.get("/api/v1/workspaces/alpha-org", headers={"Authorization": f"Bearer {plaintext}"}
                       ).status_code == 200
    listing = browser.get("/admin/tokens").text
    assert plaintext not in listing and plaintext[:10] in listing
    token_id = re.search(r'Revoke token (\d+)"', listing).group(1)
    assert browser.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token}).status_code == 303
    assert browser.get("/api/v1/workspaces/alpha-org", headers={"Authorization": f"Bearer {plaintext}"}
                       ).status_code == 401
    log = browser.get("/admin/audit", params={"action": "token.revoked"}).text
    assert "1–1 of 1 entries" in log and "token.revoked" in log and USER in log


def test_console_tagging_and_settings_are_audited_and_filtered(browser, store):
    ws = make_workspace(browser, store, "Alpha Org")
    ws.post(ws.ws("/actions"), json=action(1))
    sign_in(browser)
    token = csrf_of(browser, f"/w/{ws.slug}/actions")
    with store.write_session() as session:
        category = CampaignCategory(workspace_id=ws.workspace_id, name="Appeals")
        session.add(category)
        session.flush()
        spring = Campaign(workspace_id=ws.workspace_id, category_id=category.id, name="Spring")
        session.add(spring)
        session.flush()
        campaign_id = spring.id
    action_id = ws.get(ws.ws("/actions")).json()["items"][0]["id"]
    tagged = browser.post(f"/w/{ws.slug}/actions/{action_id}/campaigns",
                          data={"csrf_token": token, "op": "add", "campaign_id": campaign_id})
    assert tagged.status_code == 303
    page = browser.get("/admin/audit", params={"workspace": ws.slug, "via": "console"}).text
    assert "actions.tagged" in page and USER in page and "A-00001" in page
    assert "1–1 of 1 entries" in page
    assert "No entry matches." in browser.get("/admin/audit", params={"actor": "nobody-like-this"}).text

"""The REST API's side of issue 14: CSV exports with filters, action filters by amount and date, the audit log,
console users and the token list."""

from __future__ import annotations

import csv
import io

from web_helpers import action, make_workspace


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_action_filters_and_csv_export(client, store):
    ws = make_workspace(client, store, "Alpha Org")
    ws.post(ws.ws("/actions/bulk"), json={"actions": [
        action(n, amount=f"{n}0.00", happened_at=f"2026-10-0{n}T12:00:00Z") for n in range(1, 6)]})
    listed = ws.get(ws.ws("/actions"), params={"amount_min": "20", "amount_max": "40",
                                               "happened_from": "2026-10-03T00:00:00Z"}).json()
    assert [a["external_id"] for a in listed["items"]] == ["A-00003", "A-00004"]
    rows = _csv(ws.get(ws.ws("/actions.csv"), params={"min": "20", "sort": "amount", "dir": "desc"}))
    assert [r["external_id"] for r in rows] == ["A-00005", "A-00004", "A-00003", "A-00002"]
    assert rows[0]["amount"] == "50.00" and rows[0]["constituent_name"] == "Person 5"
    assert _csv(ws.get(ws.ws("/runs.csv"))) == [] and _csv(ws.get(ws.ws("/errors.csv"))) == []
    assert ws.get(ws.ws("/actions.csv"), params={"sort": "secret"}).status_code == 422


def test_audit_log_names_the_token_and_what_changed(client, store, admin):
    ws = make_workspace(client, store, "Alpha Org")
    ws.post(ws.ws("/actions"), json=action(1))
    assert ws.patch(ws.ws("/settings"), json={"journal": "GJ"}).status_code == 200
    minted = admin.post(ws.ws("/tokens"), json={"name": "crm"}).json()
    entries = ws.get(ws.ws("/audit")).json()
    actions = [e["action"] for e in entries["items"]]
    assert actions[:2] == ["token.created", "settings.changed"], entries
    settings = entries["items"][1]
    assert settings["via"] == "api" and settings["actor"].startswith("token ") and settings["actor"].endswith("(tests)")
    assert settings["detail"] == {"journal": "GJ"}
    assert entries["items"][0]["detail"]["token_id"] == minted["id"] and minted["token"] not in str(entries)
    filtered = ws.get(ws.ws("/audit"), params={"action": "settings"}).json()
    assert filtered["total"] == 1
    assert ws.get("/api/v1/audit").status_code == 403 and admin.get("/api/v1/audit").json()["total"] >= 2


def test_users_created_listed_and_disabled_by_admin_tokens_only(client, store, admin):
    ws = make_workspace(client, store, "Alpha Org")
    assert ws.post("/api/v1/users", json={"username": "ann", "password": "long enough pw"}).status_code == 403
    assert admin.post("/api/v1/users", json={"username": "ann", "password": "long enough pw"}).status_code == 201
    assert admin.post("/api/v1/users", json={"username": "bob", "password": "long enough pw"}).status_code == 201
    assert admin.post("/api/v1/users", json={"username": "cy", "password": "short"}).status_code == 409
    disabled = admin.post("/api/v1/users/ann/disable").json()
    assert disabled["disabled_at"] is not None
    assert admin.post("/api/v1/users/bob/disable").status_code == 409  # the last active user stays
    assert [(u["username"], u["disabled_at"] is None) for u in admin.get("/api/v1/users").json()] == [
        ("ann", False), ("bob", True)]
    log = admin.get("/api/v1/audit", params={"action": "user."}).json()["items"]
    assert [(e["action"], e["target"]) for e in log] == [("user.disabled", "ann"), ("user.created", "bob"),
                                                         ("user.created", "ann")]
    listed = admin.get("/api/v1/tokens").json()
    assert {t["scope"] for t in listed} == {"admin", ws.slug} and all("token" not in t for t in listed)


def test_overview_endpoint(client, store):
    ws = make_workspace(client, store, "Alpha Org")
    found = ws.get(ws.ws("/overview")).json()
    assert [s["key"] for s in found["checklist"]] == ["connect", "test", "settings", "pull", "dry_run"]
    assert found["next_sync"] is None and found["posted"]["records"] == 0 and found["posted"]["by_period"] == []


def test_runs_list_filters(client, store):
    from datetime import UTC, datetime

    from intacct_bridge.store.models import SyncRun

    ws = make_workspace(client, store, "Alpha Org")
    with store.write_session() as session:
        for day, status, dry in ((1, "succeeded", False), (2, "halted", True), (3, "succeeded", False)):
            session.add(SyncRun(workspace_id=ws.workspace_id, status=status, dry_run=dry, trigger="manual",
                                started_at=datetime(2026, 10, day, 9, tzinfo=UTC)))

    def ids(**params):
        return [r["status"] + r["started_at"][:10] for r in ws.get(ws.ws("/runs"), params=params).json()["items"]]
    assert ids(status="succeeded") == ["succeeded2026-10-03", "succeeded2026-10-01"]
    assert ids(dry_run="true") == ["halted2026-10-02"]
    assert ids(started_from="2026-10-02T00:00:00", started_to="2026-10-03T00:00:00Z") == ["halted2026-10-02"]
    page = ws.get(ws.ws("/runs"), params={"limit": 1, "status": "succeeded"}).json()
    rest = ws.get(ws.ws("/runs"), params={"limit": 1, "status": "succeeded", "cursor": page["next_cursor"]}).json()
    assert [r["started_at"][:10] for r in page["items"] + rest["items"]] == ["2026-10-03", "2026-10-01"]

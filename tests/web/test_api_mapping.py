"""Mapping rules, skip-export rules, the description template and the schedule over the REST and Python APIs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.store.errors import Conflict
from mapping_helpers import seed_pulled_campaigns
from web_helpers import Api, make_workspace

VALUES = [("account", "CR", "4400", "Gala Revenue", True), ("account", "CR", "4900", "Old Revenue", False),
          ("location", "DR", "100", "Main", True)]


@pytest.fixture
def ws(client, store) -> Api:
    api = make_workspace(client, store, "Alpha Org")
    seed_pulled_campaigns(store, api.workspace_id, VALUES)
    return api


def test_mapping_rules_are_checked_ordered_and_removed(ws):
    rule = {"conditions": [{"field": "amount", "operator": "gt", "value": "1000"}], "dimension": "account",
            "side": "CR", "value_id": "4400"}
    created = ws.post(ws.ws("/mapping-rules"), json=rule)
    assert created.status_code == 201, created.text
    assert created.json()["words"] == "if Amount > 1000.00 then CR account 4400"
    inactive = ws.post(ws.ws("/mapping-rules"), json={**rule, "value_id": "4900"})
    assert inactive.status_code == 409 and "inactive in Intacct" in inactive.text
    bad_op = ws.post(ws.ws("/mapping-rules"), json={**rule, "conditions": [
        {"field": "type", "operator": "gt", "value": "ticket"}]})
    assert bad_op.status_code == 409 and "condition 1: Action type: the operator 'gt'" in bad_op.text
    other = ws.post(ws.ws("/mapping-rules"), json={**rule, "dimension": "location", "side": "DR",
                                                   "value_id": "100"}).json()
    second = ws.post(ws.ws("/mapping-rules"), json={**rule, "join": "or", "conditions": [
                                                        {"field": "type", "operator": "equals", "value": "ticket"},
                                                        {"field": "amount", "operator": "between", "value": "1",
                                                         "value_to": "5"}]}).json()
    moved = ws.post(ws.ws(f"/mapping-rules/{second['id']}/move"), json={"direction": "up"}).json()
    # A rule moves among its dimension's rules (the location rule between them is not in the way).
    assert [r["id"] for r in moved] == [second["id"], other["id"], created.json()["id"]]
    assert moved[0]["words"] == "if Action type equals ticket OR Amount is between 1.00 and 5.00 then CR account 4400"
    assert ws.delete(ws.ws(f"/mapping-rules/{second['id']}")).status_code == 204
    assert ws.delete(ws.ws(f"/mapping-rules/{second['id']}")).status_code == 404
    assert len(ws.get(ws.ws("/mapping-rules")).json()) == 2


def test_skip_rules_pause_and_resume(ws):
    body = {"name": "Test orders", "join": "or", "conditions": [
        {"field": "external_id", "operator": "starts_with", "value": "test-"},
        {"field": "amount", "operator": "lt", "value": "0.5"}]}
    rule = ws.post(ws.ws("/skip-rules"), json=body).json()
    assert rule["active"] and rule["words"] == "Test orders: External id starts with test- OR Amount < 0.50"
    assert ws.patch(ws.ws(f"/skip-rules/{rule['id']}"), json={"active": False}).json()["active"] is False
    assert ws.post(ws.ws("/skip-rules"), json={**body, "conditions": [
        {"field": "amount", "operator": "lt", "value": "abc"}]}).status_code == 409
    assert ws.delete(ws.ws(f"/skip-rules/{rule['id']}")).status_code == 204
    assert ws.get(ws.ws("/skip-rules")).json() == []


def test_description_template_refuses_unknown_placeholders_and_previews(ws):
    refused = ws.put(ws.ws("/description-template"), json={"template": "{type} for {donor}"})
    assert refused.status_code == 409 and "{donor}" in refused.json()["detail"]
    saved = ws.put(ws.ws("/description-template"), json={"template": "{type}  {external_id}"}).json()
    assert saved["template"] == "{type} {external_id}" and "constituent" in saved["placeholders"]
    preview = ws.post(ws.ws("/description-template/preview"), json={}).json()
    assert preview == {"title": "ticket t-1001", "line": "ticket t-1001", "external_id": "t-1001", "sample": True,
                       "error": None}
    bad = ws.post(ws.ws("/description-template/preview"), json={"template": "{nope}"}).json()
    assert "unknown placeholder(s) {nope}" in bad["error"]
    assert ws.put(ws.ws("/description-template"), json={"template": ""}).json()["template"] is None


def test_schedule_shows_the_next_run(ws):
    assert ws.get(ws.ws("/schedule")).json()["next_run_at"] is None
    ws.patch(ws.ws("/settings"), json={"schedule_every_hours": 6, "timezone": "UTC"})
    shown = ws.get(ws.ws("/schedule")).json()
    assert shown["schedule_every_hours"] == 6
    next_run = datetime.fromisoformat(shown["next_run_at"])
    assert next_run.hour % 6 == 0 and next_run.minute == 0 and next_run > datetime.now(timezone.utc)


def test_python_api_does_the_same(ws, store, operator):
    bridge = Bridge(store, ws.workspace_id, operator)
    rule = bridge.add_campaign_rule(["amount between 10 and 20", "type equals ticket"], dimension="account",
                                    side="CR", value_id="4400")
    assert rule.describe() == "if Amount is between 10.00 and 20.00 AND Action type equals ticket then CR account 4400"
    with pytest.raises(Conflict, match="write FIELD OPERATOR VALUE"):
        bridge.add_skip_rule("x", ["amount"])
    skip = bridge.add_skip_rule("Zero", ["amount equals 0"])
    assert bridge.pause_skip_rule(skip.id).active is False and bridge.resume_skip_rule(skip.id).active is True
    with pytest.raises(Conflict, match="inactive in Intacct"):
        bridge.set_mapping_default("ticket", "account", "CR", "4900")
    bridge.set_mapping_default("ticket", "account", "CR", "4400")
    assert [r.value_id for r in bridge.mapping_defaults()] == ["4400"]
    with pytest.raises(Conflict, match=r"\{who\}"):
        bridge.set_description_template("{who}")
    bridge.set_description_template("{type} {date}")
    assert bridge.preview_description().title == "ticket 2026-06-30"
    at = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    bridge.set_schedule(at="02:30", timezone="America/New_York")
    assert bridge.next_scheduled_sync(now=at) == datetime(2026, 12, 2, 7, 30, tzinfo=timezone.utc)
    assert [c.campaign.intacct_value_id for c in bridge.campaigns(active=False)] == ["4900"]
    assert bridge.add_campaign("Spring Gala", "Events") == "Spring Gala"


def test_dimension_values_to_create_in_intacct(ws, store, operator):
    refused = ws.post(ws.ws("/dimension-values"), json={"dimension": "location", "value_id": "L-1", "name": "West"})
    assert refused.status_code == 409 and "cannot be created from here" in refused.text  # locations excluded
    ws.patch(ws.ws("/settings"), json={"location_mode": "available"})
    created = ws.post(ws.ws("/dimension-values"), json={"dimension": "location", "value_id": "L-1", "name": "West"})
    assert created.status_code == 201, created.text
    assert created.json() | {"id": 0} == {"id": 0, "dimension": "location", "object_name": "LOCATION", "value_id": "L-1",
                                          "name": "West", "status": "unposted", "intacct_key": None,
                                          "last_error": None}
    assert ws.post(ws.ws("/dimension-values"), json={"dimension": "account", "value_id": "9", "name": "x"}
                   ).status_code == 422
    bridge = Bridge(store, ws.workspace_id, operator)
    with pytest.raises(Conflict, match="asked for already"):
        bridge.request_dimension_value("location", "L-1", "West")
    assert bridge.request_dimension_value("location", "L-2", "East").object_name == "LOCATION"
    assert [v.value_id for v in bridge.dimension_values()] == ["L-2", "L-1"]
    assert [v["value_id"] for v in ws.get(ws.ws("/dimension-values")).json()] == ["L-2", "L-1"]

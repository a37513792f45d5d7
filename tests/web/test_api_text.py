"""Text the API receives that XML cannot carry: refused naming index, external id, field and character,
or replaced under the workspace's `control_characters` setting."""

from __future__ import annotations

from intacct_bridge.domain.xml_text import REPLACEMENT
from web_helpers import action


def test_a_control_character_in_one_action_is_refused_by_index_external_id_and_field(two_workspaces):
    api = two_workspaces[0]
    one = api.post(api.ws("/actions"), json=action(1, summary="Gala\x07dinner"))
    assert one.status_code == 422
    problem = one.json()["detail"][0]
    assert (problem["index"], problem["field"], problem["external_id"]) == (0, "summary", "A-00001")
    assert "U+0007" in problem["msg"]
    batch = [action(n) for n in range(1, 6)]
    batch[3]["constituent"] = {"external_id": "C-9", "name": "Bo\x01b"}
    bulk = api.post(api.ws("/actions/bulk"), json={"actions": batch})
    assert bulk.status_code == 422
    problem = bulk.json()["detail"][0]
    assert (problem["index"], problem["field"], problem["external_id"]) == (3, "constituent.name", "A-00004")
    assert "U+0001" in problem["msg"]
    assert api.get(api.ws("/actions")).json()["items"] == []


def test_a_control_character_in_a_constituent_is_refused(two_workspaces):
    api = two_workspaces[0]
    body = {"constituents": [{"external_id": "C-1", "name": "Ada"}, {"external_id": "C-2", "name": "Bo\x1fb"}]}
    response = api.post(api.ws("/constituents/bulk"), json=body)
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert (problem["index"], problem["field"], problem["external_id"]) == (1, "name", "C-2")
    assert "U+001F" in problem["msg"]


def test_replace_setting_stores_the_replaced_text(two_workspaces):
    api = two_workspaces[0]
    assert api.get(api.ws("/settings")).json()["control_characters"] == "refuse"
    assert api.patch(api.ws("/settings"), json={"control_characters": "replace"}).json()["control_characters"] == "replace"
    created = api.post(api.ws("/actions"), json=action(1, summary="Gala\x07dinner"))
    assert created.status_code == 201 and created.json()["summary"] == f"Gala{REPLACEMENT}dinner"
    refused = api.post(api.ws("/actions"), json=action(2, type="dona\x07tion"))
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "type"
    constituent = api.post(api.ws("/constituents"), json={"external_id": "C-7", "name": "Bo\x01b"})
    assert constituent.status_code == 201
    listed = api.get(api.ws("/constituents"), params={"search": "Bo"}).json()["items"]
    assert [c["name"] for c in listed] == [f"Bo{REPLACEMENT}b"]


def test_limits_and_an_empty_bulk(two_workspaces):
    api = two_workspaces[0]
    long = api.post(api.ws("/actions"), json=action(1, summary="x" * 2001))
    assert long.status_code == 422 and long.json()["detail"][0]["field"] == "summary"
    assert api.post(api.ws("/actions/bulk"), json={"actions": []}).status_code == 422


def test_the_api_documents_that_whitespace_is_collapsed(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "collapsed to one space" in schema["ActionIn"]["properties"]["summary"]["description"]
    assert "collapsed to one space" in schema["SettingsPatch"]["properties"]["control_characters"]["description"]

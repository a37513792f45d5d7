"""The console's Entities page and the multi-entity settings (issue 10): pull from the emulator over HTTP,
values per entity, journals and entities offered as choices, the level-change warning, a bad entity refused."""

from __future__ import annotations

import html

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.crypto import SecretBox
from intacct_bridge.sync.sample_load import create_connected_workspace
from web_helpers import console_client, csrf_of, sign_in


@pytest.fixture
def group(store, emu, emu_operator):
    creds = {**emu.credentials, "INTACCT_COMPANY_ID": "helping-hands-group"}
    workspace_id = create_connected_workspace(store, "Group", creds, SecretBox.from_settings(emu_operator))
    bridge = Bridge(store, workspace_id, emu_operator)
    bridge.pull()
    with console_client(store, emu_operator) as client:
        sign_in(client)
        yield client, "/w/group", bridge


def test_entities_page_pulls_and_shows_values_per_entity(group) -> None:
    client, base, _ = group
    empty = client.get(f"{base}/entities")
    assert empty.status_code == 200 and "No entity pulled" in empty.text
    pulled = client.post(f"{base}/entities/pull", data={"csrf_token": csrf_of(client, f"{base}/entities")})
    assert pulled.status_code == 200 and "Pulled from Intacct: entity: 3, journal:" in html.unescape(pulled.text)
    assert "Helping Hands West" in pulled.text and "N45-WEST" in pulled.text and "ST-CA" in pulled.text
    west = html.unescape(client.get(f"{base}/entities", params={"entity": "E200"}).text)
    assert "Values of E200 (Helping Hands West)" in west and "200-HQ" in west and "Only E200 (and the top level)" in west
    assert client.get(f"{base}/entities", params={"entity": "E999"}).status_code == 404
    refused = client.post(f"{base}/entities/pull", data={})
    assert refused.status_code in (400, 403)  # no CSRF token


def test_settings_offer_pulled_journals_and_entities_and_warn_on_a_level_change(group) -> None:
    client, base, bridge = group
    bridge.pull_reference()
    bridge.import_customers([{"external_id": "c1", "name": "Any Donor"}])
    bridge.import_invoices([{"external_id": "o1", "customer": "c1", "date": "2026-06-01",
                             "lines": [{"gl_account": "4600", "quantity": "1", "price": "5.00"}]}])
    page = html.unescape(client.get(f"{base}/settings").text)
    assert '<select id="journal" name="journal"' in page and "GJ — General Journal" in page
    assert '<option value="E100"' in page and "the 1 record(s) not posted yet will take the new level" in page
    token = csrf_of(client, f"{base}/settings")
    saved = client.post(f"{base}/settings/entity-level", data={"csrf_token": token, "posting_level": "entity",
                                                               "default_entity": "E200"})
    assert saved.status_code == 200
    assert ("Warning: posting level changes from top to entity: 1 record(s) not posted yet will be posted at the "
            "entity level") in html.unescape(saved.text)
    bad = client.post(f"{base}/settings/entity-level", data={"csrf_token": token, "posting_level": "entity",
                                                             "default_entity": "E999"})
    assert bad.status_code == 409 and "entity &#39;E999&#39; is not in Intacct" in bad.text
    again = client.post(f"{base}/settings/entity-level", data={"csrf_token": token, "posting_level": "entity",
                                                               "default_entity": "E100"})
    assert again.status_code == 303 and again.headers["location"].endswith("/settings?saved=level")


def test_user_defined_dimensions_from_the_settings_page(group) -> None:
    client, base, bridge = group
    token = csrf_of(client, f"{base}/settings")
    saved = client.post(f"{base}/settings/dimension", data={"csrf_token": token, "object_name": "program",
                                                            "label": "Program", "mode": "require"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("/settings?saved=dimension")
    page = html.unescape(client.get(f"{base}/settings").text)
    assert "<td>Program</td><td>PROGRAM</td><td>GLDIMPROGRAM</td><td>require</td>" in page
    clash = client.post(f"{base}/settings/dimension", data={"csrf_token": token, "object_name": "FUND"})
    assert clash.status_code == 409 and "FUND is the workspace&#39;s custom field already" in clash.text
    assert [u.object_name for u in bridge.user_dimensions()] == ["PROGRAM"]
    client.post(f"{base}/settings/dimension", data={"csrf_token": token, "object_name": "PROGRAM", "remove": "1"})
    assert bridge.user_dimensions() == ()


def test_default_entity_is_picked_from_what_was_pulled_and_a_refused_one_stays_on_the_form(group) -> None:
    client, base, bridge = group
    before = client.get(f"{base}/settings").text
    assert 'id="pull-entities"' in before and '<input id="default_entity"' in before  # nothing pulled: Pull now
    bridge.pull_reference()
    page = client.get(f"{base}/settings").text
    assert 'id="pull-entities"' not in page and '<select id="default_entity"' in page
    token = csrf_of(client, f"{base}/settings")
    refused = client.post(f"{base}/settings/entity-level", data={"csrf_token": token, "posting_level": "entity",
                                                                 "default_entity": "E999"})
    text = html.unescape(refused.text)
    assert refused.status_code == 409 and "entity 'E999' is not in Intacct" in text
    assert '<option value="E999" selected>E999 (not pulled from Intacct)</option>' in text
    assert 'value="entity" checked' in text
    assert "E999" not in client.get(f"{base}/settings").text  # nothing was saved

"""Workspaces, settings and connections through the repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import date, time

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from intacct_bridge.crypto import SecretBox
from intacct_bridge.intacct.endpoints import EndpointPolicy
from intacct_bridge.domain import MappingRule
from intacct_bridge.domain.vocabulary import (
    EXCLUDE_CAMPAIGN,
    NEEDS_REVIEW_CAMPAIGN,
    Dimension,
    DimensionMode,
    PostingMode,
    Side,
)
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import Campaign, Connection
from intacct_bridge.store.repositories.connections import load_connection, record_test_result, save_connection
from intacct_bridge.store.repositories.settings import (
    SettingsChange,
    load_sync_settings,
    remove_mapping_default,
    set_mapping_default,
    update_settings,
)
from intacct_bridge.store.repositories.workspaces import create_workspace, get_workspace, resolve_workspace

KEY = "nLJ9ZqD0bq7lQm4cW6sE1o3Xh2yV8aT5kR0uP9iG4fE="


def test_create_workspace_with_settings_and_system_campaigns(store):
    with store.session() as session:
        ws = create_workspace(session, "Helping Hands, Inc.")
        assert ws.slug == "helping-hands-inc" and len(ws.uid) == 10
        names = set(session.scalars(select(Campaign.name).where(Campaign.workspace_id == ws.id)))
        assert names == {EXCLUDE_CAMPAIGN, NEEDS_REVIEW_CAMPAIGN}
        settings = load_sync_settings(session, ws.id)
        assert settings.posting_mode is PostingMode.INDIVIDUAL and settings.journal == "GJ"
        assert settings.mode(Dimension.LOCATION) is DimensionMode.EXCLUDE


def test_workspace_names_are_unique_and_found_by_slug_name_or_id(store):
    with store.session() as session:
        ws = create_workspace(session, "Helping Hands")
        with pytest.raises(Conflict, match="already exists"):
            create_workspace(session, "helping hands")
        assert get_workspace(session, "helping-hands").id == ws.id
        assert get_workspace(session, "HELPING HANDS").id == ws.id
        assert get_workspace(session, str(ws.id)).id == ws.id
        with pytest.raises(NotFound, match="workspace list"):
            get_workspace(session, "nope")


def test_resolve_defaults_to_the_only_workspace(store):
    with store.session() as session:
        with pytest.raises(NotFound, match="workspace create"):
            resolve_workspace(session, None)
        only = create_workspace(session, "One")
        assert resolve_workspace(session, None).id == only.id
        create_workspace(session, "Two")
        with pytest.raises(NotFound, match="choose one with --workspace"):
            resolve_workspace(session, None)


def test_settings_round_trip(store):
    with store.session() as session:
        ws = create_workspace(session, "W")
        change = SettingsChange(
            modes={Dimension.LOCATION: DimensionMode.REQUIRE, Dimension.CUSTOM: DimensionMode.AVAILABLE},
            custom_object="fund",
            posting_mode=PostingMode.BATCHING,
            journal="CRJ",
            start_date=date(2025, 1, 1),
            schedule_time=time(2, 30),
            timezone="America/New_York",
        )
        update_settings(session, ws.id, change)
    with store.session() as session:
        s = load_sync_settings(session, ws.id)
        assert s.mode(Dimension.LOCATION) is DimensionMode.REQUIRE
        assert s.custom_field is not None
        assert (s.custom_field.object_name, s.custom_field.gl_field, s.custom_field.label) == ("FUND", "GLDIMFUND", "Fund")
        assert s.category_name(Dimension.CUSTOM) == "[Sage Intacct] Fund"
        assert (s.posting_mode, s.journal, s.start_date) == (PostingMode.BATCHING, "CRJ", date(2025, 1, 1))
        assert (s.schedule_time, s.timezone) == (time(2, 30), "America/New_York")


def test_settings_refuse_what_no_run_could_use(store):
    with store.session() as session:
        ws = create_workspace(session, "W")
    with pytest.raises(Conflict, match="no custom field is set"), store.session() as session:
        update_settings(session, ws.id, SettingsChange(modes={Dimension.CUSTOM: DimensionMode.REQUIRE}))
    with pytest.raises(Conflict, match="unknown time zone"), store.session() as session:
        update_settings(session, ws.id, SettingsChange(timezone="Mars/Base"))
    with pytest.raises(Conflict, match="always required"), store.session() as session:
        update_settings(session, ws.id, SettingsChange(modes={Dimension.ACCOUNT: DimensionMode.EXCLUDE}))
    with store.session() as session:  # nothing of the refused changes stuck
        assert load_sync_settings(session, ws.id).mode(Dimension.CUSTOM) is DimensionMode.EXCLUDE


def test_mapping_defaults(store):
    with store.session() as session:
        ws = create_workspace(session, "W")
        set_mapping_default(session, ws.id, MappingRule("Ticket", Dimension.ACCOUNT, Side.CR, "4100"))
        set_mapping_default(session, ws.id, MappingRule("ticket", Dimension.ACCOUNT, Side.CR, "4200"))
        rules = load_sync_settings(session, ws.id).mapping_rules
        assert rules == (MappingRule("ticket", Dimension.ACCOUNT, Side.CR, "4200"),)
        remove_mapping_default(session, ws.id, "TICKET", Dimension.ACCOUNT, Side.CR)
        assert load_sync_settings(session, ws.id).mapping_rules == ()
        with pytest.raises(NotFound):
            remove_mapping_default(session, ws.id, "ticket", Dimension.ACCOUNT, Side.CR)


def test_connection_password_is_encrypted_and_never_shown(store, caplog):
    box = SecretBox(KEY)
    caplog.set_level(logging.DEBUG)
    with store.session() as session:
        ws = create_workspace(session, "W")
        save_connection(
            session, ws.id, box, company_id="helping-hands", user_id="ws_bridge",
            password=SecretStr("demo-user-pw"), entity_id="", endpoint="http://127.0.0.1:1/ia/xml/xmlgw.phtml",
            allowed=EndpointPolicy(["http://127.0.0.1:1"]),
        )
    with store.session() as session:
        row = session.get(Connection, ws.id)
        assert "demo-user-pw" not in row.password_encrypted and "demo-user-pw" not in repr(row)
        details = load_connection(session, ws.id, box)
        assert details.password.get_secret_value() == "demo-user-pw"
        assert "demo-user-pw" not in repr(details) and "demo-user-pw" not in str(details)
        assert details.entity_id is None and details.endpoint.endswith("xmlgw.phtml")
        record_test_result(session, ws.id, True, "connected")
    with store.session() as session:
        assert load_connection(session, ws.id, box).last_test_ok is True
    assert "demo-user-pw" not in caplog.text


def test_custom_field_names_must_be_intacct_names(store):
    with store.session() as session:
        ws = create_workspace(session, "W")
    for change in (SettingsChange(custom_object="fund<x>"), SettingsChange(custom_object="FUND", custom_gl_field="GL DIM")):
        with pytest.raises(Conflict, match="name"), store.session() as session:
            update_settings(session, ws.id, change)

"""Importing text XML cannot carry under each policy; a file without rows imports nothing and says so."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from store_builders import pulled_workspace

from intacct_bridge.domain.intake import read_csv, read_jsonl
from intacct_bridge.domain.xml_text import REPLACEMENT, TextPolicy
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import Action, Constituent
from intacct_bridge.store.repositories.intake import ImportRejected, import_actions
from intacct_bridge.store.repositories.settings import (
    SettingsChange,
    load_sync_settings,
    set_mapping_default,
    update_settings,
)
from intacct_bridge.domain.sync_settings import MappingRule
from intacct_bridge.domain.vocabulary import Dimension, Side

UTC = ZoneInfo("UTC")
CSV = ("external_id,type,amount,happened_at,summary,constituent_name\nd-1,donation,5,2025-06-30,ok,Ada\n"
       "d-2,donation,5,2025-06-30,Gala\x07night,Bo\x01b\n")


def test_refuse_is_the_default_and_nothing_is_imported(store):
    with store.session() as session:
        ws = pulled_workspace(session)
        with pytest.raises(ImportRejected) as rejected:
            import_actions(session, ws, read_csv(io.StringIO(CSV, newline="")), UTC)
    found = [(e.line, e.field, e.external_id) for e in rejected.value.errors]
    assert found == [(3, "summary", "d-2"), (3, "constituent_name", "d-2")]
    assert "U+0007" in rejected.value.errors[0].message and "U+0001" in rejected.value.errors[1].message
    assert "control_characters" in rejected.value.errors[0].message


def test_replace_stores_the_replaced_text(store):
    with store.write_session() as session:
        ws = pulled_workspace(session)
        update_settings(session, ws, SettingsChange(control_characters=TextPolicy.REPLACE))
        assert load_sync_settings(session, ws).text_policy is TextPolicy.REPLACE
        result = import_actions(session, ws, read_csv(io.StringIO(CSV, newline="")), UTC)
    assert result.created == 2
    with store.session() as session:
        action = session.scalar(select(Action).where(Action.external_id == "d-2"))
        assert action.summary == f"Gala{REPLACEMENT}night"
        assert session.get(Constituent, action.constituent_id).name == f"Bo{REPLACEMENT}b"


@pytest.mark.parametrize("rows", [[], "csv-header", "jsonl-empty"])
def test_a_file_without_rows_is_rejected(store, rows):
    if rows == "csv-header":
        rows = read_csv(io.StringIO("external_id,type\n", newline=""))
    elif rows == "jsonl-empty":
        rows = read_jsonl(io.StringIO(""))
    with store.session() as session:
        ws = pulled_workspace(session)
        with pytest.raises(ImportRejected) as rejected:
            import_actions(session, ws, rows, UTC)
    assert rejected.value.errors[0].field == "(file)" and "nothing to import" in rejected.value.errors[0].message


def test_settings_text_sent_to_intacct_is_checked(store):
    with store.session() as session:
        ws = pulled_workspace(session)
        with pytest.raises(Conflict, match="journal: character U\\+0007"):
            update_settings(session, ws, SettingsChange(journal="G\x07J"))
        with pytest.raises(Conflict, match="U\\+0001"):
            set_mapping_default(session, ws, MappingRule("ticket", Dimension.ACCOUNT, Side.CR, "41\x0100"))

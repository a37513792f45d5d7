"""The audit log: entries written in the change's transaction by the service functions, naming the caller set at
the interface's edge, never a secret; nothing is written by a change that rolls back."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.error_classes import ErrorClass
from intacct_bridge.store.database import open_store
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import ReviewFlag
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories.audit import AuditFilter, Caller, calling_as, count_entries, list_entries
from intacct_bridge.store.repositories.connections import save_connection
from intacct_bridge.store.repositories.notifications import NotificationChange, save_config
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.store.repositories.workspaces import create_workspace


@pytest.fixture
def store(migrated_sqlite_url):
    opened = open_store(migrated_sqlite_url)
    yield opened
    opened.dispose()


def test_retries_and_resolves_name_the_caller_and_the_errors(store):
    with store.write_session() as session:
        ws = create_workspace(session, "Alpha").id
        for record_id in (1, 2):
            session.add(ReviewFlag(workspace_id=ws, record_kind="invoice", record_id=record_id, kind="rejected",
                                   error_class=ErrorClass.CLOSED_PERIOD.value, reasons=[], held=True))
    with calling_as(Caller("console", "ann")), store.write_session() as session:
        error_queue.resolve(session, ws, error_queue.Selection(classes=[ErrorClass.CLOSED_PERIOD]),
                            reason="posted by hand", by="ann")
    with calling_as(Caller("api", "crm")), store.write_session() as session:
        error_queue.retry(session, ws, error_queue.Selection(ids=[1]))
    with store.session() as session:
        entries = list_entries(session, AuditFilter(workspace_id=ws))
    assert [(e.actor, e.via, e.action, e.target) for e in entries] == [
        ("crm", "api", "errors.retried", "1 error"), ("ann", "console", "errors.resolved", "2 errors")]
    assert entries[1].detail == {"errors": [1, 2], "reason": "posted by hand"}


def test_secrets_are_never_in_an_entry_and_a_refused_change_leaves_none(store):
    box = SecretBox(Fernet.generate_key().decode())
    with store.write_session() as session:
        ws = create_workspace(session, "Alpha").id
    with store.write_session() as session:
        save_connection(session, ws, box, company_id="acme", user_id="ws", password=SecretStr("hunter2-secret"))
        save_config(session, ws, NotificationChange(webhook_url="http://127.0.0.1:9/hook",
                                                    webhook_secret=SecretStr("s" * 20)), box, allow_private=True)
    with pytest.raises(Conflict), store.write_session() as session:
        update_settings(session, ws, SettingsChange(journal="not a journal!"))
    with store.session() as session:
        entries = list_entries(session, AuditFilter(workspace_id=ws))
        assert count_entries(session, AuditFilter(workspace_id=ws, action="settings.changed")) == 1  # not the refused
    text = repr([(e.target, e.detail) for e in entries])
    assert "hunter2" not in text and "s" * 20 not in text and "(changed)" in text
    assert [e.action for e in entries] == ["settings.changed", "connection.saved"]
    assert entries[0].target == "notification settings" and all(e.via == "python" for e in entries)

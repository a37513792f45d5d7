"""Notifications end to end: runs against the emulator queue them, a real SMTP server and a real webhook
receiver on 127.0.0.1 get every kind, signed; a failing receiver is retried; nothing slows the run."""

from __future__ import annotations

from datetime import timedelta

from pydantic import SecretStr
import pytest
from sqlalchemy import select

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.notifications import events
from intacct_bridge.notifications.delivery import deliver_pending
from intacct_bridge.notifications.signing import SIGNATURE_HEADER, verify
from intacct_bridge.store.models import NotificationSettingsRow
from intacct_bridge.store.repositories import notifications as notification_store
from intacct_bridge.sync.sample import dr, cr
from intacct_bridge.sync.sample_load import create_connected_workspace
from intacct_bridge.domain.vocabulary import Dimension

from engine_helpers import COMPANY, action, good_tags, make_engine, make_workspace, now, seed_actions
from notify_fixtures import SECRET, mailbox, operator, receiver  # noqa: F401 (fixtures)


def _subscribe(store, ws, operator, receiver, **kwargs) -> notification_store.NotificationConfig:
    change = notification_store.NotificationChange(["finance@example.org", "ops@example.org"], receiver.url,
                                                   SecretStr(SECRET), **kwargs)
    with store.write_session() as session:
        return notification_store.save_config(session, ws, change, SecretBox.from_settings(operator),
                                              allow_private=operator.webhook_allow_private)


def _by_event(receiver) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for request in receiver.received:
        assert verify(SECRET, request.headers[SIGNATURE_HEADER], request.body), "bad signature"
        assert not verify("another-secret-0123456789", request.headers[SIGNATURE_HEADER], request.body)
        out.setdefault(request.json()["event"], []).append(request.json())
    return out


def test_every_kind_goes_by_email_and_signed_webhook(emu, operator, store, mailbox, receiver):
    box, _ = mailbox
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    config = _subscribe(store, ws, operator, receiver)
    assert config.webhook_secret_set and "whsec" not in repr(config.as_dict())
    with store.session() as session:
        stored = session.get(NotificationSettingsRow, ws).webhook_secret_encrypted
    assert SECRET not in stored

    # A posted record: its RECORDNO and link go to the webhook (write-back); no email for it.
    seed_actions(store, ws, [action(1, good_tags(), days_ago=2)])
    posted = engine.run()
    assert posted.status is RunStatus.SUCCEEDED and posted.tally.posted == 1
    assert receiver.received == [] and box.messages == []  # queued, not sent by the run
    assert deliver_pending(store, operator).delivered == 1

    # Rejected by Intacct (a closed period) and, as it now waits for a person, the day's digest.
    seed_actions(store, ws, [action(2, good_tags(), days_ago=40)])
    emu.admin.set_closed_through(COMPANY, None, (now() - timedelta(days=20)).date())
    rejected = engine.run()
    assert rejected.tally.failed == 1

    # Halted on an invalid record (no DR account): halted, and no second digest the same day.
    seed_actions(store, ws, [action(3, [cr(Dimension.ACCOUNT, "4000"), cr(Dimension.LOCATION, "100"),
                                        dr(Dimension.LOCATION, "100")], days_ago=1)])
    halted = engine.run()
    assert halted.status is RunStatus.HALTED

    # The connection failing: the stored password is wrong now.
    broken = create_connected_workspace(store, "Broken Org", {**emu.credentials, "INTACCT_USER_PASSWORD": "nope"},
                                        SecretBox.from_settings(operator))
    _subscribe(store, broken, operator, receiver)
    failed = make_engine(store, broken, operator).run()
    assert failed.status is RunStatus.FAILED

    totals = deliver_pending(store, operator)
    assert totals.failed == 0 and totals.retrying == 0

    hooks = _by_event(receiver)
    assert set(hooks) == set(events.EVENTS) - {events.RECONCILE_DRIFT}   # runs' events (reconcile: test_scheduled_reconcile)
    (write_back,) = hooks[events.RECORD_POSTED]
    assert write_back["external_id"] == "T-00001" and write_back["intacct_object"] == "GLBATCH"
    ledger = {e["REFERENCENO"]: e for e in emu.admin.ledger(COMPANY, "GLBATCH")}
    assert write_back["recordno"] == str(ledger[f"ib-{_uid(store, ws)}-{write_back['record_id']}"]["RECORDNO"])
    assert write_back["recordno"] in write_back["url"]
    (rejection,) = hooks[events.RECORDS_REJECTED]
    assert rejection["records"][0]["external_id"] == "T-00002"
    assert rejection["records"][0]["error_class"] == "closed_period"
    assert "reopen the period" in rejection["records"][0]["fix"]
    (digest,) = hooks[events.REVIEW_DIGEST]  # once a day, though two runs left records waiting
    assert digest["workspace_id"] == ws and digest["by_class"]["closed_period"] == 1
    assert hooks[events.RUN_HALTED][0]["run_id"] == halted.run_id
    assert hooks[events.RUN_FAILED][0]["error_class"] == "connection"
    assert hooks[events.CONNECTION_FAILING][0]["workspace_id"] == broken

    subjects = box.subjects()
    assert len(subjects) == len(set(subjects))
    for words in ("rejected 1 records", "wait for review", "halted", "failed", "connection to Intacct fails"):
        assert any(words in s for s in subjects), (words, subjects)
    assert not any("posted" in s for s in subjects)  # record.posted is a webhook only
    assert box.messages[0]["X-Envelope-To"] == "finance@example.org, ops@example.org"
    rejected_mail = next(m for m in box.messages if "rejected" in str(m["Subject"]))
    assert "T-00002" in rejected_mail.get_payload() and "closed_period" in rejected_mail.get_payload()


def _uid(store, ws) -> str:
    from intacct_bridge.store.models import Workspace
    with store.session() as session:
        return session.get(Workspace, ws).uid


def test_a_failing_receiver_is_retried_with_backoff_then_delivered(emu, operator, store, receiver):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    _subscribe(store, ws, operator, receiver, events=[events.RECORD_POSTED])
    seed_actions(store, ws, [action(1, good_tags(), days_ago=2)])
    engine.run()
    receiver.fail_next = 2

    first = deliver_pending(store, operator)
    assert (first.delivered, first.retrying) == (0, 1)
    with store.session() as session:
        (row,) = notification_store.list_deliveries(session, ws)
        assert row.attempts == 1 and row.last_status_code == 500 and "HTTP 500" in row.last_error
        due = row.next_attempt_at
    assert deliver_pending(store, operator).retrying == 0  # not due yet: nothing sent
    assert deliver_pending(store, operator, now=due).retrying == 1
    with store.session() as session:
        (row,) = notification_store.list_deliveries(session, ws)
        assert row.attempts == 2 and row.next_attempt_at - due >= timedelta(seconds=59)
        due = row.next_attempt_at
    assert deliver_pending(store, operator, now=due).delivered == 1
    with store.session() as session:
        (row,) = notification_store.list_deliveries(session, ws)
        assert (row.status, row.attempts, row.last_error) == ("delivered", 3, None)
    assert receiver.events() == [events.RECORD_POSTED]


def test_redirects_are_not_followed_and_private_targets_are_refused(emu, operator, store, receiver):
    ws = make_workspace(store, emu, operator)
    make_engine(store, ws, operator).run()
    _subscribe(store, ws, operator, receiver, events=[events.RECORD_POSTED])
    seed_actions(store, ws, [action(1, good_tags(), days_ago=2)])
    make_engine(store, ws, operator).run()
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data"
    assert deliver_pending(store, operator).retrying == 1
    with store.session() as session:
        (row,) = notification_store.list_deliveries(session, ws)
        assert row.last_status_code == 302 and receiver.received == []

    strict = operator.model_copy(update={"webhook_allow_private": False})
    with pytest.raises(notification_store.NotificationRefused, match="loopback, private or reserved"):
        _subscribe(store, ws, strict, receiver)
    with store.session() as session:
        row = session.get(NotificationSettingsRow, ws)
        row_url = row.webhook_url
    assert row_url == receiver.url  # unchanged by the refused save
    receiver.redirect_to = None
    with store.session() as session:
        due = notification_store.list_deliveries(session, ws)[0].next_attempt_at
    assert deliver_pending(store, strict, now=due).retrying == 1  # checked again before sending
    with store.session() as session:
        assert "private" in notification_store.list_deliveries(session, ws)[0].last_error


def test_a_sync_delivers_afterwards_and_a_dead_mail_server_never_breaks_it(emu, operator, store, receiver):
    from intacct_bridge.api import Bridge
    from notify_servers import free_port

    ws = make_workspace(store, emu, operator)
    make_engine(store, ws, operator).run()
    dead_smtp = operator.model_copy(update={"smtp_port": free_port()})  # nothing listens there
    bridge = Bridge(store, ws, dead_smtp, {"backoff_base": 0.01, "backoff_max": 0.05})
    bridge.set_notifications(email_recipients=["ap@example.org"], webhook_url=receiver.url, webhook_secret=SECRET)
    seed_actions(store, ws, [action(1, good_tags(), days_ago=40)])
    emu.admin.set_closed_through(COMPANY, None, (now() - timedelta(days=20)).date())

    report = bridge.sync()

    assert report.status is RunStatus.COMPLETED_WITH_ERRORS  # recorded, whatever the mail server does
    assert receiver.events() == [events.RECORDS_REJECTED, events.REVIEW_DIGEST]  # delivered right after the run
    log = {(d["event"], d["channel"]): d for d in bridge.deliveries()}
    email = log[(events.RECORDS_REJECTED, "email")]
    assert email["status"] == "pending" and email["attempts"] == 1 and "SMTP" in email["last_error"]
    assert log[(events.RECORDS_REJECTED, "webhook")]["status"] == "delivered"

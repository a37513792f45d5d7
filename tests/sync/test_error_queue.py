"""The error queue end to end against the emulator: each failure gets its class and fix; transient ones are
retried by later runs after a wait, then held at the cap; the others wait for a person (retry or resolve)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.error_classes import MAX_ATTEMPTS, ErrorClass
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import Action
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.sync import queries, review
from intacct_bridge.sync.progress import Phase
from intacct_bridge.sync.sample_load import create_connected_workspace

from test_order_to_cash import any_store  # noqa: F401  (SQLite, and PostgreSQL when it runs)
from engine_helpers import COMPANY, action, good_tags, ledger_by_reference, make_engine, make_workspace, now, seed_actions


def _errors(store, ws, **filters) -> list[error_queue.ErrorItem]:
    with store.session() as session:
        return error_queue.list_errors(session, ws, **filters)


def _faults_once_posting_starts(emu, spec: str):
    """A progress callback that turns the gateway's faults on when posting begins (pulls stay clean)."""
    def progress(event) -> None:
        if event.phase is Phase.POST and event.done == 0:
            emu.admin.set_faults(spec, seed=1)
    return progress


@pytest.mark.parametrize(("fault", "expected"), [("rate429=1", ErrorClass.RATE_LIMIT),
                                                   ("error503=1", ErrorClass.TRANSIENT)])
def test_transient_failures_are_retried_after_a_wait_then_posted_once(emu, operator, store, fault, expected):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator, max_retries=1)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags(), days_ago=2)])

    failed = engine.run(progress=_faults_once_posting_starts(emu, fault))
    emu.admin.set_faults("", seed=1)

    assert failed.tally.unconfirmed == 1 and failed.status is RunStatus.COMPLETED_WITH_ERRORS
    (item,) = _errors(store, ws)
    assert (item.error_class, item.status, item.attempts, item.held) == (expected.value, "retrying", 1, False)
    assert item.next_attempt_at > failed.started_at and "Nothing to do" in item.fix

    early = engine.run()  # before the wait is over: not sent again (only looked up)
    assert early.tally.candidates == 0 and ledger_by_reference(emu) == {}

    later = make_engine(store, ws, operator)
    later.clock = lambda: now() + timedelta(minutes=6)
    done = later.run()
    assert done.status is RunStatus.SUCCEEDED and done.tally.posted == 1
    assert _errors(store, ws, state=error_queue.ALL) == [] and len(ledger_by_reference(emu)) == 1


def test_transient_failures_are_held_for_a_person_at_the_cap(store, emu, operator):
    ws = make_workspace(store, emu, operator)
    make_engine(store, ws, operator).run()  # pulls the campaigns
    seed_actions(store, ws, [action(1, good_tags(), days_ago=2)])
    with store.session() as session:
        action_id = session.scalar(select(Action.id).where(Action.workspace_id == ws))
    start = now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with store.write_session() as session:
            review.note_transient(session, ws, "journal_entry", {action_id: (ErrorClass.TRANSIENT, "HTTP 503")},
                                  run_id=None, now=start)
        (item,) = _errors(store, ws)
        assert item.attempts == attempt
    assert (item.status, item.held, item.next_attempt_at) == ("rejected", True, None)
    assert "no answer after 5 attempts" in item.reasons[0]["message"]
    assert make_engine(store, ws, operator).run().tally.candidates == 0  # held: not sent by itself
    with store.write_session() as session:
        assert error_queue.retry(session, ws, error_queue.Selection([item.id])).count == 1
    retried = make_engine(store, ws, operator).run()
    assert retried.tally.posted == 1 and _errors(store, ws) == []


def test_closed_period_is_held_with_its_own_fix_and_can_be_resolved(emu, operator, any_store):
    store = any_store
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags(), days_ago=40), action(2, good_tags(), days_ago=45)])
    emu.admin.set_closed_through(COMPANY, None, (now() - timedelta(days=20)).date())
    engine.run()

    items = _errors(store, ws, classes=[ErrorClass.CLOSED_PERIOD])
    assert len(items) == 2 and all(i.held and i.status == "rejected" for i in items)
    fix = items[0].reasons[0]["fix"]
    assert "reopen the period" in fix and "campaign" not in fix
    assert _errors(store, ws, classes=[ErrorClass.PERMISSION]) == []
    with store.session() as session:
        assert error_queue.counts_by_class(session, ws)["closed_period"] == 2

    with store.write_session() as session, pytest.raises(Conflict, match="say why"):
        error_queue.resolve(session, ws, error_queue.Selection([items[0].id]), reason=" ", by="ana")
    with store.write_session() as session, pytest.raises(NotFound, match="no open error with id 999"):
        error_queue.resolve(session, ws, error_queue.Selection([999]), reason="x", by="ana")
    with store.write_session() as session:
        done = error_queue.resolve(session, ws, error_queue.Selection([items[0].id]), reason="posted by hand",
                                   by="ana@example.org")
    assert done.count == 1
    (resolved,) = _errors(store, ws, state=error_queue.RESOLVED)
    assert (resolved.resolved_by, resolved.resolution, resolved.status) == ("ana@example.org", "posted by hand",
                                                                            "resolved")
    with store.session() as session:  # the review list and the status no longer count it
        assert [e.action_id for e in queries.review_queue(session, ws)] == [items[1].record_id]
        assert queries.workspace_status(session, ws).needs_review == 1
    emu.admin.set_closed_through(COMPANY, None, (now() - timedelta(days=400)).date())
    with store.write_session() as session:  # bulk: every open closed-period error
        assert error_queue.retry(session, ws, error_queue.Selection(classes=[ErrorClass.CLOSED_PERIOD])).count == 1
    report = engine.run()
    assert report.tally.posted == 1  # the resolved one stays out
    assert [i.id for i in _errors(store, ws, state=error_queue.ALL)] == [resolved.id]


def test_sign_in_and_permission_failures_end_the_run_with_their_class(emu, operator, store):
    from intacct_bridge.notifications.run_events import failure_class

    wrong = create_connected_workspace(store, "Wrong Password", {**emu.credentials, "INTACCT_USER_PASSWORD": "x"},
                                       SecretBox.from_settings(operator))
    engine = make_engine(store, wrong, operator)
    errors_seen = []
    original = engine._queue_notifications

    def capture(run_id, status, message, error, now_):
        errors_seen.append(error)
        original(run_id, status, message, error, now_)

    engine._queue_notifications = capture
    assert engine.run().status is RunStatus.FAILED
    assert failure_class(errors_seen[-1]) is ErrorClass.CONNECTION

    limited = create_connected_workspace(store, "Limited", {**emu.credentials, "INTACCT_USER_ID": "ws_limited"},
                                         SecretBox.from_settings(operator))
    engine = make_engine(store, limited, operator)
    engine._queue_notifications = capture
    report = engine.run()
    assert report.status is RunStatus.FAILED and "permission" in report.message.lower()
    assert failure_class(errors_seen[-1]) is ErrorClass.PERMISSION


def test_order_to_cash_records_use_the_same_queue(emu, operator, store):
    from test_order_to_cash import customer_with_an_invoice

    ws, bridge = customer_with_an_invoice(store, emu, operator, "Jane Alvarez")
    emu.admin.set_closed_through(COMPANY, None, "2026-11-30")
    first = bridge.sync()
    assert first.tally.by_kind["invoice"]["failed"] == 1
    (item,) = bridge.errors(kinds=["invoices"])
    assert (item.record_kind, item.error_class, item.held) == ("invoice", "closed_period", True)
    assert "reopen the period" in item.reasons[0]["fix"]
    assert bridge.sync().tally.by_kind.get("invoice", {}).get("candidates", 0) == 0  # held: not sent again

    emu.admin.set_closed_through(COMPANY, None, "2000-01-01")
    assert bridge.retry_errors(kinds=["invoices"]).records == [("invoice", item.record_id)]
    done = bridge.sync()
    assert done.tally.by_kind["invoice"]["posted"] == 1 and bridge.errors() == []
    assert len(emu.admin.ledger(COMPANY, "ARINVOICE")) == 1


def test_an_invoice_number_already_in_intacct_is_a_duplicate(emu, operator, store):
    from test_order_to_cash import customer_with_an_invoice

    ws, bridge = customer_with_an_invoice(store, emu, operator, "Jane Alvarez")
    line = [{"gl_account": "4500", "quantity": "1", "price": "12.00"}]
    bridge.import_invoices([{"external_id": "i2", "customer": "c1", "date": "2026-11-03", "number": "WEB-7",
                             "lines": line},
                            {"external_id": "i3", "customer": "c1", "date": "2026-11-04", "number": "WEB-7",
                             "lines": line}])
    report = bridge.sync()
    assert report.tally.by_kind["invoice"]["failed"] == 1
    (item,) = bridge.errors(classes=["duplicate"])
    assert item.record_kind == "invoice" and item.held and "already exists" in item.reasons[0]["message"]
    assert "number of its own" in item.fix

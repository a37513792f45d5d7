"""One action whose request cannot be built (text XML cannot carry) never stops the others."""

from __future__ import annotations

from sqlalchemy import select, update

from intacct_bridge.domain.vocabulary import ActionStatus, RunStatus
from intacct_bridge.store.models import Action, ReviewFlag, RunItem, SyncRun

from engine_helpers import action, good_tags, ledger_by_reference, make_engine, make_workspace, seed_actions


def _set_summary(store, workspace_id: int, external_id: str, summary: str) -> int:
    """Write straight into the store, as data stored before intake refused such text would be."""
    with store.write_session() as session:
        session.execute(update(Action).where(Action.workspace_id == workspace_id, Action.external_id == external_id)
                        .values(summary=summary))
        return session.scalar(select(Action.id).where(Action.workspace_id == workspace_id,
                                                      Action.external_id == external_id))


def test_an_action_with_a_control_character_is_flagged_and_the_rest_post(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags()), action(3, good_tags("4300"))])
    bad_id = _set_summary(store, ws, "T-00002", "Gala\x07dinner")

    report = engine.run()

    assert report.status is RunStatus.COMPLETED_WITH_ERRORS
    assert (report.tally.posted, report.tally.unbuildable, report.tally.invalid) == (2, 1, 0)
    assert len(ledger_by_reference(emu)) == 2
    with store.session() as session:
        flag = session.get(ReviewFlag, bad_id)
        item = session.scalar(select(RunItem).where(RunItem.run_id == report.run_id, RunItem.action_id == bad_id))
        run = session.get(SyncRun, report.run_id)
        statuses = {a.external_id: a.status for a in session.scalars(select(Action).where(Action.workspace_id == ws))}
    assert flag is not None and flag.kind == "invalid"
    assert flag.reasons[0]["field"] == "summary" and "U+0007" in flag.reasons[0]["message"]
    assert item.outcome == "invalid" and "summary" in item.message and "U+0007" in item.message
    assert run.invalid == 1 and "could not be built" in (report.message or "")
    assert statuses == {"T-00001": ActionStatus.POSTED.value, "T-00002": ActionStatus.UNPOSTED.value,
                        "T-00003": ActionStatus.POSTED.value}

    again = engine.run()  # still bad: flagged again, nothing sent twice
    assert (again.tally.candidates, again.tally.posted, again.tally.unbuildable) == (1, 0, 1)
    _set_summary(store, ws, "T-00002", "Gala dinner")
    fixed = engine.run()
    assert fixed.status is RunStatus.SUCCEEDED and fixed.tally.posted == 1
    with store.session() as session:
        assert session.get(ReviewFlag, bad_id) is None
    assert len(ledger_by_reference(emu)) == 3


def test_a_dry_run_names_the_action_that_cannot_be_sent_without_flagging_it(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags())])
    bad_id = _set_summary(store, ws, "T-00001", "bell \x01 here")

    report = engine.run(dry_run=True)

    assert (report.tally.would_post, report.tally.unbuildable) == (1, 1)
    with store.session() as session:
        item = session.scalar(select(RunItem).where(RunItem.run_id == report.run_id, RunItem.action_id == bad_id))
        assert session.get(ReviewFlag, bad_id) is None
    assert item.outcome == "invalid" and "U+0001" in item.message


def test_a_dry_run_logs_an_invalid_action_with_a_control_character_once(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags()[1:]), action(2, good_tags())])  # T-00001 lacks its CR account
    bad_id = _set_summary(store, ws, "T-00001", "bell \x07")

    report = engine.run(dry_run=True)

    assert (report.tally.invalid, report.tally.unbuildable, report.tally.would_post) == (1, 0, 1)
    with store.session() as session:
        items = list(session.scalars(select(RunItem).where(RunItem.run_id == report.run_id,
                                                           RunItem.action_id == bad_id)))
    assert [i.outcome for i in items] == ["invalid"]

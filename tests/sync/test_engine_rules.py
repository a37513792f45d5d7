"""Every rule of the run, end to end over HTTP against the emulator (store on a SQLite file)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from intacct_bridge.domain.vocabulary import (
    NEEDS_REVIEW_CAMPAIGN,
    ActionStatus,
    Dimension,
    DimensionMode,
    PostingMode,
    RunStatus,
    Side,
)
from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient
from intacct_bridge.intacct import functions as fn
from intacct_bridge.domain.error_classes import ErrorClass
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.locks import RunLock
from intacct_bridge.store.models import Action, Campaign, CampaignCategory, ReviewFlag, RunItem, Workspace
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.candidates import UnknownAction
from intacct_bridge.sync.sample import SampleFix, cr, dr
from intacct_bridge.sync.sample_load import apply_fix

from engine_helpers import COMPANY, action, good_tags, ledger_by_reference, make_engine, make_workspace, now, seed_actions


def _flagged(store, workspace_id: int) -> dict[int, ReviewFlag]:
    with store.session() as session:
        return {f.action_id: f for f in session.scalars(select(ReviewFlag).where(ReviewFlag.workspace_id == workspace_id))}


def _actions(store, workspace_id: int) -> dict[str, Action]:
    with store.session() as session:
        return {a.external_id: a for a in session.scalars(select(Action).where(Action.workspace_id == workspace_id))}


def _campaign_names(store, action_id: int) -> set[str]:
    with store.session() as session:
        return {c.name for c in session.get(Action, action_id).campaigns}


def _watermark(store, workspace_id: int):
    with store.session() as session:
        return session.get(Workspace, workspace_id).last_sync_at


def test_gate_halts_posts_nothing_keeps_watermark_then_fixed_actions_lose_the_flag(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    assert engine.run().status is RunStatus.SUCCEEDED  # the pull creates the campaigns
    first_mark = _watermark(store, ws)
    broken = [a for a in good_tags() if a != dr(Dimension.ACCOUNT, "1100")]
    seed_actions(store, ws, [action(1, good_tags()), action(2, broken), action(3, good_tags("4300"))])

    halted = engine.run()

    assert halted.status is RunStatus.HALTED and halted.tally.invalid == 1 and halted.tally.posted == 0
    assert emu.admin.ledger(COMPANY, "GLBATCH") == []
    assert _watermark(store, ws) == first_mark
    flags = _flagged(store, ws)
    bad_id = _actions(store, ws)["T-00002"].id
    assert list(flags) == [bad_id]
    assert "no DR account" in flags[bad_id].reasons[0]["message"]
    assert NEEDS_REVIEW_CAMPAIGN in _campaign_names(store, bad_id)
    with store.session() as session:
        log = {i.action_id: i.outcome for i in session.scalars(select(RunItem).where(RunItem.run_id == halted.run_id))}
    assert sorted(log.values()) == ["held", "held", "invalid"] and log[bad_id] == "invalid"

    apply_fix(store, ws, "T-00002", SampleFix(add=(dr(Dimension.ACCOUNT, "1100"),)))
    done = engine.run()

    assert done.status is RunStatus.SUCCEEDED and done.tally.posted == 3 and done.tally.unflagged == 1
    assert _flagged(store, ws) == {} and NEEDS_REVIEW_CAMPAIGN not in _campaign_names(store, bad_id)
    assert _watermark(store, ws) == done.started_at
    assert len(ledger_by_reference(emu)) == 3


def test_candidates_respect_start_date_exclusion_run_start_and_posted(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    with store.write_session() as session:
        update_settings(session, ws, SettingsChange(start_date=(now() - timedelta(days=10)).date()))
    seed_actions(store, ws, [
        action(1, good_tags(), days_ago=30),                                  # before the start date
        action(2, good_tags(), excluded=True),                                # tagged Exclude
        action(3, good_tags(), created=now() + timedelta(hours=1)),           # created after the run starts
        action(4, good_tags()),                                               # the only candidate
    ])

    report = engine.run()

    assert report.tally.candidates == 1 and report.tally.posted == 1
    assert set(ledger_by_reference(emu)) == {f"ib-{_uid(store, ws)}-{_actions(store, ws)['T-00004'].id}"}
    again = engine.run()
    assert again.tally.candidates == 0 and len(emu.admin.ledger(COMPANY, "GLBATCH")) == 1


def _uid(store, ws: int) -> str:
    with store.session() as session:
        return session.get(Workspace, ws).uid


def test_intacct_rejection_marks_failed_flags_and_is_held_until_retried(emu, operator, store, wire):
    ws = make_workspace(store, emu, operator, wire=wire)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags(), days_ago=40), action(2, good_tags(), days_ago=2)])
    emu.admin.set_closed_through(COMPANY, None, (now() - timedelta(days=20)).date())

    report = engine.run()

    assert report.status is RunStatus.COMPLETED_WITH_ERRORS
    assert (report.tally.posted, report.tally.failed) == (1, 1)
    rows = _actions(store, ws)
    old = rows["T-00001"]
    assert old.status == ActionStatus.FAILED.value and "closed" in old.last_error.lower()
    flag = _flagged(store, ws)[old.id]
    assert flag.kind == "rejected" and "closed" in flag.reasons[0]["message"].lower()
    with store.session() as session:
        item = session.scalar(select(RunItem).where(RunItem.run_id == report.run_id, RunItem.action_id == old.id))
        assert item.outcome == "failed" and "closed" in item.message.lower()
    assert _watermark(store, ws) == report.started_at  # not halted: the watermark moves

    assert flag.error_class == "closed_period" and flag.held
    emu.admin.set_closed_through(COMPANY, None, (now() - timedelta(days=400)).date())
    held = engine.run()  # a closed period is not retried by itself: it waits for a person
    assert held.status is RunStatus.SUCCEEDED and held.tally.candidates == 0
    with store.write_session() as session:
        released = error_queue.retry(session, ws, error_queue.Selection(classes=[ErrorClass.CLOSED_PERIOD]))
    assert released.records == [("journal_entry", old.id)]
    retry = engine.run()

    assert retry.status is RunStatus.SUCCEEDED and retry.tally.posted == 1 and _flagged(store, ws) == {}
    assert _actions(store, ws)["T-00001"].status == ActionStatus.POSTED.value
    assert len(ledger_by_reference(emu)) == 2


def test_inactive_and_vanished_values_turn_campaigns_inactive_and_invalidate_actions(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    with _client(emu) as client:
        client.execute(fn.Create("LOCATION", {"LOCATIONID": "600", "NAME": "Pop-up Shop"}))
    engine.run()
    seed_actions(store, ws, [action(1, good_tags(location="600")), action(2, good_tags(), kind="membership")])
    dept = [cr(Dimension.DEPARTMENT, "COM"), dr(Dimension.DEPARTMENT, "COM")]
    seed_actions(store, ws, [action(3, good_tags() + dept)])
    with _client(emu) as client:
        client.execute(fn.Update("DEPARTMENT", {"DEPARTMENTID": "COM", "STATUS": "inactive"}))
        recordno = next(r["RECORDNO"] for r in client.iter_query("LOCATION", ["RECORDNO", "LOCATIONID"])
                        if r["LOCATIONID"] == "600")
        client.execute(fn.Delete("LOCATION", keys=[recordno]))

    report = engine.run()

    assert report.status is RunStatus.HALTED and report.tally.invalid == 2
    assert report.tally.campaigns_deactivated == 4  # CR and DR of COM (inactive) and of 600 (vanished)
    with store.session() as session:
        states = {c.name: c.active for c in session.scalars(select(Campaign).where(
            Campaign.workspace_id == ws, Campaign.intacct_value_id.in_(["COM", "600", "500", "100"])))}
    assert states["CR COM - Communications"] is False and states["DR COM - Communications"] is False
    assert states["CR 600 - Pop-up Shop"] is False and states["DR 600 - Pop-up Shop"] is False
    assert states["CR 500 - Mobile Outreach Van"] is False  # inactive from the first pull
    assert states["CR 100 - Headquarters"] is True
    flagged = _flagged(store, ws)
    by_external = {a.external_id: a.id for a in _actions(store, ws).values()}
    assert set(flagged) == {by_external["T-00001"], by_external["T-00003"]}
    assert all(any("inactive" in r["message"] for r in f.reasons) for f in flagged.values())


def _client(emu) -> IntacctClient:
    return IntacctClient(Credentials.from_env(emu.credentials), ClientConfig(endpoint=emu.url))


def test_preflight_names_the_missing_permission_and_posts_nothing(emu, operator, store):
    limited = {**emu.credentials, "INTACCT_USER_ID": "ws_limited"}
    from intacct_bridge.crypto import SecretBox
    from intacct_bridge.sync.sample_load import create_connected_workspace

    ws = create_connected_workspace(store, "Limited", limited, SecretBox.from_settings(operator))
    report = make_engine(store, ws, operator).run()

    assert report.status is RunStatus.FAILED
    assert "user ws_limited cannot read Departments" in report.message
    assert "Company > Departments" in report.message and "set Departments to Exclude" in report.message
    with store.session() as session:
        assert session.scalar(select(CampaignCategory).where(CampaignCategory.workspace_id == ws,
                                                             CampaignCategory.name.like("[Sage Intacct]%"))) is None
    assert _watermark(store, ws) is None

    with store.write_session() as session:
        update_settings(session, ws, SettingsChange(modes={Dimension.DEPARTMENT: DimensionMode.EXCLUDE}))
    assert make_engine(store, ws, operator).run().status is RunStatus.SUCCEEDED


def test_a_second_run_is_refused_while_one_holds_the_workspace(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    with RunLock(store, ws, purpose="sync", heartbeat_every=None):
        with pytest.raises(RunLocked, match="a sync is already running for this workspace"):
            make_engine(store, ws, operator).run()
    assert make_engine(store, ws, operator).run().status is RunStatus.SUCCEEDED


@pytest.mark.parametrize("mode", [PostingMode.INDIVIDUAL, PostingMode.BATCHING])
def test_posting_date_follows_the_posting_mode(emu, operator, store, mode):
    ws = make_workspace(store, emu, operator, posting_mode=mode)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags(), days_ago=9), action(2, good_tags(), days_ago=3)])

    report = engine.run()

    dates = sorted(e["BATCH_DATE"] for e in emu.admin.ledger(COMPANY, "GLBATCH"))
    if mode is PostingMode.BATCHING:
        assert dates == [report.started_at.date().isoformat()] * 2
    else:
        assert dates == sorted(a.happened_at.date().isoformat() for a in _actions(store, ws).values())


def test_dry_run_shows_entries_and_validation_and_posts_nothing(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    broken = good_tags() + [cr(Dimension.ACCOUNT, "4800")]
    seed_actions(store, ws, [action(1, good_tags()), action(2, broken)])
    mark = _watermark(store, ws)
    seen = []

    report = engine.run(dry_run=True, on_entry=seen.append)

    assert report.dry_run and report.tally.would_post == 1 and report.tally.invalid == 1
    assert [(e.debit_account, e.credit_account, str(e.amount)) for e in seen] == [("1100", "4000", "100.00")]
    assert emu.admin.ledger(COMPANY, "GLBATCH") == []
    assert _flagged(store, ws) == {} and _watermark(store, ws) == mark
    with store.session() as session:
        outcomes = sorted(i.outcome for i in session.scalars(select(RunItem).where(RunItem.run_id == report.run_id)))
    assert outcomes == ["invalid", "would_post"]


def test_sync_one_action_posts_only_that_action(emu, operator, store, wire):
    ws = make_workspace(store, emu, operator, wire=wire)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags())])
    target = _actions(store, ws)["T-00002"].id
    mark = _watermark(store, ws)

    report = engine.run(action_id=target)

    assert report.tally.candidates == 1 and report.tally.posted == 1
    assert list(ledger_by_reference(emu)) == [f"ib-{_uid(store, ws)}-{target}"]
    assert _watermark(store, ws) == mark  # one action is not a sync of everything


def test_negative_amount_swaps_sides_and_mapping_default_is_logged(emu, operator, store, wire):
    from intacct_bridge.domain.sync_settings import MappingRule
    from intacct_bridge.store.repositories.settings import set_mapping_default

    ws = make_workspace(store, emu, operator, wire=wire)
    engine = make_engine(store, ws, operator)
    engine.run()
    with store.write_session() as session:
        set_mapping_default(session, ws, MappingRule("ticket", Dimension.ACCOUNT, Side.CR, "4400"))
    no_credit = [t for t in good_tags() if t != cr(Dimension.ACCOUNT, "4000")]
    seed_actions(store, ws, [action(1, no_credit, kind="ticket", amount="-150.00")])

    report = engine.run()

    assert report.tally.posted == 1
    (entry,) = emu.admin.ledger(COMPANY, "GLBATCH")
    lines = {line["TR_TYPE"]: line for line in entry["ENTRIES"]}
    assert lines["1"]["ACCOUNTNO"] == "4400" and lines["-1"]["ACCOUNTNO"] == "1100"
    assert lines["1"]["TRX_AMOUNT"] == "150.00"
    with store.session() as session:
        item = session.scalar(select(RunItem).where(RunItem.run_id == report.run_id))
    assert item.defaults_used[0]["value_id"] == "4400"


def test_sync_one_action_explains_when_there_is_nothing_to_post(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags(), excluded=True)])
    ids = {k: a.id for k, a in _actions(store, ws).items()}
    engine.run(action_id=ids["T-00001"])

    again = engine.run(action_id=ids["T-00001"])
    excluded = engine.run(action_id=ids["T-00002"])
    with pytest.raises(UnknownAction, match="there is no action 999999"):
        engine.run(action_id=999_999)

    assert again.status is RunStatus.SUCCEEDED and "already posted" in again.message
    assert excluded.status is RunStatus.SUCCEEDED and "Exclude from Sage Intacct" in excluded.message
    assert len(emu.admin.ledger(COMPANY, "GLBATCH")) == 1


def test_a_workspace_without_connection_fails_with_the_fix(emu, operator, store):
    from intacct_bridge.store.repositories.workspaces import create_workspace

    with store.write_session() as session:
        ws = create_workspace(session, "Not Connected").id
    report = make_engine(store, ws, operator).run()
    assert report.status is RunStatus.FAILED and "intacct-bridge connect" in report.message


def test_an_action_recorded_as_posted_is_never_sent_again(emu, operator, store, wire):
    from sqlalchemy import update

    ws = make_workspace(store, emu, operator, wire=wire)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags())])
    engine.run()
    with store.write_session() as session:  # e.g. restored from an old backup of the actions table
        session.execute(update(Action).values(status=ActionStatus.UNPOSTED.value, intacct_recordno=None))

    report = engine.run()

    assert report.tally.candidates == 1 and report.tally.already_posted == 1 and report.tally.posted == 0
    ledger = emu.admin.ledger(COMPANY, "GLBATCH")
    assert len(ledger) == 1
    restored = _actions(store, ws)["T-00001"]
    assert restored.status == ActionStatus.POSTED.value
    assert restored.intacct_recordno == ledger[0]["RECORDNO"]  # taken back from the posting, never made up


def test_a_sign_in_failure_ends_the_run_failed_with_the_fix(emu, operator, store, monkeypatch):
    ws = make_workspace(store, emu, operator)
    monkeypatch.setenv("INTACCT_SENDER_ID", "rogue-sender")
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", "rogue-pw")
    from intacct_bridge.settings import OperatorSettings

    report = make_engine(store, ws, OperatorSettings()).run()

    assert report.status is RunStatus.FAILED
    assert "Sender ID 'rogue-sender' is not authorized for company 'helping-hands'" in report.message
    assert "Web Services authorizations" in report.message and _watermark(store, ws) is None


def test_a_run_whose_lock_was_taken_over_stops_posting(emu, operator, store):
    from sqlalchemy import update

    from intacct_bridge.store.models import WorkspaceLock
    from intacct_bridge.sync.progress import Phase

    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags("4300"))])

    def take_over(event):  # another process judges this run dead just as posting starts
        if event.phase is Phase.POST and event.done == 0:
            with store.write_session() as session:
                session.execute(update(WorkspaceLock).where(WorkspaceLock.workspace_id == ws)
                                .values(holder="elsewhere|1|thief"))

    report = engine.run(progress=take_over)

    assert report.status is RunStatus.FAILED and "took over this workspace's run lock" in report.message
    assert report.tally.posted == 0
    with store.session() as session:
        uid = session.get(Workspace, ws).uid
    assert not [ref for ref in ledger_by_reference(emu) if ref.startswith(f"ib-{uid}-")]
    assert {a.status for a in _actions(store, ws).values()} == {ActionStatus.UNPOSTED.value}


def test_an_action_retagged_after_the_gate_is_posted_as_it_stands_and_the_others_as_checked(emu, operator, store):
    """The post pass reuses the gate's checks only while nothing changed; a retag in between is read again."""
    from intacct_bridge.sync.progress import Phase

    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    assert engine.run().status is RunStatus.SUCCEEDED  # the pull creates the campaigns
    seed_actions(store, ws, [action(1, good_tags()), action(2, good_tags())])
    retagged = []

    def retag_after_the_gate(event):
        if event.phase is Phase.VALIDATE and not retagged:
            apply_fix(store, ws, "T-00002", SampleFix(add=(cr(Dimension.ACCOUNT, "4300"),),
                                                      remove=(cr(Dimension.ACCOUNT, "4000"),)))
            retagged.append(event)

    done = engine.run(progress=retag_after_the_gate)

    assert retagged and done.status is RunStatus.SUCCEEDED and done.tally.posted == 2
    credits = {ref: [e["ACCOUNTNO"] for e in entry["ENTRIES"] if e["TR_TYPE"] == "-1"]
               for ref, entry in ledger_by_reference(emu).items()}
    by_action = {a.external_id: a.id for a in _actions(store, ws).values()}
    assert sorted(credits.values()) == [["4000"], ["4300"]]
    assert [ref for ref, accounts in credits.items() if accounts == ["4300"]][0].endswith(f"-{by_action['T-00002']}")

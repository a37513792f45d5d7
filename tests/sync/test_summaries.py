"""Summary posting end to end over HTTP: summarized action types post one entry per day (or run), journal and
entity, adding the actions up by account, side and dimensions; the rest post one entry each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.vocabulary import (ActionStatus, ClosedPeriodPolicy, Dimension, PostedChanges,
                                              SummaryPeriod)
from intacct_bridge.store.models import Action, JournalReversal, JournalSummary, SyncRun, Workspace, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede, withdraw_or_refuse
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.queries import run_log
from intacct_bridge.sync.sample import cr, dr

from engine_helpers import action, good_tags, ledger_by_reference, make_engine, make_workspace, seed_actions


def _summarizing(store, emu, operator, period: SummaryPeriod = SummaryPeriod.DAY, **settings) -> tuple[int, str, object]:
    workspace_id = make_workspace(store, emu, operator)
    engine = make_engine(store, workspace_id, operator)
    engine.run()  # pulls the accounts and dimensions
    with store.write_session() as session:
        update_settings(session, workspace_id, SettingsChange(summary_action_types=["Donation"], summary_period=period,
                                                              **settings))
        uid = session.get(Workspace, workspace_id).uid
    return workspace_id, uid, engine


def _by_external_id(store, workspace_id) -> dict[str, Action]:
    with store.session() as session:
        return {a.external_id: a for a in session.scalars(select(Action).where(Action.workspace_id == workspace_id))}


def _summaries(store, workspace_id) -> list[JournalSummary]:
    with store.session() as session:
        return list(session.scalars(select(JournalSummary).where(JournalSummary.workspace_id == workspace_id)
                                    .order_by(JournalSummary.id)))


def test_summarized_types_post_one_entry_per_day_with_lines_added_up(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator)
    seed_actions(store, workspace_id, [
        action(1, good_tags(), amount="10.00", days_ago=2),
        action(2, good_tags(), amount="15.50", days_ago=2),
        action(3, good_tags(location="200"), amount="7.25", days_ago=2),   # other dimensions: a line of its own
        action(4, good_tags(), amount="20.00", days_ago=3),                # another day: another summary
        action(5, good_tags(), amount="99.00", days_ago=2, kind="ticket"),  # not summarized: its own entry
    ])

    report = engine.run()

    assert report.tally.by_kind.get("journal_summary", {}).get("posted") == 2, (report.message, report.tally.by_kind)
    assert report.tally.by_kind["journal_entry"]["posted"] == 1
    ledger = ledger_by_reference(emu)
    ours = {ref: e for ref, e in ledger.items() if ref.startswith(f"ib-{uid}-")}
    assert len(ours) == 3   # two summaries and the ticket
    summaries = _summaries(store, workspace_id)
    day2 = next(s for s in summaries if s.action_count == 3)
    entry = ledger[day2.reference]
    assert day2.status == "posted" and day2.intacct_recordno == entry["RECORDNO"]
    lines = {(l["ACCOUNTNO"], l["TR_TYPE"], l.get("LOCATION")): l["TRX_AMOUNT"] for l in entry["ENTRIES"]}
    assert lines == {("1100", "1", "100"): "25.50", ("1100", "1", "200"): "7.25",
                     ("4000", "-1", "100"): "25.50", ("4000", "-1", "200"): "7.25"}
    assert "T-00001" in entry["BATCH_TITLE"] and "T-00003" in entry["BATCH_TITLE"]
    assert day2.debit_total == Decimal("32.75") == day2.credit_total
    actions = _by_external_id(store, workspace_id)
    for external_id in ("T-00001", "T-00002", "T-00003"):
        assert actions[external_id].summary_id == day2.id
        assert actions[external_id].status == ActionStatus.POSTED.value
        assert actions[external_id].intacct_recordno == entry["RECORDNO"]
    assert actions["T-00005"].summary_id is None and actions["T-00005"].status == ActionStatus.POSTED.value
    with store.session() as session:
        notes = [n["note"] for line in run_log(session, workspace_id, report.run_id)
                 for n in line.defaults_used or [] if "summary" in n]
    assert any("T-00001, T-00002, T-00003" in note for note in notes)
    # Nothing is left, and a second run sends nothing.
    assert engine.run().tally.candidates == 0
    assert len(ledger_by_reference(emu)) == len(ledger)


def test_per_run_period_makes_one_summary_and_later_actions_make_a_new_one(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator, SummaryPeriod.RUN)
    seed_actions(store, workspace_id, [action(n, good_tags(), amount="5.00", days_ago=n) for n in range(1, 4)])
    engine.run()
    seed_actions(store, workspace_id, [action(n, good_tags(), amount="5.00", days_ago=1) for n in range(4, 6)])
    engine.run()

    summaries = _summaries(store, workspace_id)
    assert [s.action_count for s in summaries] == [3, 2]
    assert summaries[0].reference != summaries[1].reference
    assert all(s.status == "posted" for s in summaries)
    ledger = ledger_by_reference(emu)
    assert {s.reference for s in summaries} <= set(ledger)


def test_an_invalid_action_is_flagged_and_never_joins_a_summary(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator)
    seed_actions(store, workspace_id, [
        action(1, good_tags(), amount="10.00", days_ago=2),
        action(2, [cr(Dimension.ACCOUNT, "4000"), cr(Dimension.LOCATION, "100"), dr(Dimension.LOCATION, "100")],
               amount="11.00", days_ago=2),   # no debit account
    ])

    report = engine.run()

    actions = _by_external_id(store, workspace_id)
    assert actions["T-00002"].summary_id is None and actions["T-00002"].status != ActionStatus.POSTED.value
    assert [s.action_count for s in _summaries(store, workspace_id)] == [1]
    queue = Bridge(store, workspace_id, operator).review_queue()
    assert [e.external_id for e in queue] == ["T-00002"]
    assert report.tally.invalid == 1


def test_an_action_edited_after_its_summary_posted_is_reversed_alone_then_posted_again(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator, posted_changes=PostedChanges.REVERSE)
    seed_actions(store, workspace_id, [action(n, good_tags(), amount="10.00", days_ago=2) for n in range(1, 4)])
    engine.run()
    first = _summaries(store, workspace_id)[0]
    with store.write_session() as session:
        edited = session.scalar(select(Action).where(Action.workspace_id == workspace_id,
                                                     Action.external_id == "T-00001"))
        supersede(session, workspace_id, edited, CHANGED, utcnow())
        edited.amount = Decimal("12.00")
        deleted = session.scalar(select(Action).where(Action.workspace_id == workspace_id,
                                                      Action.external_id == "T-00002"))
        assert withdraw_or_refuse(session, workspace_id, deleted, utcnow()) is not None

    report = engine.run()

    assert report.tally.by_kind["journal_reversal"]["posted"] == 2
    ledger = ledger_by_reference(emu)
    assert ledger[first.reference]["ENTRIES"][0]["TRX_AMOUNT"] == "30.00"   # the posted summary is never edited
    with store.session() as session:
        reversals = {r.action_id: r for r in session.scalars(select(JournalReversal)
                                                            .where(JournalReversal.workspace_id == workspace_id))}
    for reversal in reversals.values():
        assert reversal.status == "posted" and reversal.original_reference == first.reference
        entry = next(e for e in ledger.values() if e["RECORDNO"] == reversal.intacct_recordno)
        assert {(l["ACCOUNTNO"], l["TR_TYPE"], l["TRX_AMOUNT"]) for l in entry["ENTRIES"]} == {
            ("1100", "-1", "10.00"), ("4000", "1", "10.00")}
        assert first.reference in entry["BATCH_TITLE"]
    summaries = _summaries(store, workspace_id)
    assert len(summaries) == 2 and summaries[1].action_count == 1 and summaries[1].debit_total == Decimal("12.00")
    actions = _by_external_id(store, workspace_id)
    assert actions["T-00001"].summary_id == summaries[1].id and actions["T-00001"].version == 2
    assert actions["T-00002"].status == ActionStatus.WITHDRAWN.value
    assert actions["T-00003"].summary_id == first.id
    reconciled = Bridge(store, workspace_id, operator).reconcile()
    assert not reconciled.drift and reconciled.matched == 4   # two summaries, two reversals
    history = Bridge(store, workspace_id, operator).action_versions(actions["T-00001"].id)
    assert [(h["kind"], h["version"], h["reference"]) for h in history] == [
        ("summary", 1, first.reference), ("reversal", 1, history[1]["reference"]),
        ("summary", 2, summaries[1].reference)]


def test_a_refused_summary_whose_action_changed_is_dissolved_and_its_actions_summarized_again(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator)
    seed_actions(store, workspace_id, [action(n, good_tags(), amount="10.00", days_ago=5) for n in (1, 2)])
    closed_through = (utcnow() - timedelta(days=4)).date()
    emu.admin.set_closed_through("helping-hands", None, closed_through)

    refused = engine.run()

    assert refused.tally.by_kind["journal_summary"]["failed"] == 1
    first = _summaries(store, workspace_id)[0]
    assert first.status == "failed" and first.action_count == 2
    assert Bridge(store, workspace_id, operator).review_queue()[0].record_kind == "journal_summary"
    assert engine.run().tally.by_kind.get("journal_summary", {}).get("posted") is None   # held: nothing changed
    with store.write_session() as session:   # the source moves one donation out of the closed period
        moved = session.scalar(select(Action).where(Action.workspace_id == workspace_id,
                                                    Action.external_id == "T-00001"))
        moved.happened_at = utcnow() - timedelta(days=1)

    engine.run()

    summaries = _summaries(store, workspace_id)
    assert summaries[0].status == "dissolved"
    by_count = {s.status: s for s in summaries[1:]}
    assert set(by_count) == {"posted", "failed"}
    actions = _by_external_id(store, workspace_id)
    assert actions["T-00001"].summary_id == by_count["posted"].id
    assert actions["T-00001"].status == ActionStatus.POSTED.value
    assert actions["T-00002"].summary_id == by_count["failed"].id
    ledger = ledger_by_reference(emu)
    assert first.reference not in ledger and by_count["posted"].reference in ledger


def test_reconcile_reads_the_summary_entry_back_and_reports_its_drift(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator)
    seed_actions(store, workspace_id, [action(n, good_tags(), amount="10.00", days_ago=2) for n in range(1, 6)])
    engine.run()
    [summary] = _summaries(store, workspace_id)
    bridge = Bridge(store, workspace_id, operator)
    clean = bridge.reconcile()
    assert not clean.drift and (clean.compared, clean.matched) == (1, 1)   # one summary, not five entries

    entry = ledger_by_reference(emu)[summary.reference]
    emu.admin.update_record("helping-hands", "GLBATCH", entry["RECORDNO"],
                            lines=[{"line": 0, "fields": {"TRX_AMOUNT": "45.00"}},
                                   {"line": 1, "fields": {"TRX_AMOUNT": "45.00"}}])
    drifted = bridge.reconcile()
    assert drifted.drift and [c.ours.reference for c in drifted.changed] == [summary.reference]
    assert {d.field for d in drifted.changed[0].differences} == {"amount"}


def test_a_large_assembly_is_saved_in_batches_and_still_posts_each_action_once(emu, store, operator, monkeypatch):
    monkeypatch.setattr("intacct_bridge.sync.summary_kind.ASSEMBLE_BATCH", 2)
    workspace_id, uid, engine = _summarizing(store, emu, operator)
    seed_actions(store, workspace_id, [action(n, good_tags(), amount="10.00", days_ago=2) for n in range(1, 6)])

    report = engine.run()

    summaries = _summaries(store, workspace_id)
    assert sorted(s.action_count for s in summaries) == [1, 2, 2]
    assert report.tally.by_kind["journal_summary"]["posted"] == 3
    actions = _by_external_id(store, workspace_id)
    assert all(a.status == ActionStatus.POSTED.value and a.summary_id for a in actions.values())
    assert {s.reference for s in summaries} <= set(ledger_by_reference(emu))


def test_a_dry_run_shows_each_summary_it_would_post_and_saves_or_sends_none(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator)
    seed_actions(store, workspace_id, [action(1, good_tags(), amount="10.00", days_ago=2),
                                       action(2, good_tags(), amount="15.50", days_ago=2),
                                       action(3, good_tags(location="200"), amount="7.25", days_ago=2),
                                       action(4, good_tags(), amount="20.00", days_ago=3),
                                       action(5, good_tags(), days_ago=2, kind="ticket")])
    shown = []

    report = engine.run(dry_run=True, on_entry=shown.append)

    assert _summaries(store, workspace_id) == [] and ledger_by_reference(emu) == {}
    assert all(a.summary_id is None and a.status != ActionStatus.POSTED.value
               for a in _by_external_id(store, workspace_id).values())
    # Per (journal, entity, period): the entry, its lines added up with Decimal totals, and what it holds.
    summaries = {s.posting_date: s for s in report.summaries}
    assert len(summaries) == 2 and [s for s in shown if hasattr(s, "shares")] == report.summaries
    day2 = summaries[min(summaries)].posting_date + timedelta(days=1)
    two = summaries[day2]
    assert [s.external_id for s in two.shares] == ["T-00001", "T-00002", "T-00003"]
    lines = {(l.account, l.side, dict(l.dimensions).get("LOCATION")): l.amount for l in two.lines}
    assert lines == {("1100", "debit", "100"): Decimal("25.50"), ("1100", "debit", "200"): Decimal("7.25"),
                     ("4000", "credit", "100"): Decimal("25.50"), ("4000", "credit", "200"): Decimal("7.25")}
    assert two.debit_total == Decimal("32.75") == two.credit_total and two.reference.startswith(f"ib-{uid}-s")
    # The run record keeps them (REST and the console read it), and each summarized action is logged in its one.
    with store.session() as session:
        kept = session.get(SyncRun, report.run_id).details["previews"]
        log = {line.external_id: line for line in run_log(session, workspace_id, report.run_id)}
    assert {p["reference"] for p in kept} == {s.reference for s in report.summaries}
    held = next(p for p in kept if p["reference"] == two.reference)
    assert held["debit_total"] == "32.75" and [h["external_id"] for h in held["holds"]] == ["T-00001", "T-00002",
                                                                                              "T-00003"]
    assert log["T-00001"].outcome == "would_post" and two.reference in log["T-00001"].message
    assert log["T-00005"].outcome == "would_post" and log["T-00005"].message is None
    assert report.tally.by_kind["journal_summary"]["would_post"] == 2 and not report.tally.waiting
    # The real run then posts exactly the entries the dry run showed.
    engine.run()
    assert {s.reference for s in _summaries(store, workspace_id)} == {s.reference for s in report.summaries}


def test_a_dry_run_shows_a_summary_in_a_closed_period_on_the_day_it_would_post(emu, store, operator):
    workspace_id, uid, engine = _summarizing(store, emu, operator, closed_period_policy=ClosedPeriodPolicy.NEXT_OPEN)
    seed_actions(store, workspace_id, [action(n, good_tags(), amount="10.00", days_ago=5) for n in (1, 2)])
    closed_through = (utcnow() - timedelta(days=4)).date()
    emu.admin.set_closed_through("helping-hands", None, closed_through)

    [preview] = engine.run(dry_run=True).summaries

    assert preview.posting_date == closed_through + timedelta(days=1)
    assert preview.description.startswith(f"(dated {(utcnow() - timedelta(days=5)).date().isoformat()}")
    assert _summaries(store, workspace_id) == [] and ledger_by_reference(emu) == {}
    engine.run()
    [posted] = _summaries(store, workspace_id)
    entry = ledger_by_reference(emu)[posted.reference]
    assert (posted.reference, entry["BATCH_DATE"], entry["BATCH_TITLE"]) == (
        preview.reference, preview.posting_date.isoformat(), preview.description)

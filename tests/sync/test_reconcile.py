"""Reconciliation end to end over HTTP: posted journal entries read back from the emulator, drift reported."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from intacct_bridge.api import Bridge
from intacct_bridge.store.models import Workspace
from intacct_bridge.sync.readback import reconcilable_kinds

from engine_helpers import COMPANY, action, good_tags, ledger_by_reference, make_engine, make_workspace, seed_actions


def _posted(store, emu, operator, count: int = 4, wire: str = "xml") -> tuple[int, str]:
    workspace_id = make_workspace(store, emu, operator, wire)
    engine = make_engine(store, workspace_id, operator)
    engine.run()  # pulls the accounts and dimensions the actions are tagged with
    seed_actions(store, workspace_id, [action(n, good_tags(), amount=f"{10 * n}.00", days_ago=n) for n in
                                       range(1, count + 1)])
    report = engine.run()
    assert report.tally.posted == count
    with store.session() as session:
        return workspace_id, session.get(Workspace, workspace_id).uid


def test_a_workspace_whose_entries_are_untouched_has_no_drift(emu, store, operator, wire):
    workspace_id, _ = _posted(store, emu, operator, wire=wire)
    emu.admin.reset_usage()

    report = Bridge(store, workspace_id, operator).reconcile()

    assert not report.drift
    assert (report.compared, report.matched) == (4, 4)
    assert report.totals_rows(only_different=True) == []
    debit = [r for r in report.totals_rows() if r["account"] == "1100" and r["side"] == "debit"]
    assert sum(float(r["ours"]) for r in debit) == 100.0 and all(r["dimensions"] == {"LOCATION": "100"} for r in debit)
    assert report.requests == emu.admin.usage()[COMPANY]["requests"] >= 2


def test_changed_deleted_and_unrecorded_entries_are_each_reported(emu, store, operator, wire):
    workspace_id, uid = _posted(store, emu, operator, wire=wire)
    ledger = ledger_by_reference(emu)
    changed, deleted = ledger[f"ib-{uid}-1"], ledger[f"ib-{uid}-2"]
    redated = ledger[f"ib-{uid}-3"]
    emu.admin.update_record(COMPANY, "GLBATCH", changed["RECORDNO"],
                            lines=[{"line": 0, "fields": {"TRX_AMOUNT": "12.00"}},
                                   {"line": 1, "fields": {"TRX_AMOUNT": "12.00", "ACCOUNTNO": "4100"}}])
    new_day = (date.fromisoformat(redated["BATCH_DATE"]) - timedelta(days=1)).isoformat()
    emu.admin.update_record(COMPANY, "GLBATCH", redated["RECORDNO"], fields={"BATCH_DATE": new_day},
                            lines=[{"line": 0, "fields": {"LOCATION": "200"}}])
    emu.admin.delete_record(COMPANY, "GLBATCH", deleted["RECORDNO"])
    stray = {**{k: changed[k] for k in ("JOURNAL", "BATCH_DATE")}, "BATCH_TITLE": "typed by hand",
             "REFERENCENO": f"ib-{uid}-999", "ENTRIES": [
                 {"ACCOUNTNO": "1100", "TR_TYPE": "1", "TRX_AMOUNT": "5.00", "LOCATION": "100"},
                 {"ACCOUNTNO": "4000", "TR_TYPE": "-1", "TRX_AMOUNT": "5.00", "LOCATION": "100"}]}
    emu.admin.bulk_create(COMPANY, "GLBATCH", [stray])

    report = Bridge(store, workspace_id, operator).reconcile()

    assert report.drift and report.matched == 1
    assert [e.reference for e in report.missing] == [f"ib-{uid}-2"]
    assert [e.reference for e in report.unrecorded] == [f"ib-{uid}-999"]
    by_ref = {c.ours.reference: {d.field: d for d in c.differences} for c in report.changed}
    assert set(by_ref[f"ib-{uid}-1"]) == {"amount", "account"}
    assert by_ref[f"ib-{uid}-1"]["amount"].theirs == "credit 12.00, debit 12.00"
    assert set(by_ref[f"ib-{uid}-3"]) == {"date", "dimension"}
    assert by_ref[f"ib-{uid}-3"]["date"].theirs == new_day
    different = {(r["account"], r["side"]) for r in report.totals_rows(only_different=True)}
    assert ("4100", "credit") in different and ("1100", "debit") in different
    as_json = report.as_dict()
    assert as_json["drift"] is True and as_json["missing"][0]["reference"] == f"ib-{uid}-2"


def test_since_leaves_older_entries_out_on_both_sides(emu, store, operator, wire):
    workspace_id, uid = _posted(store, emu, operator, wire=wire)
    ledger = ledger_by_reference(emu)
    emu.admin.delete_record(COMPANY, "GLBATCH", ledger[f"ib-{uid}-4"]["RECORDNO"])   # the oldest (4 days ago)
    since = date.fromisoformat(ledger[f"ib-{uid}-3"]["BATCH_DATE"])

    report = Bridge(store, workspace_id, operator).reconcile(since=since)

    assert not report.drift and report.compared == 3


def test_every_kind_the_product_posts_reads_back():
    assert list(reconcilable_kinds(["actions"])) == ["journal_entry"]
    assert set(reconcilable_kinds()) >= {"journal_entry", "customer", "invoice", "payment", "credit_memo", "vendor",
                                         "item", "bill", "ap_adjustment"}
    assert list(reconcilable_kinds(["vendors", "ap-adjustments"])) == ["vendor", "ap_adjustment"]
    with pytest.raises(ValueError, match="unknown record kind"):
        reconcilable_kinds(["donkeys"])


@pytest.mark.postgres
def test_reconcile_on_postgresql_finds_a_changed_amount(emu, pg_store, operator):
    workspace_id, uid = _posted(pg_store, emu, operator, count=2)
    entry = ledger_by_reference(emu)[f"ib-{uid}-1"]
    assert not Bridge(pg_store, workspace_id, operator).reconcile().drift
    emu.admin.update_record(COMPANY, "GLBATCH", entry["RECORDNO"],
                            lines=[{"line": 0, "fields": {"TRX_AMOUNT": "11.00"}},
                                   {"line": 1, "fields": {"TRX_AMOUNT": "11.00"}}])

    report = Bridge(pg_store, workspace_id, operator).reconcile()

    assert [c.ours.reference for c in report.changed] == [f"ib-{uid}-1"]
    assert [d.field for d in report.changed[0].differences] == ["amount"]


@pytest.mark.postgres
def test_an_edited_action_is_reversed_and_reposted_on_postgresql(emu, pg_store, operator):
    from decimal import Decimal

    from intacct_bridge.domain.vocabulary import PostedChanges
    from intacct_bridge.store.models import Action, utcnow
    from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede
    from intacct_bridge.store.repositories.settings import SettingsChange, update_settings

    workspace_id, uid = _posted(pg_store, emu, operator, count=2)
    with pg_store.write_session() as session:
        update_settings(session, workspace_id, SettingsChange(posted_changes=PostedChanges.REVERSE))
        action = session.get(Action, 1)
        supersede(session, workspace_id, action, CHANGED, utcnow())
        action.amount = Decimal("15.00")

    report = make_engine(pg_store, workspace_id, operator).run()

    assert report.tally.by_kind["journal_reversal"]["posted"] == 1 and report.tally.by_kind["journal_entry"]["posted"] == 1
    ledger = ledger_by_reference(emu)
    assert {f"ib-{uid}-1", f"ib-{uid}-1-v2", f"ib-{uid}-rev1"} <= set(ledger)
    assert not Bridge(pg_store, workspace_id, operator).reconcile().drift

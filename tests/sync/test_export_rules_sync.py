"""Mapping rules, skip-export rules and the description template in a real run against the emulator."""

from __future__ import annotations

from sqlalchemy import select

from intacct_bridge.domain.vocabulary import Dimension, RunStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import RunItem
from intacct_bridge.store.repositories import export_rules
from intacct_bridge.sync.sample import cr

from engine_helpers import (COMPANY, action, good_tags, ledger_by_reference, make_engine, make_workspace,
                            run_under_every_fault, seed_actions)

import pytest


def _log(store, run_id: int) -> dict[int, RunItem]:
    with store.session() as session:
        return {i.action_id: i for i in session.scalars(select(RunItem).where(RunItem.run_id == run_id))}


def test_rules_fill_campaigns_skip_rules_skip_and_the_template_writes_the_text(emu, operator, store):
    ws = make_workspace(store, emu, operator)
    engine = make_engine(store, ws, operator)
    engine.run()  # the pull creates the campaigns the rules name
    with store.write_session() as session:
        with pytest.raises(Conflict, match="no CR account '9999' has been pulled"):
            export_rules.add_campaign_rule(session, ws, [{"field": "amount", "operator": "gt", "value": "1000"}],
                                           dimension="account", side="CR", value_id="9999")
        export_rules.add_campaign_rule(session, ws, [{"field": "amount", "operator": "gt", "value": "1000"}],
                                       dimension="account", side="CR", value_id="4400")
        skip = export_rules.add_skip_rule(session, ws, "Test orders",
                                          [{"field": "type", "operator": "equals", "value": "test"},
                                           {"field": "amount", "operator": "lt", "value": "1"}], join="or")
        export_rules.set_description_template(session, ws, "{type} {external_id} by {constituent}")
    no_credit = [t for t in good_tags() if t != cr(Dimension.ACCOUNT, "4000")]
    seed_actions(store, ws, [action(1, no_credit, amount="2500.00"), action(2, good_tags(), kind="test"),
                             action(3, good_tags(), amount="0.50"), action(4, good_tags())])

    dry = engine.run(dry_run=True)
    assert (dry.tally.would_post, dry.tally.skipped) == (2, 2)
    assert "2 would be posted, 0 need review, 2 skipped by a skip-export rule" in dry.message
    report = engine.run()

    assert report.status is RunStatus.SUCCEEDED, report.message
    assert (report.tally.posted, report.tally.skipped, report.tally.invalid) == (2, 2, 0)
    assert "2 skipped by a skip-export rule" in report.message
    ledger = ledger_by_reference(emu)
    assert len(ledger) == 2
    titles = sorted(e["BATCH_TITLE"] for e in ledger.values())
    assert titles == ["donation T-00001 by Ana Test", "donation T-00004 by Ana Test"]
    credits = {e["BATCH_TITLE"]: [ln["ACCOUNTNO"] for ln in e["ENTRIES"] if ln["TR_TYPE"] == "-1"]
               for e in ledger.values()}
    assert credits["donation T-00001 by Ana Test"] == ["4400"]  # the rule filled the empty CR account
    log = _log(store, report.run_id)
    outcomes = sorted((i.outcome, i.message or "") for i in log.values())
    assert [o for o, _ in outcomes] == ["posted", "posted", "skipped", "skipped"]
    assert all(m.startswith("skipped by rule Test orders: Action type equals test OR Amount < 1.00")
               for o, m in outcomes if o == "skipped")
    ruled = [i for i in log.values() if i.defaults_used]
    assert len(ruled) == 1 and ruled[0].defaults_used[0]["rule"] == "Amount > 1000.00"

    # Reversible: pause the rule and the skipped ones go at the next run.
    with store.write_session() as session:
        export_rules.set_skip_rule_active(session, ws, skip.id, False)
    again = engine.run()
    assert again.tally.posted == 2 and again.tally.skipped == 0
    assert len(emu.admin.ledger(COMPANY, "GLBATCH")) == 4


def test_a_dimension_value_is_created_in_intacct_once_even_when_the_answer_is_lost(emu, operator, store, wire):
    from intacct_bridge.store.models import Campaign, DimensionValue
    from intacct_bridge.store.repositories.dimension_values import request_value

    ws = make_workspace(store, emu, operator, wire=wire)  # the demo workspace: locations Require
    engine = make_engine(store, ws, operator)
    engine.run()
    with store.write_session() as session:
        with pytest.raises(Conflict, match="location 100 is in Intacct already"):
            request_value(session, ws, "location", "100", "Main")
        with pytest.raises(Conflict, match="cannot be created from here"):
            request_value(session, ws, "account", "4999", "New revenue")
        with pytest.raises(Conflict, match="id 'a b'"):
            request_value(session, ws, "location", "a b", "West")
        row_id = request_value(session, ws, "location", "L-300", "West Region").id
        with pytest.raises(Conflict, match="asked for already"):
            request_value(session, ws, "location", "L-300", "West Region")
    # Intacct creates it but answers get lost (XML reject mode: a resend is refused as a duplicate, settled by
    # looking the value up by its id; REST replays the first answer for the same Idempotency-Key): never twice.
    run_under_every_fault(emu, engine, idempotency_mode="reject" if wire == "xml" else "replay", seed=3,
                          faults="drop_after_commit=0.6")
    created = [r for r in emu.admin.ledger(COMPANY, "LOCATION") if r["LOCATIONID"] == "L-300"]
    assert len(created) == 1 and created[0]["NAME"] == "West Region"
    with store.session() as session:
        row = session.get(DimensionValue, row_id)
        campaigns = sorted(c.name for c in session.scalars(
            select(Campaign).where(Campaign.workspace_id == ws, Campaign.intacct_value_id == "L-300")))
    assert row.status == "posted" and row.intacct_key
    assert campaigns == ["CR L-300 - West Region", "DR L-300 - West Region"]
    again = engine.run()  # the pull sees it; nothing is created twice
    assert again.tally.by_kind.get("dimension_value") is None
    assert len([r for r in emu.admin.ledger(COMPANY, "LOCATION") if r["LOCATIONID"] == "L-300"]) == 1

"""Each reason that asks for a step says it in words the step is found by again; reasons recorded in earlier
words (a CLI command in the text) are read in today's words (issue 14: advice fits the place)."""

from __future__ import annotations

from types import SimpleNamespace

from intacct_bridge.domain.entities import known_entity_reasons, unknown_term_reasons
from intacct_bridge.domain.line_dimensions import line_dimension_reasons
from intacct_bridge.domain.next_steps import NextStep, in_current_words, step_key, step_of
from intacct_bridge.domain.payables_rules import vendor_reasons
from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import PostingLevel


def test_each_reason_names_its_step_in_words_not_a_command():
    line = SimpleNamespace(dimensions={"GRANT": "G1"})
    cases = [
        (known_entity_reasons("E9", frozenset({"E1"})), NextStep.PULL),
        (unknown_term_reasons("Net 45", frozenset({"Net 30"})), NextStep.PULL),
        (vendor_reasons("V-9", ()), NextStep.VENDORS),
        (line_dimension_reasons(SimpleNamespace(lines=[line]), ()), NextStep.DIMENSIONS),
        ([p for p in SyncSettings(journal="GJ", posting_level=PostingLevel.ENTITY).problems()
          if p.field == "default_entity"], NextStep.SETTINGS),
    ]
    for reasons, step in cases:
        [reason] = reasons
        assert "intacct-bridge" not in reason.message and "`" not in reason.message, reason.message
        assert step_of(reason.message) is step, reason.message
    assert step_key("amount is missing") == "" and step_key(None) == ""


def test_an_order_to_cash_setting_reason_gets_the_settings_step_from_its_fix():
    [reason] = with_fixes([{"field": "deposit_to", "message": "set the undeposited funds account"}], "payment")
    assert reason["step"] == "o2c_settings" and "intacct-bridge" not in reason["fix"]
    [plain] = with_fixes([{"field": "amount", "message": "amount is missing"}])
    assert plain["step"] == ""


def test_reasons_recorded_in_earlier_words_read_in_todays():
    earlier = ["entity E9 is not an entity of this Intacct company (E1): use one of them, or pull the entities "
               "again (`intacct-bridge entities pull`)",
               "GRANT is not a user-defined dimension of this workspace (set up: none): add it with `intacct-bridge "
               "settings dimension`, or remove it from the line and import the record again",
               "vendor 'V-9' not found in Intacct: create it (intacct-bridge vendors import) or correct the vendor "
               "id"]
    for message in earlier:
        now = in_current_words(message)
        assert "intacct-bridge" not in now and step_of(now) is not None, now
    [shown] = with_fixes([{"field": "entity", "message": earlier[0]}])
    assert shown["step"] == "pull" and "intacct-bridge" not in shown["message"]

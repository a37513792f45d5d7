"""Mapping rules, skip-export rules and the description template: the pure rules (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from domain_builders import action, settings, tag

from intacct_bridge.domain import MappingRule, apply_defaults, catalogue_of
from intacct_bridge.domain.campaign_rules import CampaignRule
from intacct_bridge.domain.conditions import ConditionError, Join, condition, facts_of, group_matches, matches
from intacct_bridge.domain.description_template import TemplateError, check_template, render_template
from intacct_bridge.domain.journal import build_journal_entry, entry_texts
from intacct_bridge.domain.model import CampaignTag
from intacct_bridge.domain.skip_rules import SkipRule, skip_reason
from intacct_bridge.domain.vocabulary import Dimension as D
from intacct_bridge.domain.vocabulary import Side

UTC = ZoneInfo("UTC")
GALA = CampaignTag(id=None, name="Spring Gala", category="Events")


def test_amount_conditions_are_decimals_of_cents():
    big = condition("amount", "gt", "1000")
    assert big.value == "1000.00"
    assert matches(big, action(amount=Decimal("1000.01")), UTC)
    assert not matches(big, action(amount=Decimal("1000.00")), UTC)
    band = condition("amount", "between", "10", "20.5")
    assert (band.value, band.value_to) == ("10.00", "20.50")
    assert matches(band, action(amount="20.50"), UTC) and not matches(band, action(amount="20.51"), UTC)
    assert not matches(big, action(amount=None), UTC)  # nothing to compare: no match
    with pytest.raises(ConditionError, match="more than 2 decimal places"):
        condition("amount", "gt", "1.005")
    with pytest.raises(ConditionError, match="binary number: give it as text"):
        condition("amount", "gt", 1.5)  # type: ignore[arg-type]


def test_operators_follow_the_field_type():
    with pytest.raises(ConditionError, match=r"Action type: the operator 'gt' does not apply to a text field"):
        condition("type", "gt", "ticket")
    with pytest.raises(ConditionError, match="Amount: the operator 'contains'"):
        condition("amount", "contains", "1")
    with pytest.raises(ConditionError, match="unknown field 'colour'"):
        condition("colour", "equals", "red")
    with pytest.raises(ConditionError, match="the first value must be the lower one"):
        condition("date", "between", "2025-02-01", "2025-01-01")
    with pytest.raises(ConditionError, match="is not a date"):
        condition("date", "equals", "30/06/2025")


def test_text_conditions_ignore_case_and_spacing_and_read_campaigns():
    a = action(tag(D.ACCOUNT, "CR", "4000"), GALA, type="Ticket", constituent_name="Acme  Foundation")
    assert matches(condition("type", "equals", "ticket"), a, UTC)
    assert matches(condition("constituent", "starts_with", "acme f"), a, UTC)
    assert matches(condition("campaign", "equals", "spring gala"), a, UTC)
    assert not matches(condition("campaign", "not_equals", "Spring Gala"), a, UTC)
    assert matches(condition("url", "contains", "org.example"), a, UTC)
    assert matches(condition("date", "equals", "2025-06-30"), a, UTC)
    assert matches(condition("date", "lt", "2025-06-30"), a, ZoneInfo("Pacific/Kiritimati")) is False


def test_groups_join_with_and_or():
    a = action(type="ticket", amount=Decimal("5.00"))
    conds = (condition("type", "equals", "ticket"), condition("amount", "gt", "100"))
    assert not group_matches(conds, Join.ALL, facts_of(a, UTC))
    assert group_matches(conds, Join.ANY, facts_of(a, UTC))
    assert not group_matches((), Join.ANY, facts_of(a, UTC))


CATALOGUE = [tag(D.ACCOUNT, "CR", "4100"), tag(D.ACCOUNT, "DR", "1000"), tag(D.ACCOUNT, "CR", "4200"),
             tag(D.LOCATION, "DR", "100"), tag(D.LOCATION, "DR", "200")]


def _rules_settings(*rules: CampaignRule, defaults: tuple[MappingRule, ...] = ()):
    s = settings(location="available")
    return replace(s, campaign_rules=rules, mapping_rules=defaults)


def test_rules_fill_empty_slots_in_order_before_the_type_defaults():
    big = CampaignRule(1, (condition("amount", "gt", "1000"),), D.ACCOUNT, Side.CR, "4200")
    gala = CampaignRule(2, (condition("campaign", "equals", "Spring Gala"),), D.ACCOUNT, Side.CR, "4100")
    s = _rules_settings(big, gala, defaults=(MappingRule("donation", D.ACCOUNT, Side.CR, "4100"),))
    a = action(tag(D.ACCOUNT, "DR", "1000"), GALA, amount=Decimal("5000.00"))
    mapped = apply_defaults(a, s, catalogue_of(CATALOGUE, s))
    # Both rules match; the first decides the slot; the type default does not apply on top.
    assert [(d.side, d.value_id, d.rule) for d in mapped.applied] == [(Side.CR, "4200", "Amount > 1000.00")]
    assert mapped.applied[0].describe() == "rule Amount > 1000.00: CR 4200 (account CR)"
    assert mapped.applied[0].as_dict()["rule"] == "Amount > 1000.00"
    small = apply_defaults(replace(a, amount=Decimal("5.00"), campaigns=(tag(D.ACCOUNT, "DR", "1000"),)), s,
                           catalogue_of(CATALOGUE, s))
    assert [(d.value_id, d.rule) for d in small.applied] == [("4100", None)]  # no rule matched: the default


def test_explicit_tags_win_over_rules_and_missing_campaigns_are_reasons():
    rule = CampaignRule(1, (condition("type", "equals", "donation"),), D.ACCOUNT, Side.CR, "4200")
    s = _rules_settings(rule)
    explicit = action()  # carries CR 4000 and DR 1000
    assert apply_defaults(explicit, s, catalogue_of(CATALOGUE, s)).applied == ()
    ghost = CampaignRule(2, (condition("type", "equals", "donation"),), D.LOCATION, Side.DR, "999")
    mapped = apply_defaults(explicit, _rules_settings(ghost), catalogue_of(CATALOGUE, s))
    assert [r.field for r in mapped.problems] == ["location.DR"]
    assert "the rule 'Action type equals donation'" in mapped.problems[0].message
    assert "change the rule" in mapped.problems[0].message


def test_skip_rules_name_the_matching_rule_and_pause():
    rule = SkipRule(7, "Test orders", (condition("external_id", "starts_with", "test-"),
                                       condition("amount", "lt", "0.50")), Join.ANY)
    assert skip_reason(action(external_id="test-1"), (rule,), UTC) == (
        "skipped by rule Test orders: External id starts with test- OR Amount < 0.50")
    assert skip_reason(action(amount=Decimal("0.10")), (rule,), UTC) is not None
    assert skip_reason(action(), (rule,), UTC) is None
    assert skip_reason(action(external_id="test-1"), (replace(rule, active=False),), UTC) is None


def test_template_refuses_unknown_placeholders_naming_them():
    with pytest.raises(TemplateError, match=r"unknown placeholder\(s\) \{donor\}, \{fund\}"):
        check_template("{type} from {donor} for {fund} {donor}")
    with pytest.raises(TemplateError, match="unmatched brace"):
        check_template("{type")
    with pytest.raises(TemplateError, match="format or conversion"):
        check_template("{date:%Y}")
    assert check_template("  {type}   {{literal}} ") == "{type} {{literal}}"


def test_template_drives_the_entry_text():
    s = replace(settings(), description_template="{type} {external_id} · {constituent} · {campaign} · {date}")
    a = action(*action().campaigns, GALA)
    assert render_template(s.description_template, a, UTC) == "donation don-42 · Ada Lovelace · Spring Gala · 2025-06-30"
    title, line = entry_texts(a, s)
    assert title == line == "donation don-42 · Ada Lovelace · Spring Gala · 2025-06-30"
    entry = build_journal_entry(a, s, workspace_uid="ws1", run_started_at=a.created_at)
    assert entry.payload["BATCH_TITLE"] == title
    assert entry.payload["ENTRIES"]["GLENTRY"][0]["DESCRIPTION"] == line
    long = replace(s, description_template="{summary} " * 20)
    assert len(entry_texts(a, long)[0].encode()) <= 100  # cut to the field like any text
    assert entry_texts(a, settings())[0].startswith("Donation on 2025-06-30")  # no template: as before

"""Mapping defaults: fill empty slots by action type; explicit campaigns win; the result says what was used."""

from __future__ import annotations

from dataclasses import replace

from domain_builders import action, settings, tag

from intacct_bridge.domain import MappingRule, apply_defaults, catalogue_of, validate_action
from intacct_bridge.domain.vocabulary import Dimension as D
from intacct_bridge.domain.vocabulary import Side

CATALOGUE_TAGS = [
    tag(D.ACCOUNT, "CR", "4100"), tag(D.ACCOUNT, "DR", "1000"), tag(D.ACCOUNT, "CR", "4000"),
    tag(D.LOCATION, "CR", "100"), tag(D.LOCATION, "DR", "100"),
]
TICKET_RULES = (
    MappingRule("ticket", D.ACCOUNT, Side.CR, "4100"),
    MappingRule("ticket", D.ACCOUNT, Side.DR, "1000"),
    MappingRule("ticket", D.LOCATION, Side.CR, "100"),
)


def rules_settings(**modes):
    return replace(settings(**modes), mapping_rules=TICKET_RULES)


def run(a, s):
    return apply_defaults(a, s, catalogue_of(CATALOGUE_TAGS, s))


def test_defaults_fill_an_action_with_no_campaigns():
    s = rules_settings()
    mapped = run(action(tag(D.ACCOUNT, "DR", "1000"), type="Ticket"), s)
    # DR present explicitly: only the CR default applies; location is excluded so its rule is skipped.
    assert [(d.dimension, d.side, d.value_id) for d in mapped.applied] == [(D.ACCOUNT, Side.CR, "4100")]
    assert mapped.applied[0].describe() == "default for 'Ticket': CR 4100 (account CR)"
    assert validate_action(mapped.action, s) == []


def test_explicit_campaigns_always_win():
    s = rules_settings()
    explicit = action(tag(D.ACCOUNT, "CR", "4000"), tag(D.ACCOUNT, "DR", "1000"), type="ticket")
    mapped = run(explicit, s)
    assert mapped.applied == ()
    assert mapped.action is explicit


def test_other_action_types_are_untouched():
    a = action(tag(D.ACCOUNT, "DR", "1000"), type="donation")
    mapped = run(a, rules_settings())
    assert mapped.applied == () and validate_action(mapped.action, rules_settings())


def test_defaults_for_non_excluded_dimensions_apply_per_side():
    s = rules_settings(location="available")
    mapped = run(action(tag(D.ACCOUNT, "DR", "1000"), type="ticket"), s)
    assert {(d.dimension, d.side) for d in mapped.applied} == {(D.ACCOUNT, Side.CR), (D.LOCATION, Side.CR)}
    # Only a CR location default exists: Available then demands the DR one too.
    assert [r.field for r in validate_action(mapped.action, s)] == ["location.DR"]


def test_a_default_naming_an_unknown_value_is_reported():
    s = replace(settings(), mapping_rules=(MappingRule("ticket", D.ACCOUNT, Side.CR, "9999"),))
    mapped = run(action(tag(D.ACCOUNT, "DR", "1000"), type="ticket"), s)
    assert mapped.applied == ()
    assert mapped.problems[0].field == "account.CR"
    assert "9999" in mapped.problems[0].message


def test_an_inactive_default_campaign_is_caught_by_validation():
    inactive = [tag(D.ACCOUNT, "CR", "4100", active=False)]
    s = rules_settings()
    mapped = apply_defaults(action(tag(D.ACCOUNT, "DR", "1000"), type="ticket"), s, catalogue_of(inactive, s))
    assert "inactive" in validate_action(mapped.action, s)[0].message

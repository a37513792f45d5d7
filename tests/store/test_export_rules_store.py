"""Mapping rules, skip-export rules and the template in the store (SQLite and PostgreSQL): order, JSON, checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from intacct_bridge.domain.conditions import Join, Operator
from intacct_bridge.domain.vocabulary import STANDARD_DIMENSIONS, Dimension
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import Campaign, CampaignCategory
from intacct_bridge.store.repositories import export_rules
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.store.repositories.workspaces import create_workspace


def _workspace_with_accounts(store) -> int:
    with store.write_session() as session:
        ws = create_workspace(session, "Rules Org")
        spec = STANDARD_DIMENSIONS[Dimension.ACCOUNT]
        category = CampaignCategory(workspace_id=ws.id, name=spec.category_name, dimension="account",
                                    intacct_object=spec.intacct_object)
        session.add(category)
        session.flush()
        for side, value in (("CR", "4100"), ("CR", "4200"), ("DR", "1000")):
            session.add(Campaign(workspace_id=ws.id, category_id=category.id, name=f"{side} {value}", side=side,
                                 intacct_value_id=value))
        return ws.id


def test_rules_keep_their_order_and_conditions(store):
    ws = _workspace_with_accounts(store)
    with store.write_session() as session:
        first = export_rules.add_campaign_rule(session, ws, [{"field": "amount", "operator": "between", "value": "10",
                                                              "value_to": "20"}], dimension="account", side="CR",
                                               value_id="4100")
        second = export_rules.add_campaign_rule(session, ws, [{"field": "type", "operator": "equals", "value": "t"}],
                                                dimension="account", side="CR", value_id="4200", join="or")
        export_rules.move_rule(session, ws, second.id, up=True)
        export_rules.add_skip_rule(session, ws, "  Test   orders ", [{"field": "date", "operator": "lt",
                                                                      "value": "2026-01-01"}])
        export_rules.set_description_template(session, ws, "{type}  {date}")
    with store.session() as session:
        settings = load_sync_settings(session, ws)
    assert [r.id for r in settings.campaign_rules] == [second.id, first.id]
    moved = settings.campaign_rules[1]
    assert moved.conditions[0].operator is Operator.BETWEEN and (moved.conditions[0].value,
                                                                 moved.conditions[0].value_to) == ("10.00", "20.00")
    assert Decimal(moved.conditions[0].value) == Decimal("10")
    assert settings.campaign_rules[0].join is Join.ANY
    assert settings.skip_rules[0].name == "Test orders" and settings.skip_rules[0].active
    assert settings.description_template == "{type} {date}"


def test_refusals_name_the_problem_and_write_nothing(store):
    ws = _workspace_with_accounts(store)
    with store.write_session() as session:
        with pytest.raises(Conflict, match="at least one condition"):
            export_rules.add_skip_rule(session, ws, "x", [{"field": "", "operator": "", "value": ""}])
        with pytest.raises(Conflict, match="condition 2: Date it happened: the value '2026-13-01' is not a date"):
            export_rules.add_skip_rule(session, ws, "x", [{"field": "type", "operator": "equals", "value": "a"},
                                                          {"field": "date", "operator": "gt", "value": "2026-13-01"}])
        with pytest.raises(Conflict, match="no DR account '4100' has been pulled"):
            export_rules.add_campaign_rule(session, ws, [{"field": "type", "operator": "equals", "value": "a"}],
                                           dimension="account", side="DR", value_id="4100")
        with pytest.raises(Conflict, match="join 'xor'"):
            export_rules.add_skip_rule(session, ws, "x", [{"field": "type", "operator": "equals", "value": "a"}],
                                       join="xor")
        with pytest.raises(NotFound):
            export_rules.remove_rule(session, ws, 999_999, skip=True)
    with store.session() as session:
        assert export_rules.skip_rules(session, ws) == () and export_rules.campaign_rules(session, ws) == ()

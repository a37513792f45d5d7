"""Listing, finding and tagging actions; resolving and listing campaigns; the review list."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from store_builders import pulled_workspace

from intacct_bridge.domain.intake import read_csv
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, NEEDS_REVIEW_CAMPAIGN, ActionStatus
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import ReviewFlag
from intacct_bridge.store.repositories.actions import (
    ActionFilter,
    count_actions,
    count_review,
    get_action,
    list_actions,
    list_review,
    tag_actions,
)
from intacct_bridge.store.repositories.campaigns import CampaignResolver, UnknownCampaign, list_campaigns
from intacct_bridge.store.repositories.intake import import_actions

ROWS = (
    "external_id,type,amount,happened_at,constituent_name,summary,campaigns\n"
    "d-1,donation,25,2025-06-30,Ada Lovelace,Spring appeal,CR 4000;DR 1000\n"
    "d-2,ticket,10,2025-06-30,Grace Hopper,Gala ticket,DR 1000\n"
    "d-3,ticket,12,2025-06-30,Ada Lovelace,Gala ticket,\n"
)


@pytest.fixture
def ws(store) -> int:
    with store.session() as session:
        workspace = pulled_workspace(session)
        import_actions(session, workspace, read_csv(io.StringIO(ROWS)), ZoneInfo("UTC"))
        return workspace


def test_resolver_accepts_full_short_and_qualified_names(store, ws):
    with store.session() as session:
        resolver = CampaignResolver(session, ws)
        assert resolver.resolve("cr 4100 - ticket revenue").intacct_value_id == "4100"
        assert resolver.resolve("DR 1000").name == "DR 1000 - Cash"
        assert resolver.resolve("Locations: CR 100").name == "CR 100 - Main office"
        assert resolver.resolve("[Sage Intacct] Accounts: CR 4000").name == "CR 4000 - Donations"
        assert resolver.resolve(EXCLUDE_CAMPAIGN).system
        with pytest.raises(UnknownCampaign, match="no campaign .* in this workspace"):
            resolver.resolve("CR 7777")


def test_ambiguous_short_names_list_the_choices(store):
    from intacct_bridge.domain.vocabulary import Dimension
    from store_builders import add_campaigns

    with store.session() as session:
        ws = pulled_workspace(session)
        add_campaigns(session, ws, Dimension.DEPARTMENT, {"100": "Admin"})
        with pytest.raises(UnknownCampaign, match="ambiguous; write one of: Departments: CR 100 - Admin, Locations: CR 100"):
            CampaignResolver(session, ws).resolve("CR 100")


def test_list_and_filter_actions(store, ws):
    with store.session() as session:
        assert [a.external_id for a in list_actions(session, ws)] == ["d-1", "d-2", "d-3"]
        assert [a.external_id for a in list_actions(session, ws, ActionFilter(type="Ticket"))] == ["d-2", "d-3"]
        assert [a.external_id for a in list_actions(session, ws, ActionFilter(search="ada"))] == ["d-1", "d-3"]
        page = list_actions(session, ws, limit=2)
        assert [a.external_id for a in list_actions(session, ws, after_id=page[-1].id)] == ["d-3"]
        cash = CampaignResolver(session, ws).resolve("DR 1000")
        assert count_actions(session, ws, ActionFilter(campaign_id=cash.id)) == 2
        assert count_actions(session, ws, ActionFilter(status=ActionStatus.POSTED)) == 0


def test_tagging_fixes_an_action(store, ws):
    with store.session() as session:
        resolver = CampaignResolver(session, ws)
        actions = [get_action(session, ws, "d-2"), get_action(session, ws, "d-3"), get_action(session, ws, "3")]
        result = tag_actions(
            session, ws, actions, add=[resolver.resolve("CR 4100"), resolver.resolve("DR 1000")],
            remove=[resolver.resolve("CR 4000")],
        )
        assert len(result.changed) == 2
    with store.session() as session:
        assert sorted(c.name for c in get_action(session, ws, "d-3").campaigns) == [
            "CR 4100 - Ticket Revenue", "DR 1000 - Cash",
        ]
        again = tag_actions(session, ws, [get_action(session, ws, "d-3")], add=[CampaignResolver(session, ws).resolve("CR 4100")])
        assert again.unchanged and not again.changed


def test_tagging_refuses_posted_actions_and_the_review_flag(store, ws):
    with store.session() as session:
        resolver = CampaignResolver(session, ws)
        action = get_action(session, ws, "d-1")
        with pytest.raises(Conflict, match="managed by the sync"):
            tag_actions(session, ws, [action], add=[resolver.resolve(NEEDS_REVIEW_CAMPAIGN)])
        action.status = ActionStatus.POSTED.value
        with pytest.raises(Conflict, match="already posted"):
            tag_actions(session, ws, [action], add=[resolver.resolve(EXCLUDE_CAMPAIGN)])
        with pytest.raises(NotFound):
            get_action(session, ws, "nope")


def test_campaign_list_counts_usage_and_filters(store, ws):
    with store.session() as session:
        rows = list_campaigns(session, ws, category="Accounts")
        usage = {r.campaign.name: r.actions for r in rows}
        assert usage["DR 1000 - Cash"] == 2 and usage["CR 4100 - Ticket Revenue"] == 0
        assert len(rows) == 6
        assert [r.campaign.name for r in list_campaigns(session, ws, search="main")] == ["CR 100 - Main office", "DR 100 - Main office"]


def test_review_list_shows_reasons(store, ws):
    with store.session() as session:
        action = get_action(session, ws, "d-2")
        session.add(ReviewFlag(action_id=action.id, workspace_id=ws, reasons=[Reason("account.CR", "no CR account").as_dict()]))
    with store.session() as session:
        items = list_review(session, ws)
        assert [(i.action.external_id, i.flag.reasons[0]["field"]) for i in items] == [("d-2", "account.CR")]
        assert count_review(session, ws) == 1
        assert [a.external_id for a in list_actions(session, ws, ActionFilter(flagged=True))] == ["d-2"]


def test_own_campaigns_can_be_added_and_used(store, ws):
    from intacct_bridge.store.repositories.campaigns import create_campaign

    with store.session() as session:
        gala = create_campaign(session, ws, "Spring  Gala", "Events")
        assert gala.name == "Spring Gala" and not gala.system and gala.side is None
        assert CampaignResolver(session, ws).resolve("events: spring gala").id == gala.id
        with pytest.raises(Conflict, match="already exists"):
            create_campaign(session, ws, "spring gala", "events")
        for category in ("[Sage Intacct] Accounts", "[System]"):
            with pytest.raises(Conflict, match="choose a category of your own"):
                create_campaign(session, ws, "X", category)


def test_a_number_that_is_one_actions_id_and_anothers_external_id_is_not_guessed(store, ws):
    with store.session() as session:
        first = get_action(session, ws, "d-1")
        import_actions(session, ws, read_csv(io.StringIO(f"external_id,type,amount,happened_at\n{first.id},donation,5,2025-06-30\n")),
                       ZoneInfo("UTC"))
        numbered = get_action(session, ws, "d-1")  # still found by its own external id
        with pytest.raises(Conflict, match=rf"'{first.id}' names two actions: id {first.id} \(external id 'd-1'\)"):
            get_action(session, ws, str(first.id))
        assert numbered.id == first.id

"""Put the sample organization into a workspace, and fix its flagged actions the way a person would.

Used by `intacct-bridge demo`, the engine's tests and the benchmarks. Campaign
links refer to Intacct values, so load after a pull has created the campaigns.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import SecretStr
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, Dimension, DimensionMode, PostingMode
from intacct_bridge.intacct.endpoints import EndpointPolicy
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, ActionCampaign, Campaign, CampaignCategory, Constituent
from intacct_bridge.store.repositories.actions import get_action, tag_actions
from intacct_bridge.store.repositories.campaigns import CampaignResolver
from intacct_bridge.store.repositories.connections import save_connection, save_rest_client, set_api
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.store.repositories.workspaces import create_workspace, ensure_system_campaigns
from intacct_bridge.sync.sample import SampleAction, SampleData, SampleFix, Tag
from intacct_bridge.sync.streams import STANDARD_LABELS

ORG_CATEGORY = "Appeals"
DEMO_MODES = {
    Dimension.LOCATION: DimensionMode.REQUIRE,
    Dimension.DEPARTMENT: DimensionMode.AVAILABLE,
    Dimension.CLASS: DimensionMode.EXCLUDE,
    Dimension.CUSTOM: DimensionMode.AVAILABLE,
}


def create_connected_workspace(
    store: Store,
    name: str,
    intacct: dict[str, str],
    box: SecretBox,
    *,
    modes: dict[Dimension, DimensionMode] | None = None,
    posting_mode: PostingMode = PostingMode.INDIVIDUAL,
    allowed: EndpointPolicy | None = None,
    entity_id: str | None = None,
    api: str = "xml",
) -> int:
    """A workspace connected with the `INTACCT_*` lines of `intacct`, with the Fund dimension mapped
    (signed in at `entity_id` when given, else at the top level).

    `api="rest"`: it speaks the REST API, with the OAuth client of `INTACCT_CLIENT_ID` / `INTACCT_CLIENT_SECRET`.

    Its endpoint must be allowed like any other: by `allowed`, else by the operator settings of the
    environment (the demo and the tests export the emulator's INTACCT_ENDPOINT, which allows it).
    """
    allowed = allowed or OperatorSettings().endpoint_policy()
    with store.write_session() as session:
        workspace = create_workspace(session, name)
        save_connection(
            session, workspace.id, box,
            company_id=intacct["INTACCT_COMPANY_ID"], user_id=intacct["INTACCT_USER_ID"],
            password=SecretStr(intacct["INTACCT_USER_PASSWORD"]), endpoint=intacct["INTACCT_ENDPOINT"],
            allowed=allowed, entity_id=entity_id,
        )
        if api == "rest":
            save_rest_client(session, workspace.id, box, client_id=intacct["INTACCT_CLIENT_ID"],
                             client_secret=SecretStr(intacct["INTACCT_CLIENT_SECRET"]))
            set_api(session, workspace.id, "rest")
        update_settings(session, workspace.id, SettingsChange(
            modes=modes or DEMO_MODES, custom_object="FUND", custom_gl_field="GLDIMFUND", custom_label="Fund",
            posting_mode=posting_mode, journal="GJ",
        ))
        return workspace.id


class CampaignIndex:
    """Intacct campaigns of a workspace by (dimension, side, value id)."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        rows = session.execute(
            select(Campaign.id, Campaign.side, Campaign.intacct_value_id, CampaignCategory.dimension)
            .join(CampaignCategory, Campaign.category_id == CampaignCategory.id)
            .where(Campaign.workspace_id == workspace_id, Campaign.intacct_value_id.is_not(None))
        )
        self._ids = {(Dimension(r.dimension), r.side, r.intacct_value_id): r.id for r in rows}

    def id(self, tag: Tag) -> int:
        dimension, side, value = tag
        try:
            return self._ids[(dimension, side.value if side else None, value)]
        except KeyError:
            raise LookupError(f"no {side.value if side else ''} campaign for {dimension.value} {value}: "
                              "pull first") from None


def _org_campaigns(session: Session, workspace_id: int, names: Iterable[str]) -> dict[str, int]:
    category = session.scalar(select(CampaignCategory).where(
        CampaignCategory.workspace_id == workspace_id, CampaignCategory.name == ORG_CATEGORY))
    if category is None:
        category = CampaignCategory(workspace_id=workspace_id, name=ORG_CATEGORY)
        session.add(category)
        session.flush()
    found = {c.name: c.id for c in session.scalars(select(Campaign).where(Campaign.category_id == category.id))}
    for name in set(names) - set(found):
        campaign = Campaign(workspace_id=workspace_id, category_id=category.id, name=name)
        session.add(campaign)
        session.flush()
        found[name] = campaign.id
    return found


def load_sample(store: Store, workspace_id: int, data: SampleData, chunk: int = 2000) -> None:
    """Insert constituents, actions and their campaign links (bulk, a chunk per transaction)."""
    with store.write_session() as session:
        session.execute(insert(Constituent), [
            {"workspace_id": workspace_id, "external_id": c.external_id, "name": c.name, "email": c.email}
            for c in data.constituents
        ])
    for start in range(0, len(data.actions), chunk):
        load_actions(store, workspace_id, data.actions[start:start + chunk])


def load_actions(store: Store, workspace_id: int, actions: list[SampleAction]) -> None:
    """Insert one chunk of actions with their links."""
    with store.write_session() as session:
        people = {external_id: cid for external_id, cid in session.execute(
            select(Constituent.external_id, Constituent.id).where(Constituent.workspace_id == workspace_id))}
        index = CampaignIndex(session, workspace_id)
        appeals = _org_campaigns(session, workspace_id, {a.appeal for a in actions if a.appeal})
        exclude = ensure_system_campaigns(session, workspace_id)[EXCLUDE_CAMPAIGN].id
        rows = session.execute(insert(Action).returning(Action.id, Action.external_id), [
            {"workspace_id": workspace_id, "external_id": a.external_id, "constituent_id": people[a.constituent_id],
             "type": a.type, "amount": a.amount, "happened_at": a.happened_at, "created_at": a.created_at,
             "summary": a.summary, "url": a.url}
            for a in actions
        ])
        ids = {r.external_id: r.id for r in rows}
        links = []
        for action in actions:
            campaign_ids = {index.id(tag) for tag in action.tags}
            if action.appeal:
                campaign_ids.add(appeals[action.appeal])
            if action.excluded:
                campaign_ids.add(exclude)
            links += [{"action_id": ids[action.external_id], "campaign_id": cid} for cid in campaign_ids]
        if links:
            session.execute(insert(ActionCampaign), links)


# The short category names `actions tag` accepts; Fund is the custom field `create_connected_workspace` maps.
CATEGORY_SHORT = {**STANDARD_LABELS, Dimension.CUSTOM: "Fund", Dimension.ENTITY: "Entities"}


def campaign_text(tag: Tag) -> str:
    """How a person names the campaign on the command line: `Accounts: DR 1100`."""
    dimension, side, value = tag
    return f"{CATEGORY_SHORT[dimension]}: {side.value} {value}" if side else f"{CATEGORY_SHORT[dimension]}: {value}"


def fix_command(external_id: str, fix: SampleFix) -> str:
    """The `actions tag` command that applies `fix`."""
    parts = [f'--add "{campaign_text(t)}"' for t in fix.add] + [f'--remove "{campaign_text(t)}"' for t in fix.remove]
    return f"intacct-bridge actions tag {external_id} {' '.join(parts)}"


def apply_fix(store: Store, workspace_id: int, external_id: str, fix: SampleFix) -> None:
    """Tag and untag one action exactly as `intacct-bridge actions tag` does (same resolver, same rules)."""
    with store.write_session() as session:
        action = get_action(session, workspace_id, external_id)
        resolver = CampaignResolver(session, workspace_id)
        tag_actions(session, workspace_id, [action],
                    add=[resolver.resolve(campaign_text(t)) for t in fix.add],
                    remove=[resolver.resolve(campaign_text(t)) for t in fix.remove])

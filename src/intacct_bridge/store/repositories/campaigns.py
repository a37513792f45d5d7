"""Finding campaigns the way people name them, and listing them with how often they are used.

A person may write a campaign's full name (`CR 4100 - Ticket Revenue`), its short form
(`CR 4100`), or either qualified by its category (`Locations: CR 100`) when the short form
is ambiguous. Names are matched without regard to case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.vocabulary import CATEGORY_PREFIX, SYSTEM_CATEGORY
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import ActionCampaign, Campaign, CampaignCategory


class UnknownCampaign(LookupError):
    """A name that matches no campaign, or several; the text says which and what to write instead."""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _short_category(name: str) -> str:
    return name.removeprefix(CATEGORY_PREFIX)


class CampaignResolver:
    """Loads a workspace's campaigns once and resolves names against them."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        rows = session.scalars(select(Campaign).where(Campaign.workspace_id == workspace_id)).all()
        self.by_id = {c.id: c for c in rows}
        self._by_name: dict[str, list[Campaign]] = defaultdict(list)
        self._by_short: dict[str, list[Campaign]] = defaultdict(list)
        for campaign in rows:
            self._by_name[_fold(campaign.name)].append(campaign)
            if campaign.side and campaign.intacct_value_id:
                self._by_short[_fold(f"{campaign.side} {campaign.intacct_value_id}")].append(campaign)
            elif campaign.intacct_value_id:  # a value without sides (an entity): by its id, e.g. `Entities: E100`
                self._by_short[_fold(campaign.intacct_value_id)].append(campaign)

    def _matches(self, text: str) -> list[Campaign]:
        key = _fold(text)
        found = list(self._by_name.get(key, []))
        return found or list(self._by_short.get(key, []))

    def _qualified(self, text: str) -> list[Campaign] | None:
        category, sep, rest = text.rpartition(":")
        if not sep or not category.strip() or not rest.strip():
            return None
        wanted = _fold(category)
        matches = [
            c for c in self._matches(rest)
            if wanted in (_fold(c.category.name), _fold(_short_category(c.category.name)))
        ]
        return matches or None

    def resolve(self, text: str) -> Campaign:
        """One campaign for `text`, or `UnknownCampaign` explaining the problem."""
        found = self._matches(text)
        if len(found) != 1:
            found = self._qualified(text) or found
        if len(found) == 1:
            return found[0]
        if not found:
            raise UnknownCampaign(
                f"no campaign {text!r} in this workspace: check the name against its campaigns (accounts and "
                "dimensions become campaigns when they are pulled from Intacct; others must be added first)"
            )
        options = ", ".join(sorted(f"{_short_category(c.category.name)}: {c.name}" for c in found))
        raise UnknownCampaign(f"{text!r} is ambiguous; write one of: {options}")

    def resolve_all(self, names: Iterable[str]) -> tuple[list[Campaign], list[str]]:
        """(campaigns, problems) for a list of names."""
        campaigns: list[Campaign] = []
        problems: list[str] = []
        for name in names:
            try:
                campaign = self.resolve(name)
            except UnknownCampaign as error:
                problems.append(str(error))
                continue
            if campaign not in campaigns:
                campaigns.append(campaign)
        return campaigns, problems


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    category: str
    actions: int


def list_campaigns(
    session: Session,
    workspace_id: int,
    *,
    category: str | None = None,
    active: bool | None = None,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Sequence[CampaignRow]:
    """Campaigns with their category and the number of actions carrying them."""
    usage = (
        select(ActionCampaign.campaign_id, func.count().label("n"))
        .group_by(ActionCampaign.campaign_id)
        .subquery()
    )
    query = (
        select(Campaign, CampaignCategory.name, func.coalesce(usage.c.n, 0))
        .join(CampaignCategory, Campaign.category_id == CampaignCategory.id)
        .outerjoin(usage, usage.c.campaign_id == Campaign.id)
        .where(Campaign.workspace_id == workspace_id)
        .order_by(CampaignCategory.name, Campaign.intacct_value_id, Campaign.name)
    )
    if category:
        wanted = category.strip().lower()
        query = query.where(
            func.lower(CampaignCategory.name).in_([wanted, (CATEGORY_PREFIX + category.strip()).lower()])
        )
    if active is not None:
        query = query.where(Campaign.active.is_(active))
    if search:
        query = query.where(func.lower(Campaign.name).contains(search.strip().lower(), autoescape=True))
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [CampaignRow(c, name, int(n)) for c, name, n in session.execute(query)]


def create_campaign(session: Session, workspace_id: int, name: str, category: str) -> Campaign:
    """One of the organization's own campaigns (an appeal, an event), in a category created on demand.

    Intacct and system categories are refused: their campaigns come from a pull and from the sync.
    """
    name, category = " ".join(name.split()), " ".join(category.split())
    if not name or not category:
        raise Conflict("a campaign needs a name and a category")
    if category.startswith((CATEGORY_PREFIX.strip(), SYSTEM_CATEGORY)):
        raise Conflict(f"{category!r} is filled from Sage Intacct or by the sync; choose a category of your own")
    row = session.scalar(
        select(CampaignCategory).where(
            CampaignCategory.workspace_id == workspace_id, func.lower(CampaignCategory.name) == category.lower()
        )
    )
    if row is None:
        row = CampaignCategory(workspace_id=workspace_id, name=category)
        session.add(row)
        session.flush()
    elif row.dimension or row.system:
        raise Conflict(f"{row.name!r} is filled from Sage Intacct or by the sync; choose a category of your own")
    clash = session.scalar(
        select(Campaign).where(Campaign.category_id == row.id, func.lower(Campaign.name) == name.lower())
    )
    if clash is not None:
        raise Conflict(f"campaign {clash.name!r} already exists in {row.name!r}")
    campaign = Campaign(workspace_id=workspace_id, category_id=row.id, name=name)
    session.add(campaign)
    session.flush()
    return campaign

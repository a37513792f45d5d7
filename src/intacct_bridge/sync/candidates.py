"""Which actions a run considers, streamed in id order a chunk at a time.

SPEC §2: actions created after `last_sync_at`, plus any earlier one still
unposted; never one created before the start date, never one already posted,
never one tagged `[System] Auto-Generated: Exclude from Sage Intacct`, never one
created after the run started. Since a posted action is never a candidate, the
union reduces to "unposted, created in [start date, run start)", which is the
query below — the watermark only tells the log what is new.

Rows become the domain's `ActionView`s here, with each campaign's category
resolved, so the rules never see SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select, tuple_
from sqlalchemy.orm import Session

from intacct_bridge.domain.model import ActionView, CampaignTag
from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, ActionStatus, Dimension, Side
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, ActionCampaign, Campaign, Constituent
from intacct_bridge.sync import review

CHUNK = 500


@dataclass(frozen=True)
class Window:
    """The bounds of one run's candidates."""

    workspace_id: int
    run_started_at: datetime
    not_before: datetime | None = None   # the start date, at midnight in the workspace's zone
    only_action_id: int | None = None    # "sync one action now"
    # Summary posting: `summarized` picks actions of these types (lower case) not yet in a summary; otherwise
    # every action not in a summary is a candidate (a valid one of a summarized type waits for its summary).
    summary_types: frozenset[str] = frozenset()
    summarized: bool = False


def _excluded(workspace_id: int):
    return exists().where(
        ActionCampaign.action_id == Action.id,
        ActionCampaign.campaign_id == Campaign.id,
        Campaign.workspace_id == workspace_id,
        Campaign.name == EXCLUDE_CAMPAIGN,
    )


def candidate_filter(window: Window):
    """The WHERE clause of a run's candidates."""
    conditions = [
        Action.workspace_id == window.workspace_id,
        Action.status.not_in((ActionStatus.POSTED.value, ActionStatus.WITHDRAWN.value)),
        Action.created_at < window.run_started_at,
        ~_excluded(window.workspace_id),
        Action.summary_id.is_(None),   # in a summary: posted with it, never on its own
    ]
    if window.summarized:
        conditions.append(func.lower(Action.type).in_(sorted(window.summary_types)))
    if window.only_action_id is not None:
        conditions.append(Action.id == window.only_action_id)
    else:  # a person asking for one record sends it even when the error queue holds it back
        conditions.append(~review.held_back(window.workspace_id, review.JOURNAL_ENTRY, Action.id,
                                            window.run_started_at))
        if window.not_before is not None:
            conditions.append(Action.created_at >= window.not_before)
    return and_(*conditions)


def count_candidates(session: Session, window: Window) -> int:
    return session.scalar(select(func.count()).select_from(Action).where(candidate_filter(window))) or 0


class CandidateReader:
    """Streams a run's candidates as ActionViews, `chunk` at a time, by keyset pagination on the id.

    Rows are read with two plain queries per chunk (the actions, then their
    campaign links); campaigns themselves are read once per reader — there are
    as many as Intacct values times two, not as many as actions — so memory
    stays flat however many actions wait.
    """

    def __init__(self, store: Store, window: Window, chunk: int = CHUNK) -> None:
        self.store, self.window, self.chunk = store, window, chunk
        with store.session() as session:
            rows = session.scalars(select(Campaign).where(Campaign.workspace_id == window.workspace_id))
            self._tags = {c.id: to_tag(c) for c in rows}

    def __iter__(self) -> Iterator[list[ActionView]]:
        after: tuple[datetime, int] | None = None
        while True:
            # Keyset on (created_at, id): the order of the (workspace_id, created_at, id) index, so each
            # chunk starts where the last ended, with no sort — the whole stream costs one index scan.
            query = (
                select(Action.id, Action.external_id, Action.type, Action.amount, Action.happened_at,
                       Action.created_at, Action.summary, Action.url, Action.version, Constituent.name)
                .outerjoin(Constituent, Constituent.id == Action.constituent_id)
                .where(candidate_filter(self.window))
                .order_by(Action.created_at, Action.id)
                .limit(self.chunk)
            )
            if after is not None:
                query = query.where(tuple_(Action.created_at, Action.id) > tuple_(*after))
            with self.store.session() as session:
                # Through the session's Core connection: plain rows, without the ORM's result machinery
                # (these are column tuples, never entities), which cost more than the query itself.
                connection = session.connection()
                rows = connection.execute(query).all()
                if not rows:
                    return
                links: dict[int, list[int]] = {}
                for action_id, campaign_id in connection.execute(
                    select(ActionCampaign.action_id, ActionCampaign.campaign_id)
                    .where(ActionCampaign.action_id.in_([r.id for r in rows]))
                ).all():  # fetched at once: several links per action
                    links.setdefault(action_id, []).append(campaign_id)
                self._learn(session, {cid for ids in links.values() for cid in ids})
            after = (rows[-1].created_at, rows[-1].id)
            yield [self._view(row, links.get(row.id, ())) for row in rows]

    def _learn(self, session: Session, campaign_ids: set[int]) -> None:
        """Campaigns created since the reader started (an organization's new tag)."""
        unknown = campaign_ids - self._tags.keys()
        if unknown:
            for campaign in session.scalars(select(Campaign).where(Campaign.id.in_(unknown))):
                self._tags[campaign.id] = to_tag(campaign)

    def _view(self, row, campaign_ids) -> ActionView:
        return ActionView(
            id=row.id, external_id=row.external_id, type=row.type, amount=row.amount, happened_at=row.happened_at,
            created_at=row.created_at, summary=row.summary, url=row.url, constituent_name=row.name,
            campaigns=tuple(self._tags[cid] for cid in campaign_ids), version=row.version,
        )


class UnknownAction(LookupError):
    """"Sync one action" named an action this workspace does not have."""


def why_not_candidate(session: Session, workspace_id: int, action_id: int) -> str:
    """Why "sync one action" found nothing to post, in words."""
    action = session.get(Action, action_id)
    if action is None or action.workspace_id != workspace_id:
        raise UnknownAction(f"there is no action {action_id} in this workspace")
    if action.status == ActionStatus.POSTED.value:
        return f"action {action_id} is already posted (Intacct record {action.intacct_recordno})"
    if action.summary_id is not None:
        return f"action {action_id} is in summary {action.summary_id}: it posts with that summary entry"
    if session.scalar(select(exists().where(ActionCampaign.action_id == action_id,
                                            ActionCampaign.campaign_id == Campaign.id,
                                            Campaign.name == EXCLUDE_CAMPAIGN))):
        return f"action {action_id} is tagged {EXCLUDE_CAMPAIGN!r}"
    return f"action {action_id} was created after this run started; run again"


def iter_candidate_chunks(store: Store, window: Window, chunk: int = CHUNK) -> Iterator[list[ActionView]]:
    """Yield candidates as ActionViews, `chunk` at a time."""
    return iter(CandidateReader(store, window, chunk))


def to_view(action: Action) -> ActionView:
    return ActionView(
        id=action.id,
        external_id=action.external_id,
        type=action.type,
        amount=action.amount,
        happened_at=action.happened_at,
        created_at=action.created_at,
        summary=action.summary,
        url=action.url,
        constituent_name=action.constituent.name if action.constituent else None,
        campaigns=tuple(to_tag(c) for c in action.campaigns),
        version=action.version,
    )


def to_tag(campaign: Campaign) -> CampaignTag:
    category = campaign.category
    return CampaignTag(
        id=campaign.id,
        name=campaign.name,
        category=category.name,
        dimension=Dimension(category.dimension) if category.dimension else None,
        side=Side(campaign.side) if campaign.side else None,
        value_id=campaign.intacct_value_id,
        active=campaign.active,
        intacct_object=category.intacct_object,
        system=campaign.system,
    )


def intacct_tags(session: Session, workspace_id: int) -> list[CampaignTag]:
    """Every Intacct-backed campaign of the workspace: the catalogue mapping defaults pick from."""
    rows = session.scalars(
        select(Campaign).where(Campaign.workspace_id == workspace_id, Campaign.intacct_value_id.is_not(None))
    )
    return [to_tag(c) for c in rows]

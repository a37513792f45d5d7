"""Reading actions (lists with filters, one by id) and changing their campaigns (how a user fixes one)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy import Select, delete, exists, func, insert, or_, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.vocabulary import NEEDS_REVIEW_CAMPAIGN, ActionStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import Action, ActionCampaign, Campaign, Constituent, ReviewFlag, utcnow
from intacct_bridge.store.refs import find_by_ref
from intacct_bridge.store.repositories import audit


@dataclass(frozen=True)
class ActionFilter:
    """What `actions list` and the console can ask for; every field narrows the list."""

    status: ActionStatus | None = None
    type: str | None = None
    campaign_id: int | None = None
    flagged: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    search: str | None = None
    # When it happened, [from, to) as aware instants (`day_range` turns the workspace's days into them),
    # and the amount, both ends included.
    happened_from: datetime | None = None
    happened_to: datetime | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    id_above: int | None = None   # after an import: only the actions it added


def _filtered(workspace_id: int, f: ActionFilter) -> Select[tuple[Action]]:
    query = select(Action).where(Action.workspace_id == workspace_id)
    if f.status is not None:
        query = query.where(Action.status == f.status.value)
    if f.type:
        query = query.where(Action.type == f.type.strip().lower())
    if f.campaign_id is not None:
        query = query.where(
            exists().where(ActionCampaign.action_id == Action.id, ActionCampaign.campaign_id == f.campaign_id)
        )
    if f.flagged is not None:
        flagged = exists().where(ReviewFlag.action_id == Action.id)
        query = query.where(flagged if f.flagged else ~flagged)
    if f.created_from is not None:
        query = query.where(Action.created_at >= f.created_from)
    if f.created_to is not None:
        query = query.where(Action.created_at < f.created_to)
    if f.happened_from is not None:
        query = query.where(Action.happened_at >= f.happened_from)
    if f.happened_to is not None:
        query = query.where(Action.happened_at < f.happened_to)
    if f.id_above:
        query = query.where(Action.id > f.id_above)
    if f.amount_min is not None:
        query = query.where(Action.amount >= f.amount_min)
    if f.amount_max is not None:
        query = query.where(Action.amount <= f.amount_max)
    if f.search:
        needle = f.search.strip().lower()
        query = query.outerjoin(Constituent, Action.constituent_id == Constituent.id).where(
            or_(
                func.lower(Action.external_id).contains(needle, autoescape=True),
                func.lower(Action.summary).contains(needle, autoescape=True),
                func.lower(Constituent.name).contains(needle, autoescape=True),
            )
        )
    return query


def list_actions(
    session: Session, workspace_id: int, filters: ActionFilter = ActionFilter(), *, limit: int = 100, after_id: int = 0
) -> Sequence[Action]:
    """A page of actions in id order (keyset: pass the last id as `after_id` for the next page)."""
    query = _filtered(workspace_id, filters).where(Action.id > after_id).order_by(Action.id).limit(limit)
    return session.scalars(query).unique().all()


# The columns a list may be sorted by (the id breaks ties, so pages never overlap or skip).
ACTION_SORTS = {"id": Action.id, "external_id": Action.external_id, "date": Action.happened_at,
                "type": Action.type, "amount": Action.amount, "status": Action.status}


def sorted_actions(session: Session, workspace_id: int, filters: ActionFilter = ActionFilter(), *,
                   sort: str = "id", descending: bool = False, offset: int = 0, limit: int = 50) -> Sequence[Action]:
    """A page of actions sorted by one of `ACTION_SORTS` (ties by id), from `offset` (the console's numbered pages)."""
    query = _filtered(workspace_id, filters).order_by(*_order(sort, descending)).offset(offset).limit(limit)
    return session.scalars(query).unique().all()


def _order(sort: str, descending: bool) -> tuple[Any, ...]:
    if sort not in ACTION_SORTS:
        raise Conflict(f"actions cannot be sorted by {sort!r}: use one of {', '.join(ACTION_SORTS)}")
    column = ACTION_SORTS[sort]
    if descending:
        return (column.desc(), Action.id.desc())
    return (column, Action.id)


EXPORT_COLUMNS = (Action.id, Action.external_id, Action.happened_at, Action.created_at, Action.type, Action.amount,
                  Action.status, Action.constituent_id, Action.summary, Action.url, Action.posted_at,
                  Action.intacct_recordno, Action.last_error)


def iter_action_rows(session: Session, workspace_id: int, filters: ActionFilter = ActionFilter(), *,
                     sort: str = "id", descending: bool = False, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every matching action in list order as plain values (with `constituent_external_id`, `constituent_name`
    and `campaigns`, names sorted), read `batch` rows at a time in three queries: exports stay fast and flat
    in memory (no ORM objects)."""
    query = _filtered(workspace_id, filters).with_only_columns(*EXPORT_COLUMNS).order_by(*_order(sort, descending))
    for offset in count(0, batch):
        rows = [dict(r._mapping) for r in session.execute(query.offset(offset).limit(batch))]
        people = {c.id: (c.external_id, c.name) for c in session.execute(
            select(Constituent.id, Constituent.external_id, Constituent.name)
            .where(Constituent.id.in_({r["constituent_id"] for r in rows if r["constituent_id"]})))}
        tags: dict[int, list[str]] = {}
        for action_id, name in session.execute(
                select(ActionCampaign.action_id, Campaign.name).join(Campaign, Campaign.id == ActionCampaign.campaign_id)
                .where(ActionCampaign.action_id.in_([r["id"] for r in rows]))):
            tags.setdefault(action_id, []).append(name)
        for row in rows:
            row["constituent_external_id"], row["constituent_name"] = people.get(row["constituent_id"], (None, None))
            row["campaigns"] = sorted(tags.get(row["id"], ()))
            yield row
        if len(rows) < batch:
            return


def day_range(zone: tzinfo, first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """The workspace's days `first`..`last` (both included) as the instants [from, to) `ActionFilter` takes."""
    start = datetime.combine(first, time(), zone).astimezone(UTC) if first else None
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC) if last else None
    return start, end


def count_actions(session: Session, workspace_id: int, filters: ActionFilter = ActionFilter()) -> int:
    return session.scalar(select(func.count()).select_from(_filtered(workspace_id, filters).subquery())) or 0


def get_action(session: Session, workspace_id: int, ref: str | int) -> Action:
    """By internal id or by the external id it has in the organization's system (see `find_by_ref`)."""
    return find_by_ref(session, Action, workspace_id, ref, "action")


@dataclass
class TagResult:
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


def tag_actions(
    session: Session,
    workspace_id: int,
    actions: Sequence[Action],
    *,
    add: Sequence[Campaign] = (),
    remove: Sequence[Campaign] = (),
) -> TagResult:
    """Add and remove campaigns on actions. Posted actions and the review flag are off limits."""
    for campaign in (*add, *remove):
        if campaign.workspace_id != workspace_id:
            raise Conflict(f"campaign {campaign.name!r} belongs to another workspace")
        if campaign.name == NEEDS_REVIEW_CAMPAIGN:
            raise Conflict(
                f"{NEEDS_REVIEW_CAMPAIGN!r} is managed by the sync: fix the action and run a sync to clear it"
            )
    overlap = {c.id for c in add} & {c.id for c in remove}
    if overlap:
        raise Conflict("a campaign cannot be both added and removed")
    posted = [a.external_id for a in actions if a.status == ActionStatus.POSTED.value]
    if posted:
        raise Conflict(f"already posted to Sage Intacct, its campaigns can no longer change: {', '.join(posted)}")
    result = TagResult()
    now = utcnow()
    actions = list({a.id: a for a in actions}.values())  # the same action named twice is tagged once
    for action in actions:
        current = {c.id for c in action.campaigns}
        to_add = [c.id for c in add if c.id not in current]
        to_remove = [c.id for c in remove if c.id in current]
        if not to_add and not to_remove:
            result.unchanged.append(action.id)
            continue
        if to_add:
            session.execute(
                insert(ActionCampaign), [{"action_id": action.id, "campaign_id": c, "created_at": now} for c in to_add]
            )
        if to_remove:
            session.execute(
                delete(ActionCampaign).where(
                    ActionCampaign.action_id == action.id, ActionCampaign.campaign_id.in_(to_remove)
                )
            )
        action.updated_at = now
        result.changed.append(action.id)
    session.flush()
    if result.changed:
        audit.record(session, workspace_id, "actions.tagged",
                     f"{len(result.changed)} action{'' if len(result.changed) == 1 else 's'}",
                     {"added": [c.name for c in add], "removed": [c.name for c in remove],
                      "actions": [a.external_id for a in actions if a.id in set(result.changed)][:100]})
    for action in actions:
        session.expire(action, ["campaigns"])
    return result


@dataclass(frozen=True)
class ReviewItem:
    action: Action
    flag: ReviewFlag


def list_review(session: Session, workspace_id: int, *, limit: int = 100, after_id: int = 0) -> Sequence[ReviewItem]:
    """Actions flagged `System Needs Review`, with the recorded reasons, in id order."""
    rows = session.execute(
        select(Action, ReviewFlag)
        .join(ReviewFlag, ReviewFlag.action_id == Action.id)
        .where(Action.workspace_id == workspace_id, Action.id > after_id, ReviewFlag.resolved_at.is_(None))
        .order_by(Action.id)
        .limit(limit)
    ).unique()
    return [ReviewItem(action, flag) for action, flag in rows]


def count_review(session: Session, workspace_id: int) -> int:
    query = select(func.count()).select_from(ReviewFlag).where(ReviewFlag.workspace_id == workspace_id,
                                                               ReviewFlag.resolved_at.is_(None))
    return session.scalar(query) or 0

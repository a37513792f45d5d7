"""Store queries the API and the console need that the shared repositories do not have.

Constituent upserts and lists, review reasons for a page of actions, deleting an
unposted action, categories with their campaign counts, a run's log by pages.
All are scoped by workspace id: nothing here can reach another workspace's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.intake import RowError, text_problem
from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.domain.xml_text import TextPolicy
from intacct_bridge.domain.vocabulary import EXCLUDE_CAMPAIGN, ActionStatus
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import (
    Action,
    ActionCampaign,
    Campaign,
    CampaignCategory,
    Constituent,
    Posting,
    ReviewFlag,
    RunItem,
    SyncRun,
    utcnow,
)
from intacct_bridge.store.repositories.intake import ImportRejected
from intacct_bridge.store.repositories.posted_changes import withdraw_or_refuse
from intacct_bridge.store.repositories.settings import text_policy
from intacct_bridge.sync.posting import UNSETTLED
from intacct_bridge.sync.queries import RunSummary, get_run

CHUNK = 1000


@dataclass(frozen=True)
class ConstituentRow:
    external_id: str
    name: str
    email: str | None


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_constituents(session: Session, workspace_id: int, rows: Sequence[ConstituentRow]) -> UpsertCounts:
    """Create or update by external id, all or nothing (a repeated id, or text Intacct cannot carry, is
    refused with its index, external id and field)."""
    seen: dict[str, int] = {}
    errors: list[RowError] = []
    policy = text_policy(session, workspace_id)
    checked = []
    for index, row in enumerate(rows):
        if row.external_id in seen:
            errors.append(RowError(index, "external_id", f"{row.external_id!r} already appears at index "
                                                         f"{seen[row.external_id]}", row.external_id))
        seen.setdefault(row.external_id, index)
        row, problems = _admitted(row, policy)
        errors += [RowError(index, name, problem, row.external_id) for name, problem in problems]
        checked.append(row)
    rows = checked
    if errors:
        rejected = ImportRejected(errors)
        rejected.collection = "constituents"  # type: ignore[attr-defined]
        raise rejected
    counts, now = UpsertCounts(), utcnow()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        existing = {c.external_id: c for c in session.scalars(select(Constituent).where(
            Constituent.workspace_id == workspace_id, Constituent.external_id.in_([r.external_id for r in chunk])))}
        new = []
        for row in chunk:
            found = existing.get(row.external_id)
            if found is None:
                new.append({"workspace_id": workspace_id, "external_id": row.external_id, "name": row.name,
                            "email": row.email, "created_at": now})
            elif (found.name, found.email) != (row.name, row.email):
                found.name, found.email = row.name, row.email
                counts.updated += 1
            else:
                counts.unchanged += 1
        if new:
            session.execute(insert(Constituent), new)
            counts.created += len(new)
        session.flush()
    return counts


def _admitted(row: ConstituentRow, policy: TextPolicy) -> tuple[ConstituentRow, list[tuple[str, str]]]:
    """The row as it will be stored (the name's bad characters replaced under `replace`) and its problems."""
    problems = []
    values = {}
    for name, rule, value in (("external_id", "constituent_id", row.external_id),
                              ("name", "constituent_name", row.name), ("email", "email", row.email)):
        values[name], problem = text_problem(rule, value, policy)
        if problem:
            problems.append((name, problem))
    return ConstituentRow(**values), problems  # type: ignore[arg-type]


def list_constituents(session: Session, workspace_id: int, *, search: str | None, after_id: int,
                      limit: int) -> Sequence[Constituent]:
    query = select(Constituent).where(Constituent.workspace_id == workspace_id, Constituent.id > after_id)
    if search:
        needle = search.strip().lower()
        query = query.where(or_(func.lower(Constituent.name).contains(needle, autoescape=True),
                                func.lower(Constituent.external_id).contains(needle, autoescape=True)))
    return session.scalars(query.order_by(Constituent.id).limit(limit)).all()


def get_constituent(session: Session, workspace_id: int, constituent_id: int) -> Constituent:
    found = session.get(Constituent, constituent_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound(f"no constituent {constituent_id} in this workspace")
    return found


def get_action_by_id(session: Session, workspace_id: int, action_id: int) -> Action:
    found = session.get(Action, action_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound(f"no action {action_id} in this workspace")
    return found


def actions_by_ids(session: Session, workspace_id: int, ids: Iterable[int]) -> list[Action]:
    """The actions with these ids; NotFound naming the first that is not in the workspace."""
    wanted = list(dict.fromkeys(ids))
    found = {a.id: a for a in session.scalars(
        select(Action).where(Action.workspace_id == workspace_id, Action.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(f"no action {missing[0]} in this workspace")
    return [found[i] for i in wanted]


def last_action_id(session: Session, workspace_id: int) -> int:
    """The highest action id of the workspace (0 if none): after an import, the new actions come after it."""
    return session.scalar(select(func.max(Action.id)).where(Action.workspace_id == workspace_id)) or 0


def action_types(session: Session, workspace_id: int) -> list[str]:
    """The action types present in the workspace (the list's type filter)."""
    return list(session.scalars(select(Action.type).where(Action.workspace_id == workspace_id).distinct()
                                .order_by(Action.type)))


def review_reasons(session: Session, action_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    """The recorded reasons of the flagged actions among `action_ids`, each with the fix that fits it."""
    if not action_ids:
        return {}
    rows = session.execute(select(ReviewFlag.action_id, ReviewFlag.reasons, ReviewFlag.error_class)
                           .where(ReviewFlag.action_id.in_(action_ids)))
    return {action_id: with_fixes(reasons, "journal_entry", error_class) for action_id, reasons, error_class in rows}


def delete_action(session: Session, workspace_id: int, action_id: int) -> None:
    """Delete an action that was never posted and has no posting in flight."""
    action = get_action_by_id(session, workspace_id, action_id)
    if withdraw_or_refuse(session, workspace_id, action, utcnow()) is not None or \
            action.status == ActionStatus.WITHDRAWN.value:
        return  # posted before: withdrawn, its entry reversed by the next sync (the history stays)
    in_flight = session.scalar(select(func.count()).select_from(Posting).where(
        Posting.action_id == action.id, Posting.state.in_(UNSETTLED)))
    if in_flight:
        raise Conflict(f"action {action.external_id!r} has a posting whose outcome is not settled yet: "
                       "run a sync first")
    session.execute(delete(Action).where(Action.id == action.id))


def excluded_unposted(session: Session, workspace_id: int) -> int:
    """Unposted actions tagged Exclude from Sage Intacct: recorded, but never waiting to be sent."""
    return session.scalar(
        select(func.count()).select_from(Action)
        .join(ActionCampaign, ActionCampaign.action_id == Action.id)
        .join(Campaign, Campaign.id == ActionCampaign.campaign_id)
        .where(Action.workspace_id == workspace_id, Action.status != ActionStatus.POSTED.value,
               Campaign.name == EXCLUDE_CAMPAIGN)) or 0


def exclude_campaign_id(session: Session, workspace_id: int) -> int | None:
    """The workspace's Exclude from Sage Intacct campaign (the dashboard links its count to the list of them)."""
    return session.scalar(select(Campaign.id).where(Campaign.workspace_id == workspace_id,
                                                    Campaign.name == EXCLUDE_CAMPAIGN).limit(1))


def categories(session: Session, workspace_id: int) -> list[tuple[CampaignCategory, int]]:
    counts = (select(Campaign.category_id, func.count().label("n")).group_by(Campaign.category_id).subquery())
    rows = session.execute(
        select(CampaignCategory, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.category_id == CampaignCategory.id)
        .where(CampaignCategory.workspace_id == workspace_id).order_by(CampaignCategory.name))
    return [(category, int(n)) for category, n in rows]


def campaigns_by_ids(session: Session, workspace_id: int, ids: Iterable[int]) -> dict[int, Campaign]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {c.id: c for c in session.scalars(
        select(Campaign).where(Campaign.workspace_id == workspace_id, Campaign.id.in_(wanted)))}


def run_of_workspace(session: Session, workspace_id: int, run_id: int) -> RunSummary:
    """The shared `get_run`, with NotFound (a 404) for a run of another workspace or none."""
    run = get_run(session, workspace_id, run_id)
    if run is None:
        raise NotFound(f"no run {run_id} in this workspace")
    return run


def run_items(session: Session, run_id: int, *, after_id: int, limit: int,
              outcome: str | None = None) -> list[tuple[int, int, str, str, str | None]]:
    """(item id, action id, external id, outcome, message) in log order, a page at a time."""
    query = (select(RunItem.id, RunItem.action_id, Action.external_id, RunItem.outcome, RunItem.message)
             .join(Action, Action.id == RunItem.action_id)
             .where(RunItem.run_id == run_id, RunItem.id > after_id).order_by(RunItem.id).limit(limit))
    if outcome:
        query = query.where(RunItem.outcome == outcome)
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def list_runs(session: Session, workspace_id: int, *, before_id: int | None, limit: int) -> Sequence[SyncRun]:
    """Newest first; pass the last id as `before_id` for the next page."""
    query = select(SyncRun).where(SyncRun.workspace_id == workspace_id)
    if before_id is not None:
        query = query.where(SyncRun.id < before_id)
    return session.scalars(query.order_by(SyncRun.id.desc()).limit(limit)).all()

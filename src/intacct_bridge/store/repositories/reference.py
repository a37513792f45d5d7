"""Reference data pulled from Intacct (entities, journals, AR terms, tax details, dimension values).

Kept in `intacct_values` with the entity each value was created at (`owner_entity`), so settings can
offer what Intacct has instead of free text, and the rules can refuse a value of another entity.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.entities import ReferenceGate
from intacct_bridge.domain import reference_lists
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import ActionStatus, Dimension, PostingLevel
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import (
    Action,
    ActionCampaign,
    Campaign,
    CampaignCategory,
    CreditMemo,
    IntacctValue,
    Invoice,
    Payment,
    WorkspaceSettings,
)

# The lists are declared in `domain.reference_lists` (the CLI's help names them without the store); the store's
# callers keep naming them here.
ENTITIES, JOURNALS = reference_lists.ENTITIES, reference_lists.JOURNALS
AR_TERMS, TAX_DETAILS = reference_lists.AR_TERMS, reference_lists.TAX_DETAILS
LABELS, LISTS = reference_lists.LABELS, reference_lists.LISTS
PULL_COMMAND = "intacct-bridge entities pull"


def pulled(session: Session, workspace_id: int, object_name: str) -> list[IntacctValue]:
    """The values of one object as last pulled, by id."""
    return list(session.scalars(
        select(IntacctValue)
        .where(IntacctValue.workspace_id == workspace_id, IntacctValue.object_name == object_name)
        .order_by(IntacctValue.value_id)
    ))


def check_pulled(session: Session, workspace_id: int, object_name: str, value: str, *,
                 must_be_pulled: bool = False) -> str:
    """`value` when Intacct has it (active); else `Conflict` listing what was pulled and how to refresh it.

    Before anything was pulled a value is taken as typed, unless `must_be_pulled` (the default entity:
    posting at an entity nobody checked would fail on every record).
    """
    label = LABELS[object_name]
    rows = pulled(session, workspace_id, object_name)
    if not rows:
        if must_be_pulled:
            raise Conflict(f"no {label} has been pulled from Intacct yet: run `{PULL_COMMAND}`, then choose one")
        return value
    by_id = {row.value_id: row for row in rows}
    row = by_id.get(value)
    active = sorted(r.value_id for r in rows if r.status == "active")
    if row is None:
        raise Conflict(f"{label} {value!r} is not in Intacct: choose one of {', '.join(active)} "
                       f"(or run `{PULL_COMMAND}` if it was just added)")
    if row.status != "active":
        raise Conflict(f"{label} {value!r} is inactive in Intacct: choose an active one ({', '.join(active)})")
    return value


def owners(session: Session, workspace_id: int) -> dict[tuple[str, str], str]:
    """(object, value id) -> the entity the value belongs to, for every value created at an entity."""
    rows = session.execute(
        select(IntacctValue.object_name, IntacctValue.value_id, IntacctValue.owner_entity)
        .where(IntacctValue.workspace_id == workspace_id, IntacctValue.owner_entity.is_not(None))
    )
    return {(obj, value): owner for obj, value, owner in rows}


def entity_ids(session: Session, workspace_id: int) -> frozenset[str] | None:
    """The company's entities as pulled; None before the first pull (nothing to check against)."""
    rows = pulled(session, workspace_id, ENTITIES)
    return frozenset(r.value_id for r in rows) if rows else None


def reference_gate(session: Session, workspace_id: int, settings: SyncSettings) -> ReferenceGate:
    """The pulled-reference rules under these settings: AR terms always, entities at the entity level only."""
    terms = pulled(session, workspace_id, AR_TERMS)
    active_terms = frozenset(t.value_id for t in terms if t.status == "active") if terms else None
    if settings.posting_level is PostingLevel.TOP:
        return ReferenceGate(settings, {}, None, active_terms)
    return ReferenceGate(settings, owners(session, workspace_id), entity_ids(session, workspace_id), active_terms)


def unposted_count(session: Session, workspace_id: int) -> int:
    """Records not yet posted (actions, invoices, payments, credit memos): what a change of level moves."""
    total = 0
    for model in (Action, Invoice, Payment, CreditMemo):
        total += session.scalar(select(func.count()).select_from(model).where(
            model.workspace_id == workspace_id, model.status != ActionStatus.POSTED.value)) or 0
    return total


def level_change_warning(session: Session, workspace_id: int, new_level: PostingLevel) -> str | None:
    """Seed 001's warning, when the level changes: the unposted records will take the new level."""
    row = session.get(WorkspaceSettings, workspace_id)
    current = PostingLevel(row.posting_level) if row is not None else PostingLevel.TOP
    if current is new_level:
        return None
    count = unposted_count(session, workspace_id)
    return (f"posting level changes from {current.value} to {new_level.value}: {count} record(s) not posted yet "
            f"will be posted at the {new_level.value} level; what was posted keeps its level")


def entities_in_use(session: Session, workspace_id: int) -> list[str]:
    """The entities the workspace posts to at the entity level: its default, and those its unposted records
    name (none at the top level: every record posts there)."""
    row = session.get(WorkspaceSettings, workspace_id)
    if row is None or row.posting_level != PostingLevel.ENTITY.value:
        return []
    used: set[str] = {row.default_entity} if row.default_entity else set()
    for model in (Invoice, Payment, CreditMemo):
        used.update(e for e in session.scalars(
            select(model.entity).distinct().where(model.workspace_id == workspace_id, model.entity.is_not(None),
                                                  model.status != ActionStatus.POSTED.value)) if e)
    used.update(e for e in session.scalars(
        select(Campaign.intacct_value_id).distinct()
        .join(ActionCampaign, ActionCampaign.campaign_id == Campaign.id)
        .join(Action, Action.id == ActionCampaign.action_id)
        .join(CampaignCategory, CampaignCategory.id == Campaign.category_id)
        .where(Action.workspace_id == workspace_id, Action.status != ActionStatus.POSTED.value,
               CampaignCategory.dimension == Dimension.ENTITY.value)) if e)
    return sorted(used)


@dataclass(frozen=True)
class EntitySummary:
    """One entity as pulled, with how many values of each object it owns ("values pulled per entity")."""

    entity_id: str
    name: str | None
    status: str
    owned: dict[str, int]


def entity_summaries(session: Session, workspace_id: int) -> list[EntitySummary]:
    counts: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(IntacctValue.owner_entity, IntacctValue.object_name, func.count())
        .where(IntacctValue.workspace_id == workspace_id, IntacctValue.owner_entity.is_not(None))
        .group_by(IntacctValue.owner_entity, IntacctValue.object_name)
    )
    for owner, object_name, count in rows:
        counts.setdefault(owner, {})[object_name] = count
    return [EntitySummary(row.value_id, row.name, row.status, counts.get(row.value_id, {}))
            for row in pulled(session, workspace_id, ENTITIES)]


def owned_values(session: Session, workspace_id: int, entity_id: str | None) -> list[IntacctValue]:
    """The values an entity owns (None: the top-level ones every entity may use), by object and id."""
    owner = IntacctValue.owner_entity.is_(None) if entity_id is None else IntacctValue.owner_entity == entity_id
    return list(session.scalars(
        select(IntacctValue)
        .where(IntacctValue.workspace_id == workspace_id, owner, IntacctValue.object_name != ENTITIES)
        .order_by(IntacctValue.object_name, IntacctValue.value_id)
    ))


def get_entity(session: Session, workspace_id: int, entity_id: str) -> EntitySummary:
    """One pulled entity (`NotFound` naming the pulled ones when there is no such entity)."""
    for summary in entity_summaries(session, workspace_id):
        if summary.entity_id == entity_id:
            return summary
    known = ", ".join(s.entity_id for s in entity_summaries(session, workspace_id)) or "none pulled yet"
    raise NotFound(f"no entity {entity_id!r} in this workspace's Intacct company ({known}); "
                   f"run `{PULL_COMMAND}` to refresh")

"""Mapping rules, skip-export rules and the description template: stored checked, read as the domain's values.

Every change is checked by the domain (`domain.conditions`, `domain.description_template`) before
anything is written, and refused as a `Conflict` naming the field and the fix; a mapping rule must
name a campaign the workspace has, active, for its dimension and side (what the pickers offer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.campaign_rules import CampaignRule
from intacct_bridge.domain.conditions import Condition, ConditionError, Join, Operator, condition
from intacct_bridge.domain.description_template import TemplateError, check_template
from intacct_bridge.domain.skip_rules import SkipRule
from intacct_bridge.domain.vocabulary import Dimension, Side
from intacct_bridge.domain.xml_text import unsafe_problem
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import (Campaign, CampaignCategory, CampaignRuleRow, SkipRuleRow,
                                         WorkspaceSettings)

MAX_CONDITIONS = 10
MAX_RULES = 200


def _stored(conditions: Iterable[Mapping[str, Any]]) -> tuple[Condition, ...]:
    return tuple(Condition(c["field"], Operator(c["operator"]), c["value"], c.get("value_to")) for c in conditions)


def checked_conditions(conditions: Iterable[Mapping[str, Any]]) -> tuple[Condition, ...]:
    """The conditions, each checked (`Conflict` names the first problem, counting conditions from 1)."""
    given = [c for c in conditions if any(str(v or "").strip() for v in c.values())]
    if not given:
        raise Conflict("a rule needs at least one condition: choose a field, an operator and a value")
    if len(given) > MAX_CONDITIONS:
        raise Conflict(f"a rule has at most {MAX_CONDITIONS} conditions")
    out = []
    for number, raw in enumerate(given, start=1):
        try:
            cond = condition(str(raw.get("field") or ""), str(raw.get("operator") or ""), str(raw.get("value") or ""),
                             (str(raw["value_to"]) if raw.get("value_to") not in (None, "") else None))
        except ConditionError as error:
            raise Conflict(f"condition {number}: {error}") from None
        problem = unsafe_problem(cond.value + (cond.value_to or ""))
        if problem:
            raise Conflict(f"condition {number}: {problem}")
        out.append(cond)
    return tuple(out)


def _join(join: str | Join) -> Join:
    try:
        return Join(str(join).strip().lower())
    except ValueError:
        raise Conflict(f"join {join!r}: conditions join with and (every one) or or (any one)") from None


def _next_position(session: Session, model: Any, workspace_id: int) -> int:
    count = session.scalar(select(func.count()).select_from(model).where(model.workspace_id == workspace_id)) or 0
    if count >= MAX_RULES:
        raise Conflict(f"a workspace has at most {MAX_RULES} rules of a kind: remove one first")
    return (session.scalar(select(func.max(model.position)).where(model.workspace_id == workspace_id)) or 0) + 1


# -- mapping rules ---------------------------------------------------------------------------------

def _campaign_rule(row: CampaignRuleRow) -> CampaignRule:
    return CampaignRule(row.id, _stored(row.conditions), Dimension(row.dimension), Side(row.side), row.value_id,
                        Join(row.join))


def campaign_rules(session: Session, workspace_id: int) -> tuple[CampaignRule, ...]:
    rows = session.scalars(select(CampaignRuleRow).where(CampaignRuleRow.workspace_id == workspace_id)
                           .order_by(CampaignRuleRow.position, CampaignRuleRow.id))
    return tuple(_campaign_rule(r) for r in rows)


def target_campaign(session: Session, workspace_id: int, dimension: Dimension, side: Side | None,
                    value_id: str) -> Campaign:
    """The active campaign a rule or default names; else `Conflict` saying what to choose."""
    query = (select(Campaign).join(CampaignCategory, Campaign.category_id == CampaignCategory.id)
             .where(Campaign.workspace_id == workspace_id, CampaignCategory.dimension == dimension.value,
                    Campaign.intacct_value_id == value_id.strip()))
    if side is not None:
        query = query.where(Campaign.side == side.value)
    found = session.scalars(query).all()
    side_words = f"{side.value} " if side else ""
    if not found:
        raise Conflict(f"no {side_words}{dimension.value} {value_id.strip()[:100]!r} has been pulled from Intacct: "
                       "choose one from the list (pull from Intacct if it was just added)")
    active = [c for c in found if c.active]
    if not active:
        raise Conflict(f"{side_words}{dimension.value} {value_id.strip()[:100]!r} is inactive in Intacct: choose an "
                       "active one")
    return active[0]


def add_campaign_rule(session: Session, workspace_id: int, conditions: Iterable[Mapping[str, Any]], *,
                      dimension: Dimension | str, side: Side | str, value_id: str,
                      join: Join | str = Join.ALL) -> CampaignRule:
    """Append a rule (evaluated after the existing ones)."""
    try:
        dim, sd = Dimension(str(dimension).strip().lower()), Side(str(side).strip().upper())
    except ValueError:
        raise Conflict(f"{dimension!r} {side!r}: the dimension is one of {', '.join(d.value for d in Dimension)} "
                       "and the side CR or DR") from None
    if dim is Dimension.ENTITY:
        raise Conflict("entities have no side: tag the entity, or set the default entity in the settings")
    conds = checked_conditions(conditions)
    target_campaign(session, workspace_id, dim, sd, value_id)
    row = CampaignRuleRow(workspace_id=workspace_id, position=_next_position(session, CampaignRuleRow, workspace_id),
                          join=_join(join).value, conditions=[c.as_dict() for c in conds], dimension=dim.value,
                          side=sd.value, value_id=value_id.strip())
    session.add(row)
    session.flush()
    return _campaign_rule(row)


def _own(session: Session, model: Any, workspace_id: int, rule_id: int, what: str) -> Any:
    row = session.get(model, rule_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound(f"no {what} {rule_id} in this workspace")
    return row


def remove_rule(session: Session, workspace_id: int, rule_id: int, *, skip: bool = False) -> None:
    model, what = (SkipRuleRow, "skip rule") if skip else (CampaignRuleRow, "mapping rule")
    session.delete(_own(session, model, workspace_id, rule_id, what))
    session.flush()


def move_rule(session: Session, workspace_id: int, rule_id: int, up: bool, *, skip: bool = False) -> None:
    """Swap a rule with the one before (up) or after it; the first one stays first.

    A mapping rule moves among the rules of its dimension (only those compete for its slots), so the
    Mapping page, which shows one dimension at a time, sees it move.
    """
    model, what = (SkipRuleRow, "skip rule") if skip else (CampaignRuleRow, "mapping rule")
    moving = _own(session, model, workspace_id, rule_id, what)
    rows = list(session.scalars(select(model).where(model.workspace_id == workspace_id)
                                .order_by(model.position, model.id)))
    for position, row in enumerate(rows, start=1):
        row.position = position
    peers = [r for r in rows if skip or r.dimension == moving.dimension]
    index = peers.index(moving)
    other = index - 1 if up else index + 1
    if 0 <= other < len(peers):
        peers[index].position, peers[other].position = peers[other].position, peers[index].position
    session.flush()


# -- skip-export rules -----------------------------------------------------------------------------

def _skip_rule(row: SkipRuleRow) -> SkipRule:
    return SkipRule(row.id, row.name, _stored(row.conditions), Join(row.join), row.active)


def skip_rules(session: Session, workspace_id: int) -> tuple[SkipRule, ...]:
    rows = session.scalars(select(SkipRuleRow).where(SkipRuleRow.workspace_id == workspace_id)
                           .order_by(SkipRuleRow.position, SkipRuleRow.id))
    return tuple(_skip_rule(r) for r in rows)


def add_skip_rule(session: Session, workspace_id: int, name: str, conditions: Iterable[Mapping[str, Any]], *,
                  join: Join | str = Join.ALL) -> SkipRule:
    words = " ".join((name or "").split())
    if not words:
        raise Conflict("a skip rule needs a name that says why, e.g. Test orders")
    if len(words) > 200:
        raise Conflict("a skip rule's name is at most 200 characters")
    conds = checked_conditions(conditions)
    row = SkipRuleRow(workspace_id=workspace_id, position=_next_position(session, SkipRuleRow, workspace_id),
                      name=words, join=_join(join).value, conditions=[c.as_dict() for c in conds], active=True)
    session.add(row)
    session.flush()
    return _skip_rule(row)


def set_skip_rule_active(session: Session, workspace_id: int, rule_id: int, active: bool) -> SkipRule:
    """Pause or resume a rule: what it skipped is exported by the next run once it is paused."""
    row = _own(session, SkipRuleRow, workspace_id, rule_id, "skip rule")
    row.active = active
    session.flush()
    return _skip_rule(row)


# -- description template --------------------------------------------------------------------------

def description_template(session: Session, workspace_id: int) -> str | None:
    row = session.get(WorkspaceSettings, workspace_id)
    return row.description_template if row is not None else None


def set_description_template(session: Session, workspace_id: int, template: str | None) -> str | None:
    """Save (or with None/empty, clear) the template; unknown placeholders are refused, naming them."""
    row = session.get(WorkspaceSettings, workspace_id)
    if row is None:
        row = WorkspaceSettings(workspace_id=workspace_id)
        session.add(row)
    text = None
    if template is not None and template.strip():
        try:
            text = check_template(template)
        except TemplateError as error:
            raise Conflict(str(error)) from None
        problem = unsafe_problem(text)
        if problem:
            raise Conflict(f"description template: {problem}")
    row.description_template = text
    session.flush()
    return text

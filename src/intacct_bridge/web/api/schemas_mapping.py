"""Request and response bodies of the mapping rules, skip-export rules, description template and schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from intacct_bridge.domain.campaign_rules import CampaignRule
from intacct_bridge.domain.conditions import Operator
from intacct_bridge.domain.skip_rules import SkipRule
from intacct_bridge.domain.vocabulary import Dimension, Side
from intacct_bridge.web.api.types import Strict, text

FieldName = Literal["type", "amount", "date", "constituent", "external_id", "summary", "url", "campaign"]
JoinName = Literal["and", "or"]


class ConditionIn(Strict):
    field: FieldName
    operator: Operator
    value: text(200, 1)  # type: ignore[valid-type]
    value_to: text(200) | None = Field(None, description="The upper bound of `between`")  # type: ignore[valid-type]


class ConditionOut(BaseModel):
    field: str
    operator: Operator
    value: str
    value_to: str | None
    words: str


class CampaignRuleIn(Strict):
    conditions: list[ConditionIn] = Field(min_length=1, max_length=10)
    join: JoinName = "and"
    dimension: Dimension
    side: Side
    value_id: text(100, 1)  # type: ignore[valid-type]


class CampaignRuleOut(BaseModel):
    id: int
    position: int
    conditions: list[ConditionOut]
    join: str
    dimension: Dimension
    side: Side
    value_id: str
    words: str


class SkipRuleIn(Strict):
    name: text(200, 1)  # type: ignore[valid-type]
    conditions: list[ConditionIn] = Field(min_length=1, max_length=10)
    join: JoinName = "and"


class SkipRuleOut(BaseModel):
    id: int
    position: int
    name: str
    conditions: list[ConditionOut]
    join: str
    active: bool
    words: str


class SkipRulePatch(Strict):
    active: bool


class MoveIn(Strict):
    direction: Literal["up", "down"]


class TemplateIn(Strict):
    template: text(500) | None = Field(None, description="Empty or null: summary, name and link")  # type: ignore[valid-type]


class TemplateOut(BaseModel):
    template: str | None
    placeholders: dict[str, str]


class PreviewIn(Strict):
    template: text(500) | None = None  # type: ignore[valid-type]
    external_id: text(200) | None = None  # type: ignore[valid-type]


class PreviewOut(BaseModel):
    title: str
    line: str
    external_id: str
    sample: bool
    error: str | None


class ScheduleOut(BaseModel):
    schedule_time: str | None
    schedule_every_hours: int | None
    timezone: str
    next_run_at: datetime | None


def _conditions(conds) -> list[ConditionOut]:
    return [ConditionOut(field=c.field, operator=c.operator, value=c.value, value_to=c.value_to, words=c.describe())
            for c in conds]


def campaign_rule_out(rule: CampaignRule, position: int) -> CampaignRuleOut:
    assert rule.id is not None
    return CampaignRuleOut(id=rule.id, position=position, conditions=_conditions(rule.conditions),
                           join=rule.join.value, dimension=rule.dimension, side=rule.side, value_id=rule.value_id,
                           words=rule.describe())


def skip_rule_out(rule: SkipRule, position: int) -> SkipRuleOut:
    assert rule.id is not None
    return SkipRuleOut(id=rule.id, position=position, name=rule.name, conditions=_conditions(rule.conditions),
                       join=rule.join.value, active=rule.active, words=rule.describe())


class DimensionValueIn(Strict):
    dimension: Literal["location", "department", "class", "custom"]
    value_id: text(20, 1)  # type: ignore[valid-type]
    name: text(80, 1)  # type: ignore[valid-type]


class DimensionValueOut(BaseModel):
    id: int
    dimension: str
    object_name: str
    value_id: str
    name: str
    status: str = Field(description="unposted: created at the next sync; posted: in Intacct; failed: see last_error")
    intacct_key: str | None
    last_error: str | None

"""Conditions on an action (`amount > 1000`, `type equals ticket`) and groups of them joined by AND or OR.

Mapping rules (`campaign_rules`) and skip-export rules (`skip_rules`) are both a group of conditions
with an effect; this module holds what they share: which fields a condition may read, which operators
each field's type allows, how a typed value is checked (amounts are Decimals of whole cents, dates are
dates, never floats), and whether an action matches. Text compares without regard to case or runs of
spaces. A value the action lacks (no amount, no constituent) matches nothing but `not equals`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from intacct_bridge.domain.model import ActionView
from intacct_bridge.domain.values import exact_amount, posting_date_of


class Operator(StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    CONTAINS = "contains"
    STARTS_WITH = "starts_with"
    GREATER = "gt"
    LESS = "lt"
    BETWEEN = "between"


class Join(StrEnum):
    """How a group's conditions combine: every one (AND) or any one (OR)."""

    ALL = "and"
    ANY = "or"


class ValueType(StrEnum):
    TEXT = "text"
    AMOUNT = "amount"
    DATE = "date"


OPERATOR_WORDS = {Operator.EQUALS: "equals", Operator.NOT_EQUALS: "does not equal", Operator.CONTAINS: "contains",
                  Operator.STARTS_WITH: "starts with", Operator.GREATER: ">", Operator.LESS: "<",
                  Operator.BETWEEN: "is between"}
OPERATORS_BY_TYPE = {
    ValueType.TEXT: (Operator.EQUALS, Operator.NOT_EQUALS, Operator.CONTAINS, Operator.STARTS_WITH),
    ValueType.AMOUNT: (Operator.EQUALS, Operator.NOT_EQUALS, Operator.GREATER, Operator.LESS, Operator.BETWEEN),
    ValueType.DATE: (Operator.EQUALS, Operator.NOT_EQUALS, Operator.GREATER, Operator.LESS, Operator.BETWEEN),
}


@dataclass(frozen=True)
class FieldSpec:
    """A field a condition can read: its words for people, its type, and how to read it off an action."""

    name: str
    label: str
    type: ValueType
    help: str


# `campaign` is any campaign the action carries (its own ones too, e.g. "Spring Gala"): the nearest thing an
# action has to a custom field or a source; actions carry no other custom fields.
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in (
    FieldSpec("type", "Action type", ValueType.TEXT, "e.g. ticket, donation"),
    FieldSpec("amount", "Amount", ValueType.AMOUNT, "a number with at most 2 decimals, e.g. 1000.00"),
    FieldSpec("date", "Date it happened", ValueType.DATE, "YYYY-MM-DD, in the workspace's time zone"),
    FieldSpec("constituent", "Constituent name", ValueType.TEXT, "e.g. Acme Foundation"),
    FieldSpec("external_id", "External id", ValueType.TEXT, "the id in your system, e.g. t-1001"),
    FieldSpec("summary", "Summary", ValueType.TEXT, "words in the action's summary"),
    FieldSpec("url", "Link (source)", ValueType.TEXT, "e.g. https://shop.example.org/"),
    FieldSpec("campaign", "Campaign tagged", ValueType.TEXT, "any campaign the action carries, e.g. Spring Gala"),
)}


class ConditionError(ValueError):
    """A condition that cannot work; the message names the field and the fix."""


@dataclass(frozen=True)
class Condition:
    """`field operator value` (`between` also has `value_to`). Build checked ones with `condition(...)`."""

    field: str
    operator: Operator
    value: str
    value_to: str | None = None

    @cached_property
    def test(self) -> Callable[[ActionFacts], bool]:
        """The condition as a function of an action's facts, built once: its value folded or typed here, not
        for every action a run checks."""
        spec = FIELDS[self.field]
        if spec.type is ValueType.TEXT:
            return _text_test(self.operator, self.field, _fold(self.value))
        high = _typed(spec, self.value_to, "upper bound") if self.value_to is not None else None
        return _ordered_test(self.operator, spec, _typed(spec, self.value, "value"), high)

    def describe(self) -> str:
        spec = FIELDS[self.field]
        words = OPERATOR_WORDS[self.operator]
        if self.operator is Operator.BETWEEN:
            return f"{spec.label} {words} {self.value} and {self.value_to}"
        return f"{spec.label} {words} {self.value}"

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "operator": self.operator.value, "value": self.value, "value_to": self.value_to}


def _typed(spec: FieldSpec, raw: object, which: str) -> Decimal | date | str:
    if isinstance(raw, bool | float):  # a float has already lost its cents: never compared as an amount
        raise ConditionError(f"{spec.label}: the {which} {raw!r} is a binary number: give it as text, e.g. 1000.00")
    text = " ".join(str(raw if raw is not None else "").split())
    if not text:
        raise ConditionError(f"{spec.label}: the {which} is empty: enter {spec.help}")
    if spec.type is ValueType.AMOUNT:
        amount, problem = exact_amount(text)
        if amount is None:
            raise ConditionError(f"{spec.label}: the {which} {text[:40]!r} is not an amount ({problem}): "
                                 f"enter {spec.help}")
        return amount
    if spec.type is ValueType.DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ConditionError(f"{spec.label}: the {which} {text[:40]!r} is not a date: enter {spec.help}") from None
    return text


def condition(field: str, operator: str, value: str, value_to: str | None = None) -> Condition:
    """A checked condition, its values in their canonical spelling (`1000` → `1000.00`); else `ConditionError`."""
    spec = FIELDS.get((field or "").strip().lower())
    if spec is None:
        raise ConditionError(f"unknown field {field!r}: choose one of {', '.join(FIELDS)}")
    try:
        op = Operator((operator or "").strip().lower().replace(" ", "_"))
    except ValueError:
        op = None
    allowed = OPERATORS_BY_TYPE[spec.type]
    if op not in allowed:
        raise ConditionError(f"{spec.label}: the operator {operator!r} does not apply to a {spec.type.value} field: "
                             f"use {', '.join(o.value for o in allowed)}")
    low = _typed(spec, value, "value")
    if op is not Operator.BETWEEN:
        return Condition(spec.name, op, str(low))
    high = _typed(spec, value_to or "", "upper bound")
    if high < low:  # type: ignore[operator]
        raise ConditionError(f"{spec.label}: between {low} and {high}: the first value must be the lower one")
    return Condition(spec.name, op, str(low), str(high))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class ActionFacts:
    """What conditions read off one action, each worked out once when first asked (a run tries many rules
    on every action: the amount is parsed and the texts folded once, not once per condition)."""

    __slots__ = ("view", "zone", "_cache")

    def __init__(self, view: ActionView, zone: ZoneInfo) -> None:
        self.view, self.zone = view, zone
        self._cache: dict[str, object] = {}

    def texts(self, field: str) -> list[str]:
        if field not in self._cache:
            view = self.view
            if field == "campaign":
                raw = [tag.name for tag in view.campaigns]
            else:
                value = {"type": view.type, "constituent": view.constituent_name, "external_id": view.external_id,
                         "summary": view.summary, "url": view.url}[field]
                raw = [value] if value else []
            self._cache[field] = [_fold(t) for t in raw]
        return self._cache[field]  # type: ignore[return-value]

    def ordered(self, spec: FieldSpec) -> Decimal | date | None:
        if spec.name not in self._cache:
            view = self.view
            if spec.type is ValueType.AMOUNT:
                value = exact_amount(view.amount)[0] if view.amount not in (None, "") else None
            else:
                value = posting_date_of(view.happened_at, self.zone)[0]
            self._cache[spec.name] = value
        return self._cache[spec.name]  # type: ignore[return-value]


def facts_of(view: ActionView, zone: ZoneInfo) -> ActionFacts:
    return ActionFacts(view, zone)


def _text_test(op: Operator, field: str, want: str) -> Callable[[ActionFacts], bool]:
    if op is Operator.NOT_EQUALS:
        return lambda facts: want not in facts.texts(field)
    if op is Operator.EQUALS:
        return lambda facts: want in facts.texts(field)
    if op is Operator.CONTAINS:
        return lambda facts: any(want in t for t in facts.texts(field))
    return lambda facts: any(t.startswith(want) for t in facts.texts(field))


def _ordered_test(op: Operator, spec: FieldSpec, low: Any, high: Any) -> Callable[[ActionFacts], bool]:
    """A missing amount or date matches only `not equals`."""
    if op is Operator.NOT_EQUALS:
        return lambda facts: facts.ordered(spec) != low
    compare: Callable[[Any], bool] = {
        Operator.EQUALS: lambda v: v == low,
        Operator.GREATER: lambda v: v > low,
        Operator.LESS: lambda v: v < low,
        Operator.BETWEEN: lambda v: low <= v <= high,
    }[op]
    return lambda facts: (value := facts.ordered(spec)) is not None and compare(value)


def holds(cond: Condition, facts: ActionFacts) -> bool:
    """Whether the action behind `facts` meets one condition."""
    return cond.test(facts)


def matches(cond: Condition, view: ActionView, zone: ZoneInfo) -> bool:
    """Whether the action meets one condition."""
    return holds(cond, facts_of(view, zone))


def group_matches(conditions: Sequence[Condition], join: Join, facts: ActionFacts) -> bool:
    """Every condition (AND) or any one (OR); an empty group matches nothing."""
    if not conditions:
        return False
    if join is Join.ALL:
        return all(c.test(facts) for c in conditions)
    return any(c.test(facts) for c in conditions)


def describe_group(conditions: Sequence[Condition], join: Join) -> str:
    return f" {join.value.upper()} ".join(c.describe() for c in conditions)


def condition_words(text: str) -> dict[str, str | None]:
    """`amount gt 1000`, `constituent starts_with Acme Foundation`, `amount between 10 and 20` → the parts a
    condition is built from (the CLI's and the Python API's short form; `condition` checks them)."""
    parts = (text or "").split(None, 2)
    if len(parts) < 3:
        raise ConditionError(f"condition {text!r}: write FIELD OPERATOR VALUE, e.g. amount gt 1000 or "
                             "type equals ticket")
    field, operator, rest = parts
    if operator.strip().lower() != Operator.BETWEEN.value:
        return {"field": field, "operator": operator, "value": rest, "value_to": None}
    low, sep, high = rest.partition(" and ")
    if not sep:
        raise ConditionError(f"condition {text!r}: write FIELD between LOW and HIGH, e.g. amount between 10 and 20")
    return {"field": field, "operator": operator, "value": low, "value_to": high}

"""A small filter builder for the `query` function (and the readByQuery string form).

    q.eq("STATUS", "active") & (q.ge("BATCH_DATE", date(2025, 1, 1)) | q.in_("JOURNAL", ["GJ", "ADJ"]))

`to_element()` gives the `<filter>` content the SDKs write (`<and><equalto>
<field/><value/></equalto>...</and>`); `to_sql()` gives the legacy query
string (`STATUS = 'active' AND ...`), quoting and escaping values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from lxml import etree

from .xml import format_scalar


class Filter:
    """Base of conditions and groups; `&` and `|` combine them."""

    def __and__(self, other: "Filter") -> "Filter":
        return and_(self, other)

    def __or__(self, other: "Filter") -> "Filter":
        return or_(self, other)

    def to_element(self) -> etree._Element:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_sql(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


# element name in <filter>, operator in the legacy string form
_OPERATORS = {
    "eq": ("equalto", "="),
    "ne": ("notequalto", "!="),
    "lt": ("lessthan", "<"),
    "le": ("lessthanorequalto", "<="),
    "gt": ("greaterthan", ">"),
    "ge": ("greaterthanorequalto", ">="),
    "between": ("between", "BETWEEN"),
    "in": ("in", "IN"),
    "notin": ("notin", "NOT IN"),
    "like": ("like", "LIKE"),
    "notlike": ("notlike", "NOT LIKE"),
    "isnull": ("isnull", "IS NULL"),
    "isnotnull": ("isnotnull", "IS NOT NULL"),
}


def _quote(value: Any) -> str:
    """A literal for the legacy query string: numbers bare, everything else quoted and escaped."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format_scalar(value)
    text = format_scalar(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


@dataclass(frozen=True)
class Condition(Filter):
    op: str
    field: str
    values: tuple[Any, ...] = ()

    def to_element(self) -> etree._Element:
        element = etree.Element(_OPERATORS[self.op][0])
        etree.SubElement(element, "field").text = self.field
        for value in self.values:
            etree.SubElement(element, "value").text = format_scalar(value)
        return element

    def to_sql(self) -> str:
        word = _OPERATORS[self.op][1]
        if self.op in ("isnull", "isnotnull"):
            return f"{self.field} {word}"
        if self.op == "between":
            return f"{self.field} {word} {_quote(self.values[0])} AND {_quote(self.values[1])}"
        if self.op in ("in", "notin"):
            return f"{self.field} {word} ({', '.join(_quote(v) for v in self.values)})"
        return f"{self.field} {word} {_quote(self.values[0])}"


@dataclass(frozen=True)
class Group(Filter):
    kind: str  # "and" | "or"
    items: tuple[Filter, ...]

    def to_element(self) -> etree._Element:
        element = etree.Element(self.kind)
        for item in self.items:
            element.append(item.to_element())
        return element

    def to_sql(self) -> str:
        joiner = f" {self.kind.upper()} "
        return joiner.join(f"({i.to_sql()})" if isinstance(i, Group) else i.to_sql() for i in self.items)


def _group(kind: str, filters: Iterable[Filter]) -> Filter:
    items: list[Filter] = []
    for f in filters:
        # flatten (a & b) & c into one <and> with three children
        items.extend(f.items if isinstance(f, Group) and f.kind == kind else (f,))
    if not items:
        raise ValueError(f"{kind}_ needs at least one condition")
    return items[0] if len(items) == 1 else Group(kind, tuple(items))


def and_(*filters: Filter) -> Filter:
    return _group("and", filters)


def or_(*filters: Filter) -> Filter:
    return _group("or", filters)


def eq(field: str, value: Any) -> Condition:
    return Condition("eq", field, (value,))


def ne(field: str, value: Any) -> Condition:
    return Condition("ne", field, (value,))


def lt(field: str, value: Any) -> Condition:
    return Condition("lt", field, (value,))


def le(field: str, value: Any) -> Condition:
    return Condition("le", field, (value,))


def gt(field: str, value: Any) -> Condition:
    return Condition("gt", field, (value,))


def ge(field: str, value: Any) -> Condition:
    return Condition("ge", field, (value,))


def between(field: str, low: Any, high: Any) -> Condition:
    return Condition("between", field, (low, high))


def _many(op: str, field: str, values: Iterable[Any]) -> Condition:
    values = tuple(values)
    if not values:
        raise ValueError(f"{op} needs at least one value")
    return Condition(op, field, values)


def in_(field: str, values: Iterable[Any]) -> Condition:
    return _many("in", field, values)


def not_in(field: str, values: Iterable[Any]) -> Condition:
    return _many("notin", field, values)


def like(field: str, pattern: str) -> Condition:
    return Condition("like", field, (pattern,))


def not_like(field: str, pattern: str) -> Condition:
    return Condition("notlike", field, (pattern,))


def is_null(field: str) -> Condition:
    return Condition("isnull", field)


def is_not_null(field: str) -> Condition:
    return Condition("isnotnull", field)

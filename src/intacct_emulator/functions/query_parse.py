"""Reading the children of a ``query`` function: select, filter, orderby, options (any order)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..backend.filters import And, Compare, IsNull, Node, Or
from .base import ErrorInfo, FunctionFailure
from .xmlout import QUERY_FAILED

AGGREGATES = ("count", "sum", "avg", "min", "max")
_OPERATORS = {
    "equalto": ("=", False), "notequalto": ("<>", False), "lessthan": ("<", False),
    "lessthanorequalto": ("<=", False), "greaterthan": (">", False), "greaterthanorequalto": (">=", False),
    "between": ("between", False), "in": ("in", False), "notin": ("in", True),
    "like": ("like", False), "notlike": ("like", True),
}


def fail(description: str, description2: str | None = None) -> FunctionFailure:
    return FunctionFailure(ErrorInfo(QUERY_FAILED, description, description2))


@dataclass
class QuerySpec:
    object_name: str = ""
    fields: list[str] = field(default_factory=list)
    aggregates: list[tuple[str, str]] = field(default_factory=list)  # (function, field)
    filter: Node | None = None
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    case_insensitive: bool = False
    show_private: bool = False
    pagesize: str | None = None
    offset: str | None = None
    docparid: str | None = None


def _text(node: etree._Element) -> str:
    return (node.text or "").strip()


def parse_filter(node: etree._Element) -> Node:
    """One filter element (and/or nest; operators hold field and value elements)."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in ("and", "or"):
        items = tuple(parse_filter(child) for child in node if isinstance(child.tag, str))
        if len(items) < 2:
            raise fail(f"Invalid filter: <{tag}> needs at least two conditions")
        return And(items) if tag == "and" else Or(items)
    field_node = node.find("field")
    if field_node is None or not _text(field_node):
        raise fail(f"Invalid filter: <{tag}> has no <field>")
    name = _text(field_node)
    if tag in ("isnull", "isnotnull"):
        return IsNull(name, negate=tag == "isnotnull")
    if tag not in _OPERATORS:
        raise fail(f"Invalid filter operator <{tag}>")
    op, negate = _OPERATORS[tag]
    operands = tuple(_text(v) for v in node.findall("value"))
    if not operands:
        raise fail(f"Invalid filter: <{tag}> on {name} has no <value>")
    if op == "in" and len(operands) == 1 and "," in operands[0]:
        operands = tuple(v.strip() for v in operands[0].split(","))
    return Compare(name, op, operands, negate)


def _select(spec: QuerySpec, node: etree._Element) -> None:
    for child in node:
        if not isinstance(child.tag, str):
            continue
        name = _text(child)
        if child.tag == "field":
            if name == "*":
                raise fail("Selecting all fields with * is not supported by query", "Name the fields in <select>.")
            spec.fields.append(name)
        elif child.tag in AGGREGATES:
            spec.aggregates.append((child.tag, name))
        else:
            raise fail(f"Invalid element <{child.tag}> in <select>")


def _orderby(spec: QuerySpec, node: etree._Element) -> None:
    for order in node.findall("order"):
        name = order.findtext("field", "").strip()
        if not name:
            raise fail("Invalid orderby: <order> has no <field>")
        spec.order.append((name, order.find("descending") is not None))


def _flag(node: etree._Element, name: str) -> bool:
    return (node.findtext(name) or "").strip().lower() == "true"


def parse_query_function(fn: etree._Element) -> QuerySpec:
    """A QuerySpec from a ``<query>`` element whose children may come in any order."""
    spec = QuerySpec()
    for child in fn:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "select":
            _select(spec, child)
        elif tag == "object":
            spec.object_name = _text(child)
        elif tag == "filter":
            conditions = [c for c in child if isinstance(c.tag, str)]
            if len(conditions) != 1:
                raise fail("Invalid filter: <filter> must hold exactly one condition (use <and> or <or>)")
            spec.filter = parse_filter(conditions[0])
        elif tag == "orderby":
            _orderby(spec, child)
        elif tag == "options":
            spec.case_insensitive = _flag(child, "caseinsensitive")
            spec.show_private = _flag(child, "showprivate")
        elif tag == "pagesize":
            spec.pagesize = _text(child)
        elif tag == "offset":
            spec.offset = _text(child)
        elif tag == "docparid":
            spec.docparid = _text(child)
        elif tag:
            raise fail(f"Invalid element <{tag}> in <query>")
    if not spec.fields and not spec.aggregates:
        raise fail("The <select> of a query must name at least one field")
    return spec

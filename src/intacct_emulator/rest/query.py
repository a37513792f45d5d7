"""`POST /services/core/query` (reference §4): filters, filterExpression, orderBy, 1-based paging.

Filters `[{"$op": {field: value}}]` become the backend's filter tree
(`backend.filters`), so comparison semantics (types, decimals, NULL for empty)
are the XML query's. `filterExpression` numbers the filters from 1 with
`and`/`or`/parentheses; its default is `and`. Top-level queries skip records of
entities unless `filterParameters.includePrivate` is true (§8).
"""

from __future__ import annotations

import re
from typing import Any

from intacct_emulator.backend.filters import And, Compare, FilterError, IsNull, Node, Or, compile_filter, sort_sql
from intacct_emulator.backend.objects import get_object
from intacct_emulator.backend.records import Scope
from intacct_emulator.backend.search import Selection
from intacct_emulator.config import EmulatorConfig
from intacct_emulator.functions.base import CallContext, check_permission

from . import convert, objects
from .envelope import RestError, bad_request

MAX_SIZE = 4000
_OPS = {"$eq": "=", "$ne": "<>", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">=", "$in": "in", "$notIn": "in",
        "$between": "between", "$notBetween": "between", "$contains": "like", "$notContains": "like",
        "$startsWith": "like", "$notStartsWith": "like", "$endsWith": "like", "$notEndsWith": "like"}
_LIKE = {"$contains": "%{}%", "$notContains": "%{}%", "$startsWith": "{}%", "$notStartsWith": "{}%",
         "$endsWith": "%{}", "$notEndsWith": "%{}"}


def resolve(name: str) -> objects.RestObject:
    robj = objects.get(name)
    if robj is None:
        gap = objects.MISSING.get(name)
        raise RestError(404 if gap else 400, "notFound" if gap else "invalidRequest",
                        f"Object {name} is not served by this emulator: {gap}" if gap else f"Unknown object {name}")
    return robj


def _stored_operand(robj: objects.RestObject, name: str, value: Any) -> tuple[str, str]:
    fmap = robj.field(name)
    if fmap is None:
        raise bad_request(f"{name} is not a valid field of {robj.path} for filters", error_id="REST-1043", target=name)
    field = get_object(robj.backend).field(fmap.stored)
    text = convert.text_of(value)
    if field is not None and field.type == "enum" and text:
        text = convert.enum_to_stored(fmap, field, text)
    return fmap.stored, text


def _condition(robj: objects.RestObject, item: Any) -> Node:
    if not isinstance(item, dict) or len(item) != 1:
        raise bad_request('Each filter is one {"$operator": {"field": value}}')
    op, operand = next(iter(item.items()))
    if op not in _OPS or not isinstance(operand, dict) or len(operand) != 1:
        raise bad_request(f"Unknown filter operator {op}; use one of {', '.join(_OPS)}")
    name, value = next(iter(operand.items()))
    negate = op.startswith("$not")
    if value is None and op in ("$eq", "$ne"):
        return IsNull(_stored_operand(robj, name, "")[0], negate=op == "$ne")
    values = value if isinstance(value, list) else [value]
    if op in ("$in", "$notIn", "$between", "$notBetween") and not isinstance(value, list):
        raise bad_request(f"{op} needs an array of values")
    stored = [_stored_operand(robj, name, v) for v in values]
    operands = tuple(text for _, text in stored)
    if op in _LIKE:
        operands = (_LIKE[op].format(operands[0]),)
    return Compare(stored[0][0], _OPS[op], operands, negate=negate)


def _expression(text: str, conditions: list[Node]) -> Node:
    tokens = re.findall(r"\d+|and|or|\(|\)", text.lower())
    if "".join(tokens) != re.sub(r"\s+", "", text.lower()):
        raise bad_request(f"Invalid filterExpression {text!r}")
    if tokens in (["and"], []):
        return And(tuple(conditions))
    if tokens == ["or"]:
        return Or(tuple(conditions))
    position = 0

    def take() -> str:
        nonlocal position
        if position >= len(tokens):
            raise bad_request(f"Invalid filterExpression {text!r}")
        position += 1
        return tokens[position - 1]

    def term() -> Node:
        token = take()
        if token == "(":
            node = disjunction()
            if take() != ")":
                raise bad_request(f"Unbalanced parentheses in filterExpression {text!r}")
            return node
        if not token.isdigit() or not 1 <= int(token) <= len(conditions):
            raise bad_request(f"filterExpression {text!r} names filter {token}, which does not exist")
        return conditions[int(token) - 1]

    def conjunction() -> Node:
        items = [term()]
        while position < len(tokens) and tokens[position] == "and":
            take()
            items.append(term())
        return items[0] if len(items) == 1 else And(tuple(items))

    def disjunction() -> Node:
        items = [conjunction()]
        while position < len(tokens) and tokens[position] == "or":
            take()
            items.append(conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    node = disjunction()
    if position != len(tokens):
        raise bad_request(f"Invalid filterExpression {text!r}")
    return node


def _int(body: dict[str, Any], name: str, default: int) -> int:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not str(value).isdigit():
        raise bad_request(f"/{name} must be a positive integer", target=f"/{name}")
    return int(value)


def run(ctx: CallContext, body: Any, config: EmulatorConfig) -> dict[str, Any]:
    """One page of a query: `{"ia::result": [...], "ia::meta": {totalCount, start, pageSize, next, previous}}`."""
    if not isinstance(body, dict):
        raise bad_request("The query body must be a JSON object")
    robj = resolve(str(body.get("object", "")))
    odef = get_object(robj.backend)
    check_permission(ctx, "readByQuery", odef)
    fields = body.get("fields")
    if not isinstance(fields, list) or not fields:
        raise bad_request("/fields must name at least one field", target="/fields")
    for name in fields:
        if not isinstance(name, str) or not convert.is_field(robj, name):
            raise bad_request(f"{name} is not a valid field of {robj.path}", error_id="REST-1043", target=str(name))
    start, size = _int(body, "start", 1), _int(body, "size", config.rest_page_size)
    if start < 1 or not 1 <= size <= MAX_SIZE:
        raise bad_request(f"start must be >= 1 and size within 1..{MAX_SIZE}")
    params = body.get("filterParameters") or {}
    filters = body.get("filters") or []
    if not isinstance(filters, list) or not isinstance(params, dict):
        raise bad_request("/filters must be an array and /filterParameters an object")
    conditions = [_condition(robj, item) for item in filters]
    node = _expression(str(body.get("filterExpression") or "and"), conditions) if conditions else None
    if robj.fixed:  # `order-entry/document::Sales Invoice`: that type's documents only
        fixed = tuple(Compare(name, "=", (value,)) for name, value in robj.fixed)
        node = And(fixed if node is None else (*fixed, node))
    try:
        where, values = compile_filter(odef, node, case_insensitive=params.get("caseSensitiveComparison") is False)
        order = [_order(robj, odef, item) for item in body.get("orderBy") or []]
    except FilterError as exc:
        raise bad_request(str(exc)) from None
    scope = Scope(ctx.entity_id, show_private=bool(params.get("includePrivate")))
    selection = Selection(odef, ctx.company_id, scope, where, tuple(values))
    total = selection.count(ctx.conn)
    records = selection.page(ctx.conn, ", ".join([*order, "recordno"]), size, start - 1)
    lookup = convert.record_lookup(ctx.conn, ctx.company_id)
    rows = [{name: convert.flat_value(robj, odef.field, record, name, lookup) for name in fields}
            for record in records]
    following = start + size if start - 1 + size < total else None
    previous = max(1, start - size) if start > 1 else None
    return {"ia::result": rows,
            "ia::meta": {"totalCount": total, "start": start, "pageSize": size, "next": following,
                         "previous": previous}}


def _order(robj: objects.RestObject, odef: Any, item: Any) -> str:
    if not isinstance(item, dict) or len(item) != 1:
        raise bad_request('Each orderBy item is {"field": "asc"|"desc"}')
    name, direction = next(iter(item.items()))
    fmap = robj.field(name)
    field = odef.field(fmap.stored) if fmap else None
    if field is None or str(direction).lower() not in ("asc", "desc"):
        raise bad_request(f"Cannot order {robj.path} by {name} {direction}")
    return f"{sort_sql(odef, field)} {str(direction).upper()}"

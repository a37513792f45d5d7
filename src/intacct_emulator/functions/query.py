"""The ``query`` function: select/filter/orderby/options with offset paging and aggregates."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from typing import Any

from lxml import etree

from ..backend.catalogue import DECIMAL, INTEGER, Field, ObjectDef
from ..backend.filters import And, Compare, FilterError, compile_filter, field_sql, resolve_field, sort_sql
from ..backend.relations import fill_related
from ..backend.search import Selection
from ..backend.values import CENT, to_wire
from .base import CallContext, FunctionOutcome, check_permission, require_object
from .query_parse import QuerySpec, fail, parse_query_function
from .reads import parse_pagesize
from .xmlout import data_element, field_rows

QUERY_MAX_PAGE = 2000


def _offset(text: str | None) -> int:
    if text is None or text == "":
        return 0
    if not text.isdigit() or len(text) > 18:
        raise fail(f"Invalid offset {text}", "offset must be a whole number of 0 or more.")
    return int(text)


def _fields(odef: ObjectDef, names: Iterable[str]) -> list[Field]:
    try:
        return [resolve_field(odef, n) for n in names]
    except FilterError as exc:
        raise fail(str(exc)) from None


def _selection(ctx: CallContext, odef: ObjectDef, spec: QuerySpec) -> Selection:
    node = spec.filter
    if spec.docparid and odef.field("DOCPARID") is not None:
        clause = Compare("DOCPARID", "=", (spec.docparid,))
        node = clause if node is None else And((node, clause))
    try:
        where, params = compile_filter(odef, node, spec.case_insensitive)
    except FilterError as exc:
        raise fail(str(exc)) from None
    return Selection(odef, ctx.company_id, ctx.scope(spec.show_private), where, tuple(params))


def query(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Run a query; records come back upper-case with totalcount/offset/count/numremaining."""
    spec = parse_query_function(fn)
    odef = require_object(spec.object_name)
    check_permission(ctx, "query", odef)
    pagesize = parse_pagesize(spec.pagesize, QUERY_MAX_PAGE)
    offset = _offset(spec.offset)
    selection = _selection(ctx, odef, spec)
    if spec.aggregates:
        rows, total = _aggregate(ctx, odef, spec, selection, pagesize, offset)
    else:
        rows, total = _records(ctx, odef, spec, selection, pagesize, offset)
    data = data_element(listtype=odef.name, totalcount=total, offset=offset, count=len(rows),
                        numremaining=max(total - offset - len(rows), 0))
    data.extend(rows)
    return FunctionOutcome([data], billable=1)


def _records(ctx: CallContext, odef: ObjectDef, spec: QuerySpec, selection: Selection, pagesize: int,
             offset: int) -> tuple[list[etree._Element], int]:
    """One page of records in the asked order (RECORDNO breaks ties), with related paths filled in."""
    fields = _fields(odef, spec.fields)
    names = list(dict.fromkeys(f.name for f in fields))
    fields = [next(f for f in fields if f.name == n) for n in names]
    order = [f"{sort_sql(odef, f)} {'DESC' if desc else 'ASC'}"
             for f, (_, desc) in zip(_fields(odef, [n for n, _ in spec.order]), spec.order)]
    order_sql = ", ".join([*order, "recordno ASC"])
    records = selection.page(ctx.conn, order_sql, pagesize, offset)
    fill_related(ctx.conn, ctx.company_id, odef, records, names)
    rows = field_rows(odef.name, fields, names, records)
    return rows, selection.count(ctx.conn)


def _number(field: Field, raw: Any) -> Any:
    if raw is None or raw == "":
        return None
    if field.type == DECIMAL:
        return decimal.Decimal(str(raw))
    if field.type == INTEGER:
        return int(raw)
    return raw


def _summarise(func: str, field: Field, values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if func == "count":
        return str(len(present))
    if not present:
        return ""
    if func in ("min", "max"):
        return to_wire(field, min(present) if func == "min" else max(present))
    numbers = [decimal.Decimal(str(v)) for v in present]
    total = sum(numbers, decimal.Decimal(0))
    if func == "sum":
        return str(total)
    return str((total / len(numbers)).quantize(CENT))


def _aggregate(ctx: CallContext, odef: ObjectDef, spec: QuerySpec, selection: Selection, pagesize: int,
               offset: int) -> tuple[list[etree._Element], int]:
    """Group by the plain selected fields and compute count/sum/avg/min/max exactly."""
    group_fields = _fields(odef, spec.fields)
    agg_fields = _fields(odef, [name for _, name in spec.aggregates])
    for (func, _), f in zip(spec.aggregates, agg_fields):
        if func in ("sum", "avg") and f.type not in (DECIMAL, INTEGER):
            raise fail(f"Cannot {func} the non-numeric field {f.name}")
    exprs = [field_sql(odef, f) for f in [*group_fields, *agg_fields]]
    groups: dict[tuple, list[list[Any]]] = {}
    for row in selection.column_values(ctx.conn, exprs):
        key = tuple(row[: len(group_fields)])
        bucket = groups.setdefault(key, [[] for _ in agg_fields])
        for i, f in enumerate(agg_fields):
            bucket[i].append(_number(f, row[len(group_fields) + i]))
    if not groups and not group_fields:
        groups[()] = [[] for _ in agg_fields]
    keys = sorted(groups, key=lambda k: tuple("" if v is None else str(v) for v in k))
    for name, desc in reversed(spec.order):
        if name.upper() in [f.name.upper() for f in group_fields]:
            i = [f.name.upper() for f in group_fields].index(name.upper())
            keys.sort(key=lambda k: "" if k[i] is None else str(k[i]), reverse=desc)
    rows = []
    for key in keys[offset: offset + pagesize]:
        node = etree.Element(odef.name)
        for f, value in zip(group_fields, key):
            etree.SubElement(node, f.name).text = to_wire(f, value)
        for (func, _), f, vals in zip(spec.aggregates, agg_fields, groups[key]):
            etree.SubElement(node, f"{func.upper()}.{f.name}").text = _summarise(func, f, vals)
        rows.append(node)
    return rows, len(keys)

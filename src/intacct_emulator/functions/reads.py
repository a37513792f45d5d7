"""readByQuery, readMore, read and readByName."""

from __future__ import annotations

from lxml import etree

from ..backend.catalogue import ObjectDef
from ..backend.filters import FilterError, compile_filter
from ..backend.legacy_query import parse_query
from ..backend.records import find_by_id, get_record
from ..backend.resultsets import Page, find_result_set, open_result_set, read_more
from ..backend.search import Selection
from .base import CallContext, ErrorInfo, FunctionFailure, FunctionOutcome, check_permission, child_text, require_object
from .xmlout import QUERY_FAILED, data_element, parse_field_list, record_elements

READ_BY_QUERY_MAX_PAGE = 1000
DEFAULT_PAGE = 100
MAX_READ_KEYS = 100


def parse_pagesize(text: str | None, maximum: int, default: int = DEFAULT_PAGE) -> int:
    """A page size within 1..maximum, or a failure saying the allowed range."""
    if text is None or text == "":
        return default
    try:
        size = int(text)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise FunctionFailure(ErrorInfo(QUERY_FAILED, f"Invalid pagesize {text}",
                                        f"pagesize must be between 1 and {maximum}."))
    return size


def _docparid_filter(odef: ObjectDef, docparid: str | None, query: str | None) -> str | None:
    """Restrict SODOCUMENT reads to one transaction definition when ``docparid`` names it."""
    if not docparid or odef.field("DOCPARID") is None:
        return query
    escaped = docparid.replace("\\", "\\\\").replace("'", "\\'")
    clause = f"DOCPARID = '{escaped}'"
    return f"({query}) AND {clause}" if query and query.strip() else clause


def _page_outcome(odef: ObjectDef, page: Page) -> FunctionOutcome:
    data = data_element(listtype=odef.name.lower(), count=len(page.records), totalcount=page.total,
                        numremaining=page.remaining, resultId=page.result_id)
    data.extend(record_elements(odef.name.lower(), odef, page.records, page.fields))
    return FunctionOutcome([data], billable=1)


def read_by_query(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Legacy string query; lower-case records; the rest kept for readMore."""
    odef = require_object(child_text(fn, "object"))
    check_permission(ctx, "readByQuery", odef)
    fields = parse_field_list(odef, child_text(fn, "fields"))
    pagesize = parse_pagesize(child_text(fn, "pagesize"), READ_BY_QUERY_MAX_PAGE)
    query = _docparid_filter(odef, child_text(fn, "docparid"), child_text(fn, "query"))
    try:
        where, params = compile_filter(odef, parse_query(query))
    except FilterError as exc:
        raise FunctionFailure(ErrorInfo(QUERY_FAILED, str(exc), f"Query: {query}")) from None
    selection = Selection(odef, ctx.company_id, ctx.scope(), where, tuple(params))
    page = open_result_set(ctx.conn, selection, user_id=ctx.user.user_id, fields=fields, pagesize=pagesize,
                           now=ctx.now, minutes=ctx.backend.result_set_minutes)
    return _page_outcome(odef, page)


def read_more_handler(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """The next page of a readByQuery result set, by resultId or by object (the caller's latest)."""
    result_id = child_text(fn, "resultId")
    object_name = child_text(fn, "object")
    rs = find_result_set(ctx.conn, ctx.company_id, ctx.user.user_id, ctx.now,
                         result_id=result_id, object_name=None if result_id else object_name)
    if rs is None:
        asked = result_id if result_id is not None else (object_name or "")
        raise FunctionFailure(ErrorInfo("readMore failed", "readMore failed",
                                        f"Attempt to readMore with an invalid or expired resultId: {asked}"))
    odef = require_object(rs.object)
    check_permission(ctx, "readMore", odef)
    page = read_more(ctx.conn, rs, odef, ctx.now, ctx.backend.result_set_minutes)
    return _page_outcome(odef, page)


def _keys(fn: etree._Element) -> list[str]:
    text = child_text(fn, "keys") or ""
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if len(keys) > MAX_READ_KEYS:
        raise FunctionFailure(ErrorInfo(QUERY_FAILED, f"Too many keys: {len(keys)}",
                                        f"read and readByName accept at most {MAX_READ_KEYS} keys."))
    return keys


def _read_outcome(ctx: CallContext, fn: etree._Element, odef: ObjectDef, records: list[dict]) -> FunctionOutcome:
    fields_text = child_text(fn, "fields")
    names = parse_field_list(odef, fields_text)
    whole = fields_text is None or fields_text.strip() in ("", "*")
    data = data_element(listtype=odef.name, count=len(records))
    data.extend(record_elements(odef.name, odef, records, names, with_lines=whole))
    return FunctionOutcome([data], billable=1)


def read(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Records by RECORDNO, upper-case, with their lines when all fields are asked; missing keys are absent."""
    odef = require_object(child_text(fn, "object"))
    check_permission(ctx, "read", odef)
    keys = _keys(fn)
    scope = ctx.scope()
    if keys:
        records = [r for k in keys if (r := get_record(ctx.conn, ctx.company_id, odef.name, k, scope))]
    else:
        records = Selection(odef, ctx.company_id, scope).page(ctx.conn, "recordno", MAX_READ_KEYS, 0)
    return _read_outcome(ctx, fn, odef, records)


def read_by_name(ctx: CallContext, fn: etree._Element) -> FunctionOutcome:
    """Records by their id field (ACCOUNTNO, CUSTOMERID, ...); missing names are absent."""
    odef = require_object(child_text(fn, "object"))
    check_permission(ctx, "readByName", odef)
    scope = ctx.scope()
    records = [r for k in _keys(fn) if (r := find_by_id(ctx.conn, odef, ctx.company_id, k, scope))]
    return _read_outcome(ctx, fn, odef, records)

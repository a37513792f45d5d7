"""GLBATCH hooks for the generic writes: posting rules before, line numbering after."""

from __future__ import annotations

from ..backend.catalogue import ObjectDef
from ..backend.glbatch_rules import check_glbatch
from ..backend.objects import get_object
from ..backend.records import Record, next_recordno, save_record
from .base import BUSINESS_ERROR, CallContext, ErrorInfo, FunctionFailure


def prepare_glbatch(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    """Refuse an entry that breaks any posting rule, listing every problem (BL01001973 each)."""
    closed = ctx.backend.closed_through(ctx.conn, ctx.company_id, ctx.entity_id)
    problems = check_glbatch(ctx.conn, ctx.company_id, ctx.reference_scope(), closed, record)
    if problems:
        verb = "update" if previous else "create"
        errors = [ErrorInfo(BUSINESS_ERROR, d, d2) for d, d2 in problems]
        errors.append(ErrorInfo(BUSINESS_ERROR, f"Could not {verb} GLBATCH record!"))
        raise FunctionFailure(errors)
    if previous is not None:
        record["BATCHNO"] = previous.get("BATCHNO", previous["RECORDNO"])
        _number_lines(ctx, record)
    return record


def _number_lines(ctx: CallContext, record: Record) -> None:
    for line in record.get("ENTRIES", []):
        line["BATCHNO"] = record["RECORDNO"]
        if not line.get("RECORDNO"):
            line["RECORDNO"] = str(next_recordno(ctx.conn, ctx.company_id))


def number_glbatch(ctx: CallContext, record: Record) -> None:
    """After insert: BATCHNO is the entry's RECORDNO; each line gets its own RECORDNO."""
    record["BATCHNO"] = record["RECORDNO"]
    _number_lines(ctx, record)
    save_record(ctx.conn, get_object("GLBATCH"), ctx.company_id, record, now=ctx.now, user_id=ctx.user.user_id)

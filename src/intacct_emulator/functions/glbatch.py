"""GLBATCH hook for the generic writes: the posting rules, then BATCHNO and line RECORDNOs."""

from __future__ import annotations

from ..backend.catalogue import ObjectDef
from ..backend.glbatch_rules import check_glbatch
from ..backend.records import Record, next_recordno
from .base import BUSINESS_ERROR, CallContext, ErrorInfo, FunctionFailure


def prepare_glbatch(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    """Refuse an entry that breaks any posting rule, listing every problem (BL01001973 each)."""
    closed = ctx.backend.closed_through(ctx.conn, ctx.company_id, ctx.entity_id)
    multi_entity = bool(ctx.backend.entities(ctx.conn, ctx.company_id))
    problems = check_glbatch(ctx.conn, ctx.company_id, ctx.reference_scope(), closed, record,
                             multi_entity=multi_entity)
    if problems:
        verb = "update" if previous else "create"
        errors = [ErrorInfo(BUSINESS_ERROR, d, d2) for d, d2 in problems]
        errors.append(ErrorInfo(BUSINESS_ERROR, f"Could not {verb} GLBATCH record!"))
        raise FunctionFailure(errors)
    record["BATCHNO"] = record["RECORDNO"]
    stamp = ctx.now.replace(tzinfo=None, microsecond=0).isoformat()
    record.update({"MODIFIED": stamp, "MODIFIEDBYID": ctx.user.user_id, "USERINFO.LOGINID": ctx.user.user_id})
    for line in record.get("ENTRIES", []):
        line["BATCHNO"] = record["RECORDNO"]
        if not line.get("RECORDNO"):
            line["RECORDNO"] = str(next_recordno(ctx.conn, ctx.company_id))
    return record

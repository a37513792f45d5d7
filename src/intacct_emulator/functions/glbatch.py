"""GLBATCH hooks for the generic writes: the posting rules, line numbering, and the GLENTRY line object."""

from __future__ import annotations

from ..backend.catalogue import ObjectDef
from ..backend.errors import RuleViolation
from ..backend.glbatch_rules import check_glbatch
from ..backend.objects import get_object
from ..backend.records import EVERYTHING, Record, insert_records, next_recordnos, stored_timestamp
from ..backend.writemarks import wrote
from .base import CallContext
from .legacy_in import violation_failure


def prepare_glbatch(ctx: CallContext, odef: ObjectDef, record: Record, previous: Record | None) -> Record:
    """Refuse an entry that breaks any posting rule, listing every problem (BL01001973 each)."""
    closed = ctx.lookups.closed_through(ctx.entity_id)
    problems = check_glbatch(ctx.conn, ctx.company_id, ctx.reference_scope(), closed, record,
                             multi_entity=ctx.lookups.is_multi_entity(), finder=ctx.lookups.find)
    if problems:
        verb = "update" if previous else "create"
        raise violation_failure(RuleViolation(problems), f"Could not {verb} GLBATCH record!")
    record["BATCHNO"] = record["RECORDNO"]
    stamp = stored_timestamp(ctx.now)
    record.update({"MODIFIED": stamp, "MODIFIEDBYID": ctx.user.user_id, "USERINFO.LOGINID": ctx.user.user_id})
    lines = record.get("ENTRIES", [])
    numbers = iter(next_recordnos(ctx.conn, ctx.company_id, sum(1 for line in lines if not line.get("RECORDNO"))))
    for line in lines:
        line["BATCHNO"] = record["RECORDNO"]
        if not line.get("RECORDNO"):
            line["RECORDNO"] = str(next(numbers))
    return record


def _line_record(batch: Record, line: Record, account: Record | None) -> Record:
    """One GLENTRY record: the line plus the header facts the line object shows."""
    return {
        **{k: v for k, v in line.items() if k not in ("RECORDNO",)},
        "BATCH_NUMBER": batch["RECORDNO"], "BATCH_DATE": batch.get("BATCH_DATE", ""),
        "BATCHTITLE": batch.get("BATCH_TITLE", ""), "JOURNAL": batch.get("JOURNAL", ""),
        "STATE": batch.get("STATE", ""), "ACCOUNTKEY": account.get("RECORDNO", "") if account else "",
        "ACCOUNTTITLE": account.get("TITLE", "") if account else "", "STATISTICAL": "F",
    }


def sync_lines(ctx: CallContext, batch: Record, previous: Record | None) -> None:
    """Keep the GLENTRY object in step with the entry: its lines, under their own RECORDNOs."""
    line_def, account_def = get_object("GLENTRY"), get_object("GLACCOUNT")
    if previous is not None:  # a new entry has no lines yet
        remove_lines(ctx, batch)
    entity = ctx.lookups.entity(batch["MEGAENTITYID"]) if batch.get("MEGAENTITYID") else None
    lines = []
    for line in batch.get("ENTRIES", []):
        account = ctx.find_reference(account_def, str(line.get("ACCOUNTNO", "")), EVERYTHING)
        lines.append((int(line["RECORDNO"]), _line_record(batch, line, account)))
    insert_records(ctx.conn, line_def, ctx.company_id, lines, entity=entity, now=ctx.now, user_id=ctx.user.user_id)


def remove_lines(ctx: CallContext, batch: Record) -> None:
    """Drop the GLENTRY records of an entry (before it is rewritten or deleted)."""
    wrote(ctx.conn, "GLENTRY")
    ctx.conn.execute("DELETE FROM records WHERE company_id = ? AND object = 'GLENTRY' AND ref_value = ?",
                     (ctx.company_id, str(batch["RECORDNO"])))

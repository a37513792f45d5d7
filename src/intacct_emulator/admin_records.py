"""`/_emulator/records/*` admin endpoints: change, delete or bulk-create records as someone in Intacct would.

Not part of Intacct. Tests, the demo and benchmarks use them to make the drift a
reconciliation must find (an entry edited or deleted by hand in Intacct) and to
load thousands of records quickly. Every write goes through the same rules and
follow-up hooks as the gateway's (GLENTRY lines stay in step with their GLBATCH);
records are given in stored form (text values, lines as a list under the container).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from intacct_emulator.backend.catalogue import ObjectDef
from intacct_emulator.backend.objects import get_object
from intacct_emulator.backend.records import get_record
from intacct_emulator.functions.base import CallContext, FunctionFailure
from intacct_emulator.functions.writes import create_record, delete_records, update_record

if TYPE_CHECKING:
    from intacct_emulator.app import EmulatorState

BULK_LIMIT = 5000  # records per call: one transaction each


class AdminRefused(ValueError):
    """The change cannot be made; the message says why (answered 400)."""


def _context(state: EmulatorState, conn: sqlite3.Connection, company_id: str, entity_id: str | None) -> CallContext:
    """Act as the company's first user allowed everything, at the record's entity."""
    row = conn.execute("SELECT user_id FROM users WHERE company_id = ? AND permissions LIKE '%\"*\"%' "
                       "ORDER BY user_id LIMIT 1", (company_id,)).fetchone()
    if row is None:
        raise AdminRefused(f"company {company_id!r} has no user allowed to write everything")
    user = state.backend.user(conn, company_id, row["user_id"])
    assert user is not None
    return CallContext(state.backend, conn, company_id, user, entity_id, dt.datetime.now(dt.timezone.utc))


def _object(name: Any) -> ObjectDef:
    odef = get_object(str(name))
    if odef is None:
        raise AdminRefused(f"unknown object {name!r}")
    return odef


def _stored(conn: sqlite3.Connection, company_id: str, object_name: str, recordno: Any) -> dict[str, Any]:
    record = get_record(conn, company_id, object_name, str(recordno))
    if record is None:
        raise AdminRefused(f"no {object_name} with RECORDNO {recordno} in company {company_id!r}")
    return record


def _failure_text(exc: FunctionFailure) -> str:
    return "; ".join(" ".join(filter(None, (e.description, e.description2))) for e in exc.errors)


def update(state: EmulatorState, conn: sqlite3.Connection, payload: dict[str, Any]) -> dict[str, Any]:
    """Merge `fields` into the record; `lines` ({"line": n (0-based), "fields": {...}}) change single lines."""
    company_id, odef = payload["company"], _object(payload["object"])
    previous = _stored(conn, company_id, odef.name, payload["recordno"])
    lines = None
    if payload.get("lines"):
        if odef.lines is None:
            raise AdminRefused(f"{odef.name} has no lines")
        lines = [dict(line) for line in previous.get(odef.lines.container, [])]
        for change in payload["lines"]:
            index = int(change["line"])
            if not 0 <= index < len(lines):
                raise AdminRefused(f"{odef.name} {payload['recordno']} has no line {index}")
            lines[index].update({k: str(v) for k, v in change["fields"].items()})
    changes = {k: str(v) for k, v in (payload.get("fields") or {}).items()}
    if lines is not None:
        changes = {**_totals_follow_lines(previous, previous.get(odef.lines.container, []), lines), **changes}
    ctx = _context(state, conn, company_id, previous.get("MEGAENTITYID") or None)
    return update_record(ctx, odef, previous, changes, lines)


def _totals_follow_lines(header: dict[str, Any], before: list[dict[str, Any]], after: list[dict[str, Any]],
                         ) -> dict[str, str]:
    """A document's header totals moved by what its lines' amounts moved (Intacct recomputes them on an edit).
    GLBATCH has no header totals; documents keep TOTALENTERED/TOTALDUE and their TRX_ copies."""
    def total(lines: list[dict[str, Any]]) -> Decimal:
        return sum((Decimal(str(line.get("AMOUNT") or line.get("TRX_AMOUNT") or 0)) for line in lines), Decimal(0))

    delta = total(after) - total(before)
    fields = ("TOTALENTERED", "TRX_TOTALENTERED", "TOTALDUE", "TRX_TOTALDUE")
    if not delta:
        return {}
    return {name: str((Decimal(str(header[name] or 0)) + delta).quantize(Decimal("0.01")))
            for name in fields if name in header}


def delete(state: EmulatorState, conn: sqlite3.Connection, payload: dict[str, Any]) -> dict[str, Any]:
    company_id, odef = payload["company"], _object(payload["object"])
    record = _stored(conn, company_id, odef.name, payload["recordno"])
    delete_records(_context(state, conn, company_id, record.get("MEGAENTITYID") or None), odef, [record])
    return {"deleted": record["RECORDNO"]}


def bulk_create(state: EmulatorState, conn: sqlite3.Connection, payload: dict[str, Any]) -> dict[str, Any]:
    """Create many records in one transaction (all or nothing), each through the gateway's rules."""
    company_id, odef = payload["company"], _object(payload["object"])
    records = payload.get("records") or []
    if not isinstance(records, list) or len(records) > BULK_LIMIT:
        raise AdminRefused(f"records must be a list of at most {BULK_LIMIT}")
    ctx = _context(state, conn, company_id, payload.get("entity") or None)
    keys = [create_record(ctx, odef, dict(record))["RECORDNO"] for record in records]
    return {"created": len(keys), "recordnos": keys}


def routes(state: EmulatorState) -> list[Route]:
    def endpoint(work: Any) -> Any:
        async def handle(request: Request) -> JSONResponse:
            try:
                payload = await request.json()
                if not isinstance(payload, dict):
                    raise AdminRefused("the body must be a JSON object")
                return JSONResponse(await state.in_db(lambda conn: work(state, conn, payload)))
            except FunctionFailure as exc:
                return JSONResponse({"error": _failure_text(exc)}, status_code=400)
            except (AdminRefused, KeyError, TypeError, ValueError) as exc:
                return JSONResponse({"error": f"expected {{company, object, ...}}: {exc}"}, status_code=400)
        return handle

    return [
        Route("/_emulator/records/update", endpoint(update), methods=["POST"]),
        Route("/_emulator/records/delete", endpoint(delete), methods=["POST"]),
        Route("/_emulator/records/bulk", endpoint(bulk_create), methods=["POST"]),
    ]

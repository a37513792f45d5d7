"""CSV exports of the lists (actions, runs, errors), produced a row at a time so any size streams.

Each export takes the same filters and sort as its list, so "Export CSV" gives what the list
shows, every page of it. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab,
carriage return first) are prefixed with an apostrophe; amounts stay plain numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from intacct_bridge.domain.error_classes import ErrorClass
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories.actions import ActionFilter, iter_action_rows
from intacct_bridge.store.repositories.runs import RunFilter, iter_runs

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ACTION_COLUMNS = ("id", "external_id", "happened_at", "created_at", "type", "amount", "status", "constituent_id",
                  "constituent_name", "summary", "url", "campaigns", "posted_at", "intacct_recordno", "last_error")
RUN_COLUMNS = ("id", "started_at", "finished_at", "status", "trigger", "dry_run", "candidates", "invalid", "posted",
               "failed", "api_transactions", "message")
ERROR_COLUMNS = ("id", "record_kind", "record_id", "status", "error_class", "label", "reasons", "fix", "attempts",
                 "run_id", "updated_at", "resolved_at", "resolved_by", "resolution")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The header, then each row, as CSV text lines (RFC 4180 quoting, \\r\\n endings)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Sequence[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(header)
    for row in rows:
        yield line([cell(v) for v in row])


def actions_csv(session: Session, workspace_id: int, filters: ActionFilter = ActionFilter(), *, sort: str = "id",
                descending: bool = False) -> Iterator[str]:
    rows = ((a["id"], a["external_id"], a["happened_at"], a["created_at"], a["type"], a["amount"], a["status"],
             a["constituent_external_id"], a["constituent_name"], a["summary"], a["url"], "; ".join(a["campaigns"]),
             a["posted_at"], a["intacct_recordno"], a["last_error"])
            for a in iter_action_rows(session, workspace_id, filters, sort=sort, descending=descending))
    return lines(ACTION_COLUMNS, rows)


def runs_csv(session: Session, workspace_id: int, filters: RunFilter = RunFilter(), *, sort: str = "id",
             descending: bool = True) -> Iterator[str]:
    rows = ((r.id, r.started_at, r.finished_at, r.status, r.trigger, r.dry_run, r.candidates, r.invalid, r.posted,
             r.failed, r.api_transactions, r.message)
            for r in iter_runs(session, workspace_id, filters, sort=sort, descending=descending))
    return lines(RUN_COLUMNS, rows)


def errors_csv(session: Session, workspace_id: int, *, classes: Sequence[ErrorClass] = (),
               record_kinds: Sequence[str] = (), state: str = error_queue.OPEN, batch: int = 500,
               updated_from: datetime | None = None, updated_to: datetime | None = None, sort: str = "id",
               descending: bool = False) -> Iterator[str]:
    """The errors the list shows with the same filters and order, every page of them."""
    def items() -> Iterator[error_queue.ErrorItem]:
        offset = 0
        while True:
            page = error_queue.list_errors(session, workspace_id, classes=classes, record_kinds=record_kinds,
                                           state=state, limit=batch, offset=offset, updated_from=updated_from,
                                           updated_to=updated_to, sort=sort, descending=descending)
            yield from page
            if len(page) < batch:
                return
            offset += batch

    rows = ((e.id, e.record_kind, e.record_id, e.status, e.error_class, e.label,
             "; ".join(f"{r.get('field') or 'record'}: {r.get('message', '')}" for r in e.reasons), e.fix,
             e.attempts, e.run_id, e.updated_at, e.resolved_at, e.resolved_by, e.resolution) for e in items())
    return lines(ERROR_COLUMNS, rows)

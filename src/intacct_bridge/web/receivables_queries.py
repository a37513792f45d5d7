"""Store queries the console's order-to-cash pages need: a filtered page of one kind, its review flags,
one record's run history, a run's log across every kind, and the settings as the form shows them.

All are scoped by workspace id: nothing here can reach another workspace's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.errors import NotFound
from intacct_bridge.store.models import Action, DimensionValue, ReceivablesSettingsRow, ReviewFlag, RunItem, SyncRun
from intacct_bridge.store.repositories.receivables import SEARCHED
from intacct_bridge.store.repositories.receivables_intake import MODELS, noun


@dataclass(frozen=True)
class RecordFilter:
    status: ActionStatus | None = None
    search: str | None = None
    review_only: bool = False
    date_from: date | None = None     # the record's own date (invoice, receipt, memo, bill...), both ends included
    date_to: date | None = None
    amount_min: Decimal | None = None  # kinds with a stored amount (payments)
    amount_max: Decimal | None = None
    after_id: int = 0                  # only records added after this id (the list after an import)


# Each kind's own date and stored amount, for the filters and the sort (customers, vendors and items have none).
DATE_COLUMNS = {RecordKind.INVOICE: "invoice_date", RecordKind.PAYMENT: "received_on",
                RecordKind.CREDIT_MEMO: "memo_date", RecordKind.BILL: "bill_date",
                RecordKind.AP_ADJUSTMENT: "adjustment_date"}
AMOUNT_COLUMNS = {RecordKind.PAYMENT: "amount"}
RECORD_SORTS = ("id", "external_id", "date", "amount", "status")


def sort_column(kind: RecordKind, sort: str) -> Any:
    """The column a kind's list sorts by (`date`/`amount` fall back to the id for a kind without one)."""
    model = MODELS[kind]
    name = {"date": DATE_COLUMNS.get(kind), "amount": AMOUNT_COLUMNS.get(kind)}.get(sort, sort)
    if sort not in RECORD_SORTS:
        raise NotFound(f"a list cannot be sorted by {sort!r}: use one of {', '.join(RECORD_SORTS)}")
    return getattr(model, name or "id")


@dataclass(frozen=True)
class Flag:
    """Why a record needs review: `invalid` (our rules) or `rejected` (Intacct refused it)."""

    kind: str
    reasons: list[dict[str, str]]


@dataclass(frozen=True)
class HistoryItem:
    run_id: int
    started_at: datetime
    dry_run: bool
    outcome: str
    message: str | None


@dataclass(frozen=True)
class LogLine:
    """One line of a run's log, whatever the record's kind (`kind` is a `RecordKind` value)."""

    item_id: int
    kind: str
    record_id: int
    external_id: str | None
    outcome: str
    message: str | None
    defaults_used: list[dict[str, str]] | None = None   # the mapping defaults and rules that filled campaigns


def _flagged_ids(workspace_id: int, kind: RecordKind) -> Select[Any]:
    return select(ReviewFlag.record_id).where(ReviewFlag.workspace_id == workspace_id,
                                              ReviewFlag.record_kind == kind.value)


def _filtered(workspace_id: int, kind: RecordKind, filters: RecordFilter) -> Select[Any]:
    model = MODELS[kind]
    query = select(model).where(model.workspace_id == workspace_id)
    if filters.status is not None:
        query = query.where(model.status == filters.status.value)
    if filters.search:
        needle = filters.search.strip().lower()
        query = query.where(or_(*(func.lower(getattr(model, name)).contains(needle, autoescape=True)
                                  for name in SEARCHED[kind])))
    if filters.review_only:
        query = query.where(model.id.in_(_flagged_ids(workspace_id, kind)))
    day = getattr(model, DATE_COLUMNS[kind]) if kind in DATE_COLUMNS else None
    if day is not None and filters.date_from is not None:
        query = query.where(day >= filters.date_from)
    if day is not None and filters.date_to is not None:
        query = query.where(day <= filters.date_to)
    amount = getattr(model, AMOUNT_COLUMNS[kind]) if kind in AMOUNT_COLUMNS else None
    if amount is not None and filters.amount_min is not None:
        query = query.where(amount >= filters.amount_min)
    if amount is not None and filters.amount_max is not None:
        query = query.where(amount <= filters.amount_max)
    if filters.after_id:
        query = query.where(model.id > filters.after_id)
    return query


def page_of_records(session: Session, workspace_id: int, kind: RecordKind, filters: RecordFilter, *,
                    after_id: int, limit: int) -> list[Any]:
    """One page of a kind's records matching the filters, oldest first (keyset by id)."""
    model = MODELS[kind]
    query = _filtered(workspace_id, kind, filters).where(model.id > after_id).order_by(model.id).limit(limit)
    return list(session.scalars(query))


def sorted_records(session: Session, workspace_id: int, kind: RecordKind, filters: RecordFilter, *, sort: str,
                   descending: bool, offset: int, limit: int) -> list[Any]:
    """A numbered page of a kind's records, sorted by one of `RECORD_SORTS` (ties by id)."""
    model, column = MODELS[kind], sort_column(kind, sort)
    order = (column.desc(), model.id.desc()) if descending else (column, model.id)
    return list(session.scalars(_filtered(workspace_id, kind, filters).order_by(*order).offset(offset).limit(limit)))


def count_records(session: Session, workspace_id: int, kind: RecordKind, filters: RecordFilter) -> int:
    query = _filtered(workspace_id, kind, filters).with_only_columns(func.count()).order_by(None)
    return session.scalar(query) or 0


def record_by_id(session: Session, workspace_id: int, kind: RecordKind, record_id: int) -> Any:
    """The record with this id in this workspace; NotFound (a 404) otherwise."""
    found = session.get(MODELS[kind], record_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound(f"no {noun(kind)} {record_id} in this workspace")
    return found


def flags(session: Session, workspace_id: int, kind: RecordKind, record_ids: Sequence[int]) -> dict[int, Flag]:
    """The review flags of the flagged records among `record_ids`."""
    if not record_ids:
        return {}
    rows = session.execute(select(ReviewFlag.record_id, ReviewFlag.kind, ReviewFlag.reasons).where(
        ReviewFlag.workspace_id == workspace_id, ReviewFlag.record_kind == kind.value,
        ReviewFlag.record_id.in_(list(record_ids))))
    return {record_id: Flag(flag_kind, list(reasons or [])) for record_id, flag_kind, reasons in rows}


def run_history(session: Session, workspace_id: int, kind: RecordKind, record_id: int,
                limit: int = 50) -> list[HistoryItem]:
    """What each run did with this record, newest first."""
    rows = session.execute(
        select(SyncRun.id, SyncRun.started_at, SyncRun.dry_run, RunItem.outcome, RunItem.message)
        .join(SyncRun, SyncRun.id == RunItem.run_id)
        .where(SyncRun.workspace_id == workspace_id, RunItem.record_kind == kind.value,
               RunItem.record_id == record_id)
        .order_by(RunItem.id.desc()).limit(limit))
    return [HistoryItem(*row) for row in rows]


def run_log(session: Session, run_id: int, *, after_id: int, limit: int, outcome: str | None = None) -> list[LogLine]:
    """A run's log in order, a page at a time, with each record's external id whatever its kind."""
    query = (select(RunItem.id, RunItem.record_kind, RunItem.record_id, RunItem.outcome, RunItem.message,
                    RunItem.defaults_used)
             .where(RunItem.run_id == run_id, RunItem.id > after_id).order_by(RunItem.id).limit(limit))
    if outcome:
        query = query.where(RunItem.outcome == outcome)
    items = list(session.execute(query))
    wanted: dict[str, set[int]] = {}
    for _, kind, record_id, _, _, _ in items:
        wanted.setdefault(kind, set()).add(record_id)
    models = {"journal_entry": Action, "dimension_value": DimensionValue,
              **{kind.value: model for kind, model in MODELS.items()}}
    names: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        model = models.get(kind)
        if model is not None:
            names.update(((kind, i), e) for i, e in session.execute(
                select(model.id, model.external_id).where(model.id.in_(ids))))
    return [LogLine(item_id, kind, record_id, names.get((kind, record_id)), item_outcome, message, used)
            for item_id, kind, record_id, item_outcome, message, used in items]


SETTINGS_COLUMNS = tuple(c.name for c in ReceivablesSettingsRow.__table__.columns
                         if c.name not in ("workspace_id", "updated_at"))


def settings_values(session: Session, workspace_id: int) -> dict[str, Any]:
    """Every order-to-cash setting by column name, with the defaults where the workspace chose nothing yet.

    Read without creating the settings row, so showing the form never writes.
    """
    row = session.get(ReceivablesSettingsRow, workspace_id)
    table = ReceivablesSettingsRow.__table__
    if row is not None:
        return {name: getattr(row, name) for name in SETTINGS_COLUMNS}
    return {name: (table.columns[name].default.arg if table.columns[name].default is not None else None)
            for name in SETTINGS_COLUMNS}


def last_record_id(session: Session, workspace_id: int, kind: RecordKind) -> int:
    """The highest id of one kind in the workspace (0 if none): after an import, the new ones come after it."""
    model = MODELS[kind]
    return session.scalar(select(func.max(model.id)).where(model.workspace_id == workspace_id)) or 0

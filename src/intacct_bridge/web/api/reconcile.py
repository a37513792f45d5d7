"""Reconciliation over REST: what Intacct holds now against what the workspace posted. Changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select

from intacct_bridge.domain.reconciliation import HeldEntry, ReconcileReport
from intacct_bridge.store.models import ReconcileRun
from intacct_bridge.web import services
from intacct_bridge.web.api.deps import State, WorkspaceId

router = APIRouter(prefix="/workspaces/{workspace}", tags=["reconciliation"])


class ReconcileIn(BaseModel):
    since: date | None = Field(default=None, description="Only records posted on or after this date")
    kinds: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(
        default_factory=list, max_length=16, description="Record kinds (default: every kind): actions, customers, "
        "invoices, payments, credit-memos, vendors, items, bills, ap-adjustments")


class LineOut(BaseModel):
    account: str
    side: str = Field(description="debit or credit")
    amount: Decimal
    dimensions: dict[str, str]


class EntryOut(BaseModel):
    kind: str
    reference: str
    record_id: int | None = Field(description="Ours; none for an entry we have no record of")
    key: str | None = Field(description="Intacct's RECORDNO")
    date: date | None
    journal: str | None
    state: str | None
    lines: list[LineOut] = Field(description="Journal entries: their lines; documents: one line on their customer or "
                                             "vendor carrying the total; master data: none")
    party: str | None = Field(default=None, description="Documents: the customer or vendor")
    party_kind: str | None = Field(default=None, description="customer or vendor")
    fields: dict[str, str] = Field(default_factory=dict, description="Master data: the Intacct fields sent")


class DifferenceOut(BaseModel):
    field: str = Field(description="date, journal, state, amount, account, dimension, line, customer, vendor, or "
                                   "`field <Intacct field>` for master data")
    ours: str
    theirs: str


class ChangedOut(BaseModel):
    reference: str
    kind: str
    record_id: int | None
    key: str | None
    differences: list[DifferenceOut]


class TotalOut(BaseModel):
    kind: str
    period: str = Field(description="YYYY-MM")
    account: str
    side: str
    dimensions: dict[str, str]
    ours: Decimal
    theirs: Decimal
    difference: Decimal = Field(description="theirs - ours")


class KindCountsOut(BaseModel):
    compared: int
    matched: int
    missing: int
    changed: int
    unrecorded: int


class ReconcileOut(BaseModel):
    drift: bool = Field(description="True when anything is missing, changed or unrecorded")
    since: date | None
    kinds: list[str]
    compared: int
    matched: int
    by_kind: dict[str, KindCountsOut] = Field(description="The counts of each kind read, in dependency order")
    missing: list[EntryOut] = Field(description="Posted here, not in Intacct (deleted there)")
    changed: list[ChangedOut] = Field(description="In Intacct, but not as posted")
    unrecorded: list[EntryOut] = Field(description="In Intacct under our reference, not recorded as posted here")
    totals: list[TotalOut] = Field(description="Per kind, period, account, side and dimensions, both sides")
    requests: int
    api_transactions: int


def _entry(entry: HeldEntry) -> EntryOut:
    return EntryOut(**entry.as_dict())


def report_out(report: ReconcileReport) -> ReconcileOut:
    data = report.as_dict()
    return ReconcileOut(**{**data, "missing": [_entry(e) for e in report.missing],
                           "unrecorded": [_entry(e) for e in report.unrecorded]})


@router.post("/reconcile", summary="Compare what was posted with what Intacct holds now (changes nothing)",
             description="Reads back, page by page, every posted record of the chosen kinds; answers 200 with "
                         "`drift` true or false. 409 when the connection is not configured, 502 when Intacct "
                         "could not be read.")
def reconcile(body: ReconcileIn, workspace_id: WorkspaceId, state: State) -> ReconcileOut:
    try:
        report = services.reconcile_workspace(state, workspace_id, since=body.since, kinds=body.kinds or None)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return report_out(report)


class RecordedOut(BaseModel):
    """A reconciliation that ran by itself (`reconcile_schedule` daily or after_sync)."""

    id: int
    trigger: str = Field(description="schedule (daily) or after_sync")
    sync_run_id: int | None
    status: str = Field(description="running, done or failed")
    drift: bool | None
    summary: dict | None = Field(description="compared, matched, missing, changed, unrecorded, by_kind, requests, "
                                             "api_transactions and the first differences (listed)")
    message: str | None
    started_at: datetime
    finished_at: datetime | None


def _recorded(row: ReconcileRun) -> RecordedOut:
    return RecordedOut(id=row.id, trigger=row.trigger, sync_run_id=row.sync_run_id, status=row.status, drift=row.drift,
                       summary=row.summary, message=row.message, started_at=row.started_at,
                       finished_at=row.finished_at)


@router.get("/reconciliations", summary="The reconciliations that ran by themselves, newest first")
def recorded_list(workspace_id: WorkspaceId, state: State, limit: int = 20) -> list[RecordedOut]:
    with state.store.session() as session:
        rows = session.scalars(select(ReconcileRun).where(ReconcileRun.workspace_id == workspace_id)
                               .order_by(ReconcileRun.id.desc()).limit(max(1, min(limit, 200))))
        return [_recorded(row) for row in rows]


@router.get("/reconciliations/{reconcile_id}", summary="One reconciliation that ran by itself")
def recorded_one(reconcile_id: int, workspace_id: WorkspaceId, state: State) -> RecordedOut:
    with state.store.session() as session:
        row = session.get(ReconcileRun, reconcile_id)
        if row is None or row.workspace_id != workspace_id:
            raise HTTPException(404, "no such reconciliation in this workspace")
        return _recorded(row)

"""What the dashboard shows beyond the status: money posted per account, fund and period; when the next scheduled
sync runs; and the setup checklist of a new workspace, each step ticked from the store's real state.

The console draws the totals as a chart, the REST API and `Bridge.overview()` return them, and
`intacct-bridge overview` prints them. Totals come from what was sent (`postings.request_summary`
of posted records): journal entries and documents carry their lines (account, side, amount,
dimensions; `domain.posted_lines` for documents); records posted before lines were kept count in their
period only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from intacct_bridge.schedule.slots import Schedule
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Connection, IntacctValue, Posting, SyncRun, utcnow
from intacct_bridge.store.repositories.settings import load_sync_settings

JOURNAL_KINDS = ("journal_entry", "journal_reversal")   # their amount is what their debits come to
PERIODS_SHOWN = 12
BARS_SHOWN = 12


@dataclass(frozen=True)
class Bar:
    label: str
    amount: Decimal
    detail: str = ""    # e.g. "debit", the kind of record


@dataclass
class PostedTotals:
    """Money posted, largest first (accounts, funds) or by period (the last `PERIODS_SHOWN` months)."""

    by_account: list[Bar] = field(default_factory=list)
    by_fund: list[Bar] = field(default_factory=list)
    by_period: list[Bar] = field(default_factory=list)
    fund_label: str | None = None
    records: int = 0
    total: Decimal = Decimal("0.00")

    def as_dict(self) -> dict[str, Any]:
        def bars(items: list[Bar]) -> list[dict[str, str]]:
            return [{"label": b.label, "amount": str(b.amount), "detail": b.detail} for b in items]
        return {"by_account": bars(self.by_account), "by_fund": bars(self.by_fund),
                "by_period": bars(self.by_period), "fund_label": self.fund_label, "records": self.records,
                "total": str(self.total)}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or "0")).quantize(Decimal("0.01"))


def posted_totals(session: Session, workspace_id: int) -> PostedTotals:
    """Sums over every posted record of the workspace (a reversal's lines count with their own sides)."""
    settings = load_sync_settings(session, workspace_id)
    fund = settings.custom_field
    accounts: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    funds: dict[str, Decimal] = defaultdict(Decimal)
    periods: dict[str, Decimal] = defaultdict(Decimal)
    totals = PostedTotals(fund_label=fund.label if fund else None)
    rows = session.execute(select(Posting.record_kind, Posting.amount, Posting.posting_date, Posting.request_summary)
                           .where(Posting.workspace_id == workspace_id, Posting.state == "posted")
                           .execution_options(yield_per=2000))
    for kind, amount, posting_date, summary in rows:
        summary = summary or {}
        lines = summary.get("lines") or []
        if lines:
            debit = Decimal("0.00")
            for line in lines:
                value = _money(line.get("amount"))
                accounts[(str(line.get("account")), str(line.get("side")))] += value
                if line.get("side") == "debit":
                    debit += value
                    if fund is not None:
                        funds[str(line.get("dimensions", {}).get(fund.gl_field) or "none")] += value
            amount = debit if kind in JOURNAL_KINDS else amount
        amount = _money(amount if amount is not None else summary.get("total") or summary.get("amount"))
        if posting_date is not None:
            periods[posting_date.strftime("%Y-%m")] += amount
        totals.records += 1
        totals.total += amount
    totals.by_account = [Bar(account, value, side) for (account, side), value in
                         sorted(accounts.items(), key=lambda kv: (-kv[1], kv[0]))[:BARS_SHOWN]]
    totals.by_fund = [Bar(name, value) for name, value in sorted(funds.items(), key=lambda kv: (-kv[1], kv[0]))
                      [:BARS_SHOWN]]
    totals.by_period = [Bar(period, periods[period]) for period in sorted(periods)[-PERIODS_SHOWN:]]
    return totals


def next_sync(schedule: Schedule | None, now: datetime | None = None) -> datetime | None:
    """When the schedule fires next (aware, in the workspace's zone), or None without a schedule."""
    if schedule is None:
        return None
    trigger = schedule.trigger()
    if trigger is None:
        return None
    return trigger.get_next_fire_time(None, now or utcnow())


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    hint: str


def checklist(session: Session, workspace_id: int) -> list[Step]:
    """Connect → test → settings → pull → first dry run, each from what the store holds now."""
    connection = session.get(Connection, workspace_id)
    problems = load_sync_settings(session, workspace_id).problems()
    pulled = session.scalar(select(exists().where(IntacctValue.workspace_id == workspace_id)))
    dry = session.scalar(select(exists().where(SyncRun.workspace_id == workspace_id, SyncRun.dry_run.is_(True),
                                               SyncRun.status != "failed")))
    return [
        Step("connect", "Connect to Sage Intacct", connection is not None,
             "Enter the company, Web Services user and password."),
        Step("test", "Test the connection", bool(connection and connection.last_test_ok),
             "Check that Intacct accepts the credentials."),
        Step("settings", "Choose the sync settings", connection is not None and not problems,
             problems[0].message if problems else "Journal, dimensions and posting mode."),
        Step("pull", "Pull accounts and dimensions", bool(pulled),
             "Read the chart of accounts and dimensions from Intacct."),
        Step("dry_run", "Do a first dry run", bool(dry), "See what would be posted, without sending anything."),
    ]


def workspace_overview(store: Store, workspace_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Everything above as JSON-able data (the REST API, `Bridge.overview()`, `intacct-bridge overview`)."""
    from intacct_bridge.web.scheduler import read_schedules  # the schedule as the scheduler reads it

    schedules = read_schedules(store, workspace_id)
    moment = next_sync(schedules[0] if schedules else None, now)
    with store.session() as session:
        return {"posted": posted_totals(session, workspace_id).as_dict(),
                "next_sync": moment.isoformat() if moment else None,
                "checklist": [vars(s) for s in checklist(session, workspace_id)]}

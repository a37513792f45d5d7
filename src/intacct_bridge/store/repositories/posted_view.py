"""What was posted for one record, and what its dry runs would have posted, as a finance admin reads it.

Every kind's posting keeps a summary of what was sent (`postings.request_summary`); a dry run keeps
the same summary on its run item (`run_items.preview`). Journal entries carry their lines (account,
debit or credit, amount, dimensions); documents (invoices, payments, bills...) carry their number,
party and total. A posted record links to itself in Intacct through the operator's
INTACCT_BRIDGE_RECORD_URL_TEMPLATE ({object}, {recordno}).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.store.models import Posting, RunItem, SyncRun

# The Intacct object each kind writes (its record link names it).
INTACCT_OBJECTS = {"journal_entry": "GLBATCH", "journal_reversal": "GLBATCH", "customer": "CUSTOMER",
                   "invoice": "ARINVOICE", "payment": "ARPYMT", "credit_memo": "ARADJUSTMENT", "vendor": "VENDOR",
                   "item": "ITEM", "bill": "APBILL", "ap_adjustment": "APADJUSTMENT"}
# Summary fields shown as facts, in words (the lines and amounts are shown apart).
FACT_WORDS = {"date": "Date", "original_date": "Original date (moved out of a closed period)", "journal": "Journal",
              "description": "Description", "reference_no": "Reference", "number": "Number", "customer": "Customer",
              "vendor": "Vendor", "invoice": "Invoice", "bill": "Bill", "mode": "Posted as", "name": "Name",
              "customer_id": "Customer id", "total": "Total", "amount": "Amount"}
PREVIEWS_SHOWN = 5


@dataclass(frozen=True)
class Line:
    account: str
    side: str                      # debit | credit
    amount: Decimal | None
    dimensions: dict[str, str] = field(default_factory=dict)

    @property
    def debit(self) -> Decimal | None:
        return self.amount if self.side == "debit" else None

    @property
    def credit(self) -> Decimal | None:
        return self.amount if self.side == "credit" else None


@dataclass(frozen=True)
class Entry:
    """One posting (or one dry run's would-post) of a record."""

    record_kind: str
    operation: str
    state: str                     # posted, failed, pending, unconfirmed... or "would_post"
    date: date | None
    amount: Decimal | None
    lines: list[Line]
    facts: list[tuple[str, str]]
    intacct_key: str | None = None
    link: str | None = None
    message: str | None = None
    run_id: int | None = None
    at: datetime | None = None

    @property
    def totals(self) -> tuple[Decimal, Decimal]:
        return (sum((ln.amount or Decimal(0) for ln in self.lines if ln.side == "debit"), Decimal("0.00")),
                sum((ln.amount or Decimal(0) for ln in self.lines if ln.side == "credit"), Decimal("0.00")))


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except InvalidOperation:
        return None


def lines_of(summary: dict[str, Any]) -> list[Line]:
    """The debit and credit lines a summary names (older journal summaries: their debit and credit accounts)."""
    # A document keeps its GL lines apart (`gl_lines`); its `lines` are the item lines reconciliation compares.
    lines = summary.get("gl_lines") or (summary.get("lines") if "gl_lines" not in summary else None)
    if lines and all(x.get("side") for x in lines):
        return [Line(str(x.get("account")), str(x.get("side")), _decimal(x.get("amount")),
                     {str(k): str(v) for k, v in (x.get("dimensions") or {}).items()}) for x in lines]
    if summary.get("debit") and summary.get("credit"):
        amount = _decimal(summary.get("amount"))
        return [Line(str(summary["debit"]), "debit", amount), Line(str(summary["credit"]), "credit", amount)]
    return []


def facts_of(summary: dict[str, Any]) -> list[tuple[str, str]]:
    shown = []
    for key, label in FACT_WORDS.items():
        value = summary.get(key)
        if value not in (None, "", [], {}) and key not in ("amount", "total"):
            shown.append((label, str(value).replace("_", " ") if key == "mode" else str(value)))
    if summary.get("applied"):
        shown.append(("Applied to", ", ".join(f"{k} ({v})" for k, v in summary["applied"].items())))
    return shown


def record_link(template: str, kind: str, summary: dict[str, Any], recordno: str | None) -> str | None:
    if not recordno:
        return None
    intacct_object = "SODOCUMENT" if kind == "invoice" and summary.get("mode") == "sales_invoice" else \
        INTACCT_OBJECTS.get(kind, kind.upper())
    try:
        return template.format(object=intacct_object, recordno=recordno)
    except (KeyError, IndexError, ValueError):  # a template naming other fields: no link rather than an error
        return None


def posted_entries(session: Session, workspace_id: int, kind: str, record_id: int, template: str) -> list[Entry]:
    """Every write of the record, newest first (a reversal of a journal entry is its own kind: see its page)."""
    rows = session.scalars(select(Posting).where(Posting.workspace_id == workspace_id, Posting.record_kind == kind,
                                                 Posting.record_id == record_id).order_by(Posting.id.desc()))
    out = []
    for p in rows:
        summary = p.request_summary or {}
        out.append(Entry(kind, p.operation, p.state, p.posting_date, p.amount, lines_of(summary), facts_of(summary),
                         p.intacct_recordno, record_link(template, kind, summary, p.intacct_recordno),
                         p.intacct_message, p.run_id, p.finished_at or p.sent_at or p.created_at))
    return out


def dry_runs(session: Session, workspace_id: int, kind: str, record_id: int,
             limit: int = PREVIEWS_SHOWN) -> list[Entry]:
    """What the latest dry runs would have posted for the record, newest first."""
    rows = session.execute(select(RunItem, SyncRun.started_at).join(SyncRun, SyncRun.id == RunItem.run_id)
                           .where(SyncRun.workspace_id == workspace_id, SyncRun.dry_run.is_(True),
                                  RunItem.record_kind == kind, RunItem.record_id == record_id,
                                  RunItem.preview.is_not(None))
                           .order_by(RunItem.id.desc()).limit(limit))
    out = []
    for item, started in rows:
        summary = item.preview or {}
        day = summary.get("date")
        out.append(Entry(kind, "create", "would_post", date.fromisoformat(day) if isinstance(day, str) else None,
                         _decimal(summary.get("amount") or summary.get("total")), lines_of(summary),
                         facts_of(summary), run_id=item.run_id, at=started))
    return out

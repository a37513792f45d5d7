"""Reading summary entries: the list, one summary with its lines and the actions it holds, an action's summary.

Every interface shows summaries through these (console, REST, CLI, `intacct_bridge.api`); the
`journal_summary` kind (`sync.summary_kind`) is what makes and posts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.store.errors import NotFound
from intacct_bridge.store.models import Action, JournalSummary


@dataclass(frozen=True)
class HeldAction:
    """One action a summary holds: its share as assembled, and where the action stands now."""

    action_id: int
    external_id: str
    version: int
    amount: Decimal
    status: str            # the action's status now (posted, withdrawn, unposted...)
    still_held: bool       # False once its share was reversed (edited or deleted after posting)


@dataclass(frozen=True)
class SummaryInfo:
    id: int
    reference: str
    journal: str
    entity: str | None
    period: str
    posting_date: date
    status: str
    intacct_recordno: str | None
    description: str
    action_count: int
    debit_total: Decimal
    credit_total: Decimal
    created_at: datetime
    posted_at: datetime | None
    last_error: str | None
    lines: tuple[dict[str, Any], ...] = ()
    actions: tuple[HeldAction, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-able (amounts as text), for the CLI's `--json` and the REST answers."""
        return {"id": self.id, "reference": self.reference, "journal": self.journal, "entity": self.entity,
                "period": self.period, "posting_date": self.posting_date.isoformat(), "status": self.status,
                "intacct_recordno": self.intacct_recordno, "description": self.description,
                "action_count": self.action_count, "debit_total": str(self.debit_total),
                "credit_total": str(self.credit_total), "created_at": self.created_at.isoformat(),
                "posted_at": self.posted_at.isoformat() if self.posted_at else None, "last_error": self.last_error,
                "lines": [{k: v for k, v in line.items() if k != "action_ids"} for line in self.lines],
                "actions": [{"action_id": a.action_id, "external_id": a.external_id, "version": a.version,
                             "amount": str(a.amount), "status": a.status, "still_held": a.still_held}
                            for a in self.actions]}


def _info(row: JournalSummary, actions: tuple[HeldAction, ...] = (), with_lines: bool = False) -> SummaryInfo:
    return SummaryInfo(row.id, row.reference, row.journal, row.entity, row.period_key, row.posting_date, row.status,
                       row.intacct_recordno, row.description, row.action_count, row.debit_total, row.credit_total,
                       row.created_at, row.posted_at, row.last_error,
                       tuple(row.lines) if with_lines else (), actions)


def list_summaries(session: Session, workspace_id: int, *, status: str | None = None, after_id: int = 0,
                   limit: int = 100) -> list[SummaryInfo]:
    """The workspace's summaries, oldest first, a page at a time by id."""
    query = (select(JournalSummary).where(JournalSummary.workspace_id == workspace_id, JournalSummary.id > after_id)
             .order_by(JournalSummary.id).limit(limit))
    if status:
        query = query.where(JournalSummary.status == status)
    return [_info(row) for row in session.scalars(query)]


def get_summary(session: Session, workspace_id: int, summary_id: int) -> SummaryInfo:
    """One summary with its lines and the actions it holds (raises `NotFound`)."""
    row = session.get(JournalSummary, summary_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound(f"there is no summary {summary_id} in this workspace")
    ids = [int(share["action_id"]) for share in row.shares]
    now = {a.id: a for a in session.scalars(select(Action).where(Action.id.in_(ids)))}
    held = tuple(HeldAction(int(s["action_id"]), s["external_id"], int(s["version"]), Decimal(s["amount"]),
                            now[int(s["action_id"])].status if int(s["action_id"]) in now else "deleted",
                            int(s["action_id"]) in now and now[int(s["action_id"])].summary_id == row.id)
                 for s in row.shares)
    return _info(row, held, with_lines=True)


def summary_of_action(session: Session, workspace_id: int, action_id: int) -> SummaryInfo | None:
    """The summary an action's current version went into (None: it posts, or posted, on its own)."""
    summary_id = session.scalar(select(Action.summary_id).where(Action.workspace_id == workspace_id,
                                                                Action.id == action_id))
    return get_summary(session, workspace_id, summary_id) if summary_id is not None else None

"""Summary posting (issue 12, nonprofit practice): many actions → one journal entry (pure).

A workspace may post some action types as a summary instead of one entry per action: one
GLBATCH per posting day (or per run), journal and entity, whose lines add up the actions'
detail lines by account, side and dimensions. Each action's share (the lines its detail
entry would carry) is kept with the summary, so a later change to one action reverses that
share alone. The reference is derived from the summary's content, never random: the same
actions assembled again give the same reference, and a later summary of the same day (more
actions arrived) has other content and so its own reference, never an edit of a posted one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
import hashlib
import json
from typing import Any

from intacct_bridge.domain.description import BATCH_TITLE_LIMIT, LINE_DESCRIPTION_LIMIT, compose
from intacct_bridge.domain.identifiers import summary_reference
from intacct_bridge.domain.reversal import gl_entry
from intacct_bridge.domain.vocabulary import SummaryPeriod

CENT = Decimal("0.01")
SIDES = ("debit", "credit")


@dataclass(frozen=True)
class Share:
    """One action's part of a summary: the lines (account, side, amount, dimensions) its detail entry carries."""

    action_id: int
    external_id: str
    version: int
    lines: tuple[dict[str, Any], ...]

    @property
    def amount(self) -> Decimal:
        return sum((Decimal(str(line["amount"])) for line in self.lines if line["side"] == "debit"),
                   Decimal("0.00")).quantize(CENT)

    def as_dict(self) -> dict[str, Any]:
        return {"action_id": self.action_id, "external_id": self.external_id, "version": self.version,
                "amount": str(self.amount), "lines": [dict(line) for line in self.lines]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Share:
        return cls(int(data["action_id"]), str(data["external_id"]), int(data["version"]),
                   tuple(dict(line) for line in data["lines"]))


@dataclass(frozen=True)
class SummaryLine:
    """One line of a summary: the sum of every share's line with this account, side and dimensions."""

    account: str
    side: str                                   # debit | credit
    dimensions: tuple[tuple[str, str], ...]     # (GL line field, value), sorted
    amount: Decimal
    action_ids: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"account": self.account, "side": self.side, "amount": str(self.amount),
                "dimensions": dict(self.dimensions)}


@dataclass(frozen=True)
class SummaryEntry:
    """What one summary sends, and what it holds."""

    reference: str
    journal: str
    entity: str | None
    period_key: str
    posting_date: date
    lines: tuple[SummaryLine, ...]
    shares: tuple[Share, ...]
    description: str

    @property
    def debit_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.side == "debit"), Decimal("0.00"))

    @property
    def credit_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.side == "credit"), Decimal("0.00"))

    def payload(self) -> dict[str, Any]:
        """The GLBATCH for the client's generic `create` (the same elements a detail entry carries)."""
        by_id = {share.action_id: share.external_id for share in self.shares}
        entries = [gl_entry(line.account, line.side, line.amount, dict(line.dimensions),
                            line_memo(self.reference, [by_id[a] for a in line.action_ids]))
                   for line in self.lines]
        return {"JOURNAL": self.journal, "BATCH_DATE": self.posting_date, "BATCH_TITLE": self.description,
                "REFERENCENO": self.reference, "STATE": "Posted", "ENTRIES": {"GLENTRY": entries}}

    def summary(self) -> dict[str, Any]:
        """The posting row's digest: a journal entry's shape (reconciliation reads it) plus what it holds."""
        return {"reference_no": self.reference, "date": self.posting_date.isoformat(),
                "amount": str(self.debit_total), "journal": self.journal, "description": self.description,
                "period": self.period_key, "entity": self.entity,
                "lines": [line.as_dict() for line in self.lines],
                "holds": [share.external_id for share in self.shares]}


    def preview(self, holds_shown: int | None = None) -> dict[str, Any]:
        """What a dry run shows of a summary it assembled in memory (JSON-ready; amounts as strings): its lines,
        each naming the actions it adds up, and the actions it would hold (the first `holds_shown` of them)."""
        by_id = {share.action_id: share.external_id for share in self.shares}
        shares = self.shares if holds_shown is None else self.shares[:holds_shown]
        return {"reference": self.reference, "journal": self.journal, "entity": self.entity,
                "period": self.period_key, "posting_date": self.posting_date.isoformat(),
                "description": self.description, "debit_total": str(self.debit_total),
                "credit_total": str(self.credit_total), "action_count": len(self.shares),
                "lines": [{**line.as_dict(), "actions": [by_id[a] for a in line.action_ids]} for line in self.lines],
                "holds": [{"action_id": s.action_id, "external_id": s.external_id, "version": s.version,
                           "amount": str(s.amount)} for s in shares]}


def period_key(period: SummaryPeriod, day: date, run_started_at: datetime) -> str:
    """What one summary covers: the posting day (`2026-11-30`) or the run (`run-20261201T103000Z`)."""
    if period is SummaryPeriod.RUN:
        return "run-" + run_started_at.strftime("%Y%m%dT%H%M%S%fZ")
    return day.isoformat()


def line_memo(reference: str, external_ids: Sequence[str]) -> str:
    return compose([f"Summary {reference} of {len(external_ids)} action(s)", ", ".join(external_ids)],
                   LINE_DESCRIPTION_LIMIT)


def summary_title(label: str, count: int, day: date, external_ids: Sequence[str]) -> str:
    return compose([f"Summary of {count} {label} on {day.isoformat()}", ", ".join(external_ids)], BATCH_TITLE_LIMIT)


def add_up(shares: Iterable[Share]) -> tuple[SummaryLine, ...]:
    """The shares' lines grouped by (account, side, dimensions), amounts summed; debits first, then by account."""
    sums: dict[tuple[str, str, tuple[tuple[str, str], ...]], tuple[Decimal, list[int]]] = {}
    for share in shares:
        for line in share.lines:
            if line["side"] not in SIDES:
                raise ValueError(f"action {share.external_id}: a line's side must be debit or credit")
            key = (str(line["account"]), line["side"],
                   tuple(sorted((str(k), str(v)) for k, v in (line.get("dimensions") or {}).items())))
            amount = Decimal(str(line["amount"]))
            if amount != amount.quantize(CENT):
                raise ValueError(f"action {share.external_id}: amount {amount} is not in whole cents")
            total, ids = sums.get(key, (Decimal("0.00"), []))
            if share.action_id not in ids:
                ids.append(share.action_id)
            sums[key] = (total + amount, ids)
    ordered = sorted(sums, key=lambda k: (SIDES.index(k[1]), k[0], k[2]))
    return tuple(SummaryLine(k[0], k[1], k[2], sums[k][0].quantize(CENT), tuple(sums[k][1])) for k in ordered)


def content_digest(workspace_uid: str, journal: str, entity: str | None, key: str,
                   shares: Sequence[Share]) -> str:
    """A hash of everything the summary says: the same actions (same versions and lines) give the same one."""
    content = {"ws": workspace_uid, "journal": journal, "entity": entity, "period": key,
               "shares": [share.as_dict() for share in sorted(shares, key=lambda s: s.action_id)]}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def summarize(shares: Sequence[Share], *, workspace_uid: str, journal: str, entity: str | None, period: str,
              posting_date: date, label: str = "actions") -> SummaryEntry:
    """One summary entry for these shares (all of one journal, entity and period). Raises ValueError when empty
    or unbalanced (a detail entry always balances, so a sum of them does too)."""
    if not shares:
        raise ValueError("a summary needs at least one action")
    ordered = tuple(sorted(shares, key=lambda s: s.action_id))
    if len({s.action_id for s in ordered}) != len(ordered):
        raise ValueError("an action can be in a summary only once")
    lines = add_up(ordered)
    debit = sum((line.amount for line in lines if line.side == "debit"), Decimal("0.00"))
    credit = sum((line.amount for line in lines if line.side == "credit"), Decimal("0.00"))
    if debit != credit:
        raise ValueError(f"the actions' lines do not balance: debits {debit}, credits {credit}")
    reference = summary_reference(workspace_uid, content_digest(workspace_uid, journal, entity, period, ordered))
    title = summary_title(label, len(ordered), posting_date, [s.external_id for s in ordered])
    return SummaryEntry(reference, journal, entity, period, posting_date, lines, ordered, title)


def share_reversal_original(share: Share, summary: dict[str, Any]) -> dict[str, Any]:
    """What a reversal of one action's share takes back: its own lines, in the summary's journal, referencing it."""
    return {"reference_no": summary.get("reference_no"), "date": summary.get("date"),
            "amount": str(share.amount), "journal": summary.get("journal"),
            "description": f"share of {share.external_id} in {summary.get('reference_no')}",
            "lines": [dict(line) for line in share.lines], "summary_share": share.external_id}

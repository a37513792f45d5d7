"""The reversal of a posted journal entry (pure): the same lines with debit and credit swapped.

Built from what the original posting sent (its `request_summary`, lines with their
dimensions), referencing the original in the title and each line's memo, dated by the
workspace's `reversal_date` setting. Posting it and then the corrected entry replaces
an entry without ever sending a second copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from intacct_bridge.domain.description import BATCH_TITLE_LIMIT, LINE_DESCRIPTION_LIMIT, compose
from intacct_bridge.domain.journal import summary_lines
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.vocabulary import ReversalDate

DEBIT, CREDIT = 1, -1
_BEFORE_MEMO = ("LOCATION", "DEPARTMENT", "CLASSID")   # the order a GLENTRY's elements take (see `journal._line`)


@dataclass(frozen=True)
class ReversalSource:
    """What is reversed: one posted version of an action."""

    action_id: int
    version: int
    reason: str                    # changed | deleted
    original_reference: str
    original_recordno: str | None
    original: dict[str, Any]       # the original posting's request_summary
    reversal_date: date


def reversal_day(original_day: date, change_day: date, choice: ReversalDate) -> date:
    return original_day if choice is ReversalDate.ORIGINAL else change_day


def original_lines(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The original's lines; a posting recorded before lines were kept gives its two accounts, no dimensions."""
    if summary.get("lines"):
        return list(summary["lines"])
    if summary.get("debit") and summary.get("credit"):
        return [{"account": summary["debit"], "side": "debit", "amount": summary["amount"], "dimensions": {}},
                {"account": summary["credit"], "side": "credit", "amount": summary["amount"], "dimensions": {}}]
    return []


def gl_entry(account: str, side: str, amount: Any, dimensions: dict[str, Any], memo: str) -> dict[str, Any]:
    """One GLENTRY from a kept line (account, side `debit`/`credit`, amount, dimension fields), elements in order."""
    entry: dict[str, Any] = {"ACCOUNTNO": account, "TR_TYPE": DEBIT if side == "debit" else CREDIT,
                             "TRX_AMOUNT": Decimal(str(amount))}
    entry.update({k: dimensions[k] for k in _BEFORE_MEMO if k in dimensions})
    entry["DESCRIPTION"] = memo
    entry.update({k: v for k, v in dimensions.items() if k not in _BEFORE_MEMO})
    return entry


def reversal_problems(source: ReversalSource) -> list[Reason]:
    if not original_lines(source.original):
        return [Reason("original", f"the posting of {source.original_reference} kept no lines to reverse: "
                                   "reverse it by hand in Intacct, then resolve this error")]
    return []


def reversal_payload(source: ReversalSource, reference: str) -> dict[str, Any]:
    """The GLBATCH that takes the original back out: every line on the other side, same accounts and dimensions."""
    original = source.original
    recordno = f" (Intacct {source.original_recordno})" if source.original_recordno else ""
    why = "changed at the source" if source.reason == "changed" else "deleted at the source"
    title = compose([f"Reversal of {source.original_reference}{recordno}", why, original.get("description")],
                    BATCH_TITLE_LIMIT)
    memo = compose([f"Reverses {source.original_reference}{recordno}, version {source.version}", why],
                   LINE_DESCRIPTION_LIMIT)
    lines = [gl_entry(line["account"], "credit" if line["side"] == "debit" else "debit", line["amount"],
                      line.get("dimensions") or {}, memo)
             for line in original_lines(original)]
    return {"JOURNAL": original.get("journal") or "GJ", "BATCH_DATE": source.reversal_date, "BATCH_TITLE": title,
            "REFERENCENO": reference, "STATE": "Posted", "ENTRIES": {"GLENTRY": lines}}


def reversal_summary(source: ReversalSource, payload: dict[str, Any]) -> dict[str, Any]:
    """What the reversal's posting row keeps (the same shape as a journal entry's, for reconciliation)."""
    lines = payload["ENTRIES"]["GLENTRY"]
    return {"reference_no": payload["REFERENCENO"], "date": payload["BATCH_DATE"].isoformat(),
            "amount": str(sum((line["TRX_AMOUNT"] for line in lines if line["TR_TYPE"] == DEBIT), Decimal("0.00"))),
            "journal": payload["JOURNAL"], "description": payload["BATCH_TITLE"],
            "reverses": source.original_reference, "reverses_recordno": source.original_recordno,
            "version": source.version, "reason": source.reason, "lines": summary_lines(lines)}

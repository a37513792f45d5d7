"""Journal entries read back for reconciliation: GLBATCH headers by our REFERENCENO prefix, then their lines.

Two streams, page by page: the headers the workspace's references name (`ib-<ws>-...`,
dated on or after `since`), then the GLENTRY lines dated within the headers' dates
(lines of other batches in those days are passed over). Two queries per 2,000
rows, whatever the number of entries, instead of one lookup per hundred batches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from intacct_bridge.domain.identifiers import reference_no
from intacct_bridge.domain.reconciliation import CREDIT, DEBIT, HeldEntry, HeldLine, held_line
from intacct_bridge.intacct import query as q
from intacct_bridge.sync.kinds import FindClient, ReadBackScope

KIND = "journal_entry"
PAGE_SIZE = 2000
HEADER_FIELDS = ["RECORDNO", "REFERENCENO", "BATCH_DATE", "JOURNAL", "STATE"]
LINE_FIELDS = ["RECORDNO", "BATCHNO", "ACCOUNTNO", "TR_TYPE", "TRX_AMOUNT"]


def posted_entry(posting: Any) -> HeldEntry | None:
    """The entry a posted journal-entry posting sent, from its `request_summary`."""
    summary = posting.request_summary or {}
    lines = summary.get("lines")
    if lines is not None:
        held = tuple(held_line(l["account"], l["side"], l["amount"], l.get("dimensions")) for l in lines)
    elif summary.get("debit"):  # recorded before lines were kept: accounts and amount only
        held = (held_line(summary["debit"], DEBIT, summary["amount"]),
                held_line(summary["credit"], CREDIT, summary["amount"]))
    else:
        return None
    day = date.fromisoformat(summary["date"]) if summary.get("date") else posting.posting_date
    record_id = posting.record_id if getattr(posting, "record_kind", KIND) == KIND else None  # a reversal: no action
    return HeldEntry(KIND, posting.reference_no, day, summary.get("journal"), held, key=posting.intacct_recordno,
                     record_id=record_id, compare_dimensions=lines is not None)


def read_back(client: FindClient, scope: ReadBackScope) -> Iterator[HeldEntry]:
    """Every GLBATCH carrying one of the workspace's references, with its lines."""
    prefix = reference_no(scope.workspace_uid, 0)[:-1]   # `ib-<ws>-`
    condition = q.like("REFERENCENO", f"{prefix}%")
    if scope.since is not None:
        condition = q.and_(condition, q.ge("BATCH_DATE", scope.since))
    headers = {str(row["RECORDNO"]): row for row in client.iter_query(
        "GLBATCH", HEADER_FIELDS, filter=condition, order_by=["RECORDNO"], page_size=PAGE_SIZE)}
    if not headers:
        return
    lines = _lines(client, headers, scope.dimension_fields)
    for recordno, header in headers.items():
        yield HeldEntry(KIND, str(header.get("REFERENCENO") or ""), intacct_day(header.get("BATCH_DATE")),
                        header.get("JOURNAL") or None, tuple(lines.get(recordno, ())), key=recordno,
                        state=header.get("STATE") or None)


def _lines(client: FindClient, headers: dict[str, dict[str, Any]],
           dimension_fields: tuple[str, ...]) -> dict[str, list[HeldLine]]:
    days = [d for h in headers.values() if (d := intacct_day(h.get("BATCH_DATE"))) is not None]
    fields = LINE_FIELDS + [f for f in dimension_fields if f not in LINE_FIELDS]
    condition = q.between("BATCH_DATE", min(days), max(days)) if days else None
    found: dict[str, list[HeldLine]] = defaultdict(list)
    for row in client.iter_query("GLENTRY", fields, filter=condition, order_by=["RECORDNO"], page_size=PAGE_SIZE):
        batch = str(row.get("BATCHNO") or "")
        if batch in headers:
            side = DEBIT if str(row.get("TR_TYPE")) == "1" else CREDIT
            found[batch].append(held_line(row.get("ACCOUNTNO"), side, row.get("TRX_AMOUNT"),
                                          {f: row.get(f) for f in dimension_fields}))
    return found


def intacct_day(value: Any) -> date | None:
    """Intacct's dates come back as MM/DD/YYYY from legacy reads and YYYY-MM-DD from query."""
    if not value:
        return None
    text = str(value)
    if "/" in text:
        month, day, year = text.split("/")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text[:10])

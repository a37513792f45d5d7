"""What a dry run prints: the journal entries, summary entries and other records it would post.

Kept apart from `commands.sync` (which runs the command) so the demo can print a summary the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from intacct_bridge.commands._support import console
from intacct_bridge.domain.summary import SummaryEntry   # pure: light enough for `--help`

if TYPE_CHECKING:
    from intacct_bridge.domain.journal import JournalEntry
    from intacct_bridge.sync.engine import PreviewedWrite

# A posting summary's line lists (reconciliation's, the posted GL lines, a cancellation's): the table names the
# record, its date and amount; the lines are on the record's page.
LINE_KEYS = frozenset({"lines", "gl_lines", "cancel_lines"})


class EntryPreview:
    """Dry-run output: the first `limit` entries in a table, and how many more there are."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0
        self.table = Table("action", "date", "amount", "debit", "credit", "dimensions", "description",
                           title="Journal entries that would be posted")
        self.others: list[PreviewedWrite] = []
        self.summaries: list[SummaryEntry] = []

    def __call__(self, entry: JournalEntry | PreviewedWrite | SummaryEntry) -> None:
        from intacct_bridge.sync.engine import PreviewedWrite

        if isinstance(entry, PreviewedWrite):
            self.others.append(entry)
            return
        if isinstance(entry, SummaryEntry):
            self.summaries.append(entry)
            return
        self.count += 1
        if self.count <= self.limit:
            debit, credit = entry.payload["ENTRIES"]["GLENTRY"]
            dims = ", ".join(f"{k}={v}" for k, v in debit.items()
                             if k not in ("ACCOUNTNO", "TR_TYPE", "TRX_AMOUNT", "DESCRIPTION"))
            self.table.add_row(str(entry.action_id), entry.posting_date.isoformat(), str(entry.amount),
                               entry.debit_account, entry.credit_account, dims, entry.description)

    def print(self) -> None:
        for summary in self.summaries[: self.limit]:
            print_summary_preview(summary, self.limit)
        if len(self.summaries) > self.limit:
            console.print(f"… and {len(self.summaries) - self.limit} more summary entries (use --show N).")
        if self.count:
            console.print(self.table)
        if self.count > self.limit:
            console.print(f"… and {self.count - self.limit} more (use --show N to see more).")
        if self.others:
            table = Table("kind", "record", "date", "amount", "what", title="Other records that would be posted")
            for item in self.others[: self.limit]:
                w = item.write
                what = ", ".join(f"{k}={v}" for k, v in (w.summary or {}).items()
                                 if v not in (None, "", {}) and k not in LINE_KEYS)
                table.add_row(item.kind.replace("_", " "), str(w.record_id),
                              w.posting_date.isoformat() if w.posting_date else "", str(w.amount or ""), what)
            console.print(table)
            if len(self.others) > self.limit:
                console.print(f"… and {len(self.others) - self.limit} more (use --show N to see more).")


def print_summary_preview(entry: SummaryEntry, limit: int, out: Console = console) -> None:
    """One summary entry a dry run assembled in memory: its lines (account, side, dimensions, total, how many
    actions) and the actions it would hold (the first `limit`)."""
    where = f"journal {entry.journal}" + (f", entity {entry.entity}" if entry.entity else "")
    table = Table("account", "side", "dimensions", "amount", "actions",
                  title=f"Summary entry that would be posted: {entry.reference} ({where}, "
                        f"{entry.posting_date.isoformat()}, {len(entry.shares)} action(s))")
    for line in entry.lines:
        table.add_row(line.account, line.side, ", ".join(f"{k}={v}" for k, v in line.dimensions),
                      str(line.amount), str(len(line.action_ids)))
    table.add_row("total", "", "", f"debits {entry.debit_total}, credits {entry.credit_total}", "")
    out.print(table)
    holds = ", ".join(f"{s.external_id} {s.amount}" for s in entry.shares[:limit])
    more = f" … and {len(entry.shares) - limit} more" if len(entry.shares) > limit else ""
    out.print(f"It would hold: {holds}{more}")

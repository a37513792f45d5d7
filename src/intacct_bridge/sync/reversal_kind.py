"""Reversals: a record kind of the outbox (`journal_reversal`), posted before the corrected journal entries.

A row of `journal_reversals` is made when a posted action changes or is deleted at the
source (`store.repositories.posted_changes`). It becomes one GLBATCH with the original's
lines swapped (`domain.reversal`), referenced `ib-<ws>-rev<id>` and found again by it;
the corrected version of the action waits for it (`JournalEntries.waiting_on`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from intacct_bridge.domain.buildable import buildable
from intacct_bridge.domain.closed_periods import closed_through_for, move_payload
from intacct_bridge.domain.identifiers import record_reference
from intacct_bridge.domain.reversal import ReversalSource, reversal_payload, reversal_problems, reversal_summary
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import JournalReversal
from intacct_bridge.sync.closed_books import read_closed_books
from intacct_bridge.sync.correction_queue import CorrectionQueue
from intacct_bridge.sync.kinds import BuildError, Checked, FindClient, Lookup, Outgoing, RunScope
from intacct_bridge.sync.lookup import find_entries

class UnknownReversal(LookupError):
    """"Sync this record now" named a reversal this workspace does not have."""


@dataclass(frozen=True)
class ReversalView:
    """A candidate reversal as the outbox sees it (views expose `.id`)."""

    id: int
    source: ReversalSource


def source_of(row: JournalReversal) -> ReversalSource:
    return ReversalSource(row.action_id, row.version, row.reason, row.original_reference, row.original_recordno,
                          dict(row.original), row.reversal_date)


class JournalReversals(CorrectionQueue):
    """Reversals of posted journal entries → GLBATCH."""

    name: ClassVar[str] = "journal_reversal"
    label: ClassVar[str] = "reversals"
    model = JournalReversal
    noun = "reversal"
    key_column = "intacct_recordno"
    unknown = UnknownReversal

    def before_posting(self, client: Any, store: Store, scope: RunScope, dry_run: bool) -> int:
        """At `next_open`: the closed-through dates of the connection's level and of each pulled entity (a
        reversal is written where its original went, whatever today's level)."""
        assert self._settings is not None, "prepare() first"
        self._closed = read_closed_books(client, self._settings, self._entities)
        return len(self._closed or ())

    def view_of(self, row: JournalReversal) -> ReversalView:
        return ReversalView(row.id, source_of(row))

    def check(self, view: Any) -> Checked:
        return Checked(view.id, view.source, tuple(reversal_problems(view.source)))

    def build(self, checked: Checked, scope: RunScope) -> Outgoing:
        source: ReversalSource = checked.view
        reference = record_reference(scope.workspace_uid, self.name, checked.record_id)
        payload = buildable(lambda: reversal_payload(source, reference), {}, lambda built: built)
        if isinstance(payload, list):
            raise BuildError(payload)
        written_at = source.original.get("written_at") or {}  # the original's level and entity, not today's
        moved = None
        if self._closed is not None:
            payload, moved = move_payload(payload, closed_through_for(self._closed, written_at.get("entity")))
        summary = reversal_summary(source, payload)
        return Outgoing(record_id=checked.record_id, function=fn.Create("GLBATCH", payload, controlid=""),
                        reference=reference, amount=None, posting_date=payload["BATCH_DATE"], summary=summary,
                        notes=(moved,) if moved else (), preview=payload, entity=written_at.get("entity"),
                        level=written_at.get("level"))

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        return find_entries(client, [lookup.reference for lookup in lookups])

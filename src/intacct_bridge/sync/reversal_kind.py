"""Reversals: a record kind of the outbox (`journal_reversal`), posted before the corrected journal entries.

A row of `journal_reversals` is made when a posted action changes or is deleted at the
source (`store.repositories.posted_changes`). It becomes one GLBATCH with the original's
lines swapped (`domain.reversal`), referenced `ib-<ws>-rev<id>` and found again by it;
the corrected version of the action waits for it (`JournalEntries.waiting_on`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.buildable import buildable
from intacct_bridge.domain.closed_periods import ClosedThrough, closed_through_for, move_payload
from intacct_bridge.domain.identifiers import record_controlid, record_reference
from intacct_bridge.domain.reversal import ReversalSource, reversal_payload, reversal_problems, reversal_summary
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import JournalReversal
from intacct_bridge.store.repositories import reference
from intacct_bridge.sync import review
from intacct_bridge.sync.closed_books import read_closed_books
from intacct_bridge.sync.kinds import (BuildError, Checked, FindClient, GateMode, Lookup, Outgoing, RunScope, Settled,
                                       keyset_chunks, outcome_rows)
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


class JournalReversals:
    """Reversals of posted journal entries → GLBATCH."""

    name: ClassVar[str] = "journal_reversal"
    label: ClassVar[str] = "reversals"
    depends_on: ClassVar[tuple[str, ...]] = ()
    flags_with_campaign: ClassVar[bool] = False
    gate_mode: ClassVar[GateMode] = GateMode.HOLD   # fixed, not a setting: one reversal never holds back another

    def __init__(self) -> None:
        self._settings: SyncSettings | None = None
        self._closed: ClosedThrough | None = None  # read from Intacct when the policy is next_open
        self._entities: frozenset[str] | None = None

    def prepare(self, store: Store, scope: RunScope, context: Any) -> None:
        """A reversal carries what it needs from the original posting; only the closed-period policy is read."""
        self._settings = context.settings
        with store.session() as session:
            self._entities = reference.entity_ids(session, scope.workspace_id)

    def before_posting(self, client: Any, store: Store, scope: RunScope, dry_run: bool) -> int:
        """At `next_open`: the closed-through dates of the connection's level and of each pulled entity (a
        reversal is written where its original went, whatever today's level)."""
        assert self._settings is not None, "prepare() first"
        self._closed = read_closed_books(client, self._settings, self._entities or ())
        return len(self._closed or ())

    def _filter(self, scope: RunScope) -> Any:
        conditions = [JournalReversal.workspace_id == scope.workspace_id,
                      JournalReversal.status != ActionStatus.POSTED.value,
                      JournalReversal.created_at < scope.run_started_at]
        if scope.only is not None:
            conditions.append(JournalReversal.id == scope.only[1])
        else:
            conditions.append(~review.held_back(scope.workspace_id, self.name, JournalReversal.id,
                                                scope.run_started_at))
        return and_(*conditions)

    def _mine(self, scope: RunScope) -> bool:
        return scope.only is None or scope.only[0] == self.name

    def count(self, session: Session, scope: RunScope) -> int:
        if not self._mine(scope):
            return 0
        return session.scalar(select(func.count()).select_from(JournalReversal).where(self._filter(scope))) or 0

    def chunks(self, store: Store, scope: RunScope, size: int) -> Iterator[list[Any]]:
        if not self._mine(scope):
            return
        yield from keyset_chunks(store, JournalReversal, self._filter(scope), size,
                                 lambda row: ReversalView(row.id, source_of(row)))

    def check(self, view: Any) -> Checked:
        return Checked(view.id, view.source, tuple(reversal_problems(view.source)))

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        return {}  # the original is in Intacct: it was posted before the reversal was made

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

    def controlid(self, workspace_uid: str, record_id: int, operation: str, generation: int) -> str:
        return record_controlid(workspace_uid, self.name, record_id, generation)

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        return find_entries(client, [lookup.reference for lookup in lookups])

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        rows = outcome_rows(settled, now, key_column="intacct_recordno")
        if rows:
            session.execute(update(JournalReversal), rows)

    def nothing_to_do(self, session: Session, scope: RunScope) -> str:
        assert scope.only is not None
        row = session.get(JournalReversal, scope.only[1])
        if row is None or row.workspace_id != scope.workspace_id:
            raise UnknownReversal(f"there is no reversal {scope.only[1]} in this workspace")
        if row.status == ActionStatus.POSTED.value:
            return f"reversal {row.id} is already posted (Intacct record {row.intacct_recordno})"
        return f"reversal {row.id} was made after this run started; run again"

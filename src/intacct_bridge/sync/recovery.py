"""Settle what an earlier run left uncertain, before anything new is sent.

A run killed between "reserved" and "recorded", or one that got no clear
answer, leaves postings pending or ambiguous, of any record kind. Each is looked
up in Intacct through its kind's `find` (a journal entry by its REFERENCENO, an
invoice by its number...): found means posted (record it); not found means it
never landed, and the record stays a candidate to be re-sent with the same controlid.
Runs left `running` by a dead process are closed as failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from intacct_bridge.domain.vocabulary import PostingState, RunStatus
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Posting, SyncRun, utcnow
from intacct_bridge.sync import review
from intacct_bridge.sync.kinds import Lookup, Outcome, RecordKind, Settled
from intacct_bridge.sync.levels import client_for
from intacct_bridge.sync.lookup import LookupClient
from intacct_bridge.sync.posting import UNSETTLED, find_where_written
from intacct_bridge.sync.progress import Phase, ProgressCallback, ProgressEvent, ignore_progress

CHUNK = 500


@dataclass
class RecoveryCounts:
    found_posted: int = 0
    not_found: int = 0
    interrupted_runs: int = 0


def close_interrupted_runs(store: Store, workspace_id: int, current_run_id: int, now: datetime) -> int:
    """Runs still `running` while we hold the lock belong to a process that died."""
    with store.write_session() as session:
        result = session.execute(
            update(SyncRun)
            .where(
                SyncRun.workspace_id == workspace_id,
                SyncRun.status == RunStatus.RUNNING.value,
                SyncRun.id != current_run_id,
            )
            .values(status=RunStatus.FAILED.value, finished_at=now, message="interrupted: the process running it stopped")
        )
        return result.rowcount or 0


def settle_unconfirmed(
    store: Store,
    client: LookupClient,
    workspace_id: int,
    kinds: Mapping[str, RecordKind],
    clock: Callable[[], datetime] = utcnow,
    progress: ProgressCallback = ignore_progress,
) -> RecoveryCounts:
    """Look every unsettled posting up through its kind's `find` and record the ones Intacct has."""
    counts = RecoveryCounts()
    after = 0
    while True:
        with store.session() as session:
            chunk = list(
                session.execute(
                    select(Posting.id, Posting.record_kind, Posting.record_id, Posting.reference_no,
                           Posting.operation, Posting.request_summary, Posting.entity_id)
                    .where(
                        Posting.workspace_id == workspace_id,
                        Posting.state.in_(UNSETTLED),
                        Posting.id > after,
                    )
                    .order_by(Posting.id)
                    .limit(CHUNK)
                )
            )
        if not chunk:
            return counts
        after = chunk[-1].id
        by_kind: dict[str, list] = {}
        for row in chunk:
            by_kind.setdefault(row.record_kind, []).append(row)
        for name, rows in by_kind.items():
            kind = kinds[name]
            # Each where it was written (master data at the top level; a posting in its own entity: a change
            # of posting level since does not move where it is looked for).
            found = find_where_written(kind, client_for(kind, client), [
                Lookup(r.reference_no, r.operation, r.request_summary, r.entity_id) for r in rows])
            landed = [row for row in rows if row.reference_no in found]
            counts.found_posted += len(landed)
            counts.not_found += len(rows) - len(landed)
            if landed:
                now = clock()
                with store.write_session() as session:
                    session.execute(
                        update(Posting),
                        [{"id": r.id, "state": PostingState.POSTED.value, "intacct_recordno": found[r.reference_no],
                          "finished_at": now,
                          "intacct_message": "found in Intacct by its reference after an interruption"}
                         for r in landed],
                    )
                    kind.record(session, [Settled(r.record_id, Outcome.ALREADY_POSTED, found[r.reference_no])
                                          for r in landed], now)
                    review.clear(session, workspace_id, name, [r.record_id for r in landed])
        progress(ProgressEvent(Phase.RECOVER, counts.found_posted + counts.not_found, None))

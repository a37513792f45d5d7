"""The Python API for what happens after posting (mixed into `api.Bridge`): reconciliation, its schedule,
edits and deletes of posted records (reversals, cancellations, versions), closed periods, summary posting.

    bridge.reconcile(since=date(2026, 1, 1)).drift      # what Intacct holds against what was posted; changes nothing
    bridge.set_reconcile_schedule("daily", "06:30"); bridge.reconciliations()
    bridge.set_posted_changes("reverse", "change"); bridge.versions("invoice", "o-1001"); bridge.delete_record(...)
    bridge.set_closed_period_policy("next_open")
    bridge.set_summary_posting(["donation"], "day"); bridge.summaries(); bridge.action_summary(42)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from typing import Any

from sqlalchemy import select

from intacct_bridge.domain.reconciliation import ReconcileReport
from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import (ClosedPeriodPolicy, PostedChanges, ReconcileSchedule, ReversalDate,
                                              SummaryPeriod)
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import DocumentCancellation, ReconcileRun, utcnow
from intacct_bridge.store.repositories import summaries as summaries_repo
from intacct_bridge.store.repositories.document_changes import delete_record, record_versions
from intacct_bridge.store.repositories.posted_changes import versions
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.store.repositories.summaries import SummaryInfo
from intacct_bridge.sync.progress import ProgressCallback, ignore_progress
from intacct_bridge.sync.readback import reconcile


class AfterPosting:
    """Reconciliation, corrections of posted records, closed periods and summaries of one workspace."""

    store: Store
    workspace_id: int

    def set_closed_period_policy(self, policy: ClosedPeriodPolicy | str) -> ClosedPeriodPolicy:
        """A record dated in a closed Intacct period: `reject` it (the default; the error queue classes it
        closed_period) or post it on the first day of the `next_open` period (from the next run on)."""
        policy = ClosedPeriodPolicy(policy)
        with self.store.write_session() as session:
            update_settings(session, self.workspace_id, SettingsChange(closed_period_policy=policy))
        return policy

    def set_reconcile_schedule(self, schedule: ReconcileSchedule | str, at: time | str | None = None,
                               ) -> ReconcileSchedule:
        """Reconcile by itself: `off`, `daily` at `at` (HH:MM in the workspace's time zone; `serve` runs it), or
        `after_sync` (after each sync run). Drift queues the `reconcile.drift` notification."""
        schedule = ReconcileSchedule(schedule)
        when = time.fromisoformat(at) if isinstance(at, str) else at
        with self.store.write_session() as session:
            update_settings(session, self.workspace_id, SettingsChange(reconcile_schedule=schedule,
                                                                       reconcile_time=when))
        return schedule

    def reconciliations(self, limit: int = 20) -> list[ReconcileRun]:
        """The reconciliations that ran by themselves (daily, after a sync), newest first, with their counts."""
        with self.store.session() as session:
            return list(session.scalars(select(ReconcileRun).where(ReconcileRun.workspace_id == self.workspace_id)
                                        .order_by(ReconcileRun.id.desc()).limit(limit)))

    def set_posted_changes(self, policy: PostedChanges | str, reversal_date: ReversalDate | str | None = None
                           ) -> PostedChanges:
        """A posted action, invoice or bill changed or deleted at the source: `refuse` it (the default) or
        `reverse` it (a reversal, or an adjustment that cancels the document, then the corrected version), dated
        on the `original`'s date or the day of the `change`."""
        policy = PostedChanges(policy)
        change = SettingsChange(posted_changes=policy,
                                reversal_date=ReversalDate(reversal_date) if reversal_date else None)
        with self.store.write_session() as session:
            update_settings(session, self.workspace_id, change)
        return policy

    def set_summary_posting(self, action_types: Iterable[str], period: SummaryPeriod | str | None = None
                            ) -> SyncSettings:
        """Post these action types as summaries (one entry per day, or per `run`, journal and entity; the list
        replaces the one before, empty: every type in detail), from the next run on."""
        with self.store.write_session() as session:
            return update_settings(session, self.workspace_id, SettingsChange(
                summary_action_types=list(action_types), summary_period=SummaryPeriod(period) if period else None))

    def reconcile(self, *, since: date | None = None, kinds: Sequence[str] | None = None,
                  progress: ProgressCallback = ignore_progress) -> ReconcileReport:
        """Read back what Intacct holds for what this workspace posted and say what differs; changes nothing.

        `.drift` is True when an entry is missing in Intacct, changed there, or held there under our
        reference without being recorded as posted here; `.totals_rows()` compares the sums.
        """
        with self.clients()() as client:
            return reconcile(self.store, self.workspace_id, client, since=since, kinds=kinds, progress=progress)

    def action_versions(self, action_id: int) -> list[dict[str, object]]:
        """Every write of an action in order: each version's entry and each reversal, with its state in Intacct."""
        with self.store.session() as session:
            return versions(session, self.workspace_id, action_id)

    def versions(self, kind: RecordKind | str, ref: str | int) -> list[dict[str, Any]]:
        """Every write of an invoice, bill or other document in order: each version's posting and each
        cancelling adjustment, with what changed, when, its Intacct key and state."""
        with self.store.session() as session:
            return record_versions(session, self.workspace_id, kind, ref)

    def delete_record(self, kind: RecordKind | str, ref: str | int) -> DocumentCancellation | None:
        """A document deleted at the source: never sent, it is deleted; posted (posted_changes = reverse), its
        cancelling adjustment is queued for the next sync and returned; otherwise `Conflict` says why and the fix."""
        with self.store.write_session() as session:
            cancellation = delete_record(session, self.workspace_id, kind, ref, utcnow())
            if cancellation is not None:
                session.expunge(cancellation)
            return cancellation

    def summaries(self, *, status: str | None = None, after_id: int = 0, limit: int = 100) -> list[SummaryInfo]:
        """The summary entries (summary posting), oldest first: `after_id` the last id of the page before."""
        with self.store.session() as session:
            return summaries_repo.list_summaries(session, self.workspace_id, status=status, after_id=after_id,
                                                 limit=limit)

    def summary(self, summary_id: int) -> SummaryInfo:
        """One summary entry with its lines and the actions it holds (raises `store.errors.NotFound`)."""
        with self.store.session() as session:
            return summaries_repo.get_summary(session, self.workspace_id, summary_id)

    def action_summary(self, action_id: int) -> SummaryInfo | None:
        """The summary an action's current version went into; None when it posts (or posted) on its own."""
        with self.store.session() as session:
            return summaries_repo.summary_of_action(session, self.workspace_id, action_id)

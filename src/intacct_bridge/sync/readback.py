"""Reconciliation: read back, page by page, what Intacct holds for what the workspace posted.

A kind takes part by declaring the optional read-back capability (`kinds.ReadsBack`):
`posted_entry` turns one of its posted `postings` rows (what was sent, kept in
`request_summary`) into a `HeldEntry`, and `read_back` streams what Intacct holds
under the workspace's references. `domain.reconciliation.Reconciler` compares them.
Nothing is written anywhere: not in Intacct, not in the store.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from intacct_bridge.domain.reconciliation import HeldEntry, ReconcileReport, Reconciler
from intacct_bridge.domain.vocabulary import PostingState
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Posting, Workspace
from intacct_bridge.sync.kinds import ReadBackScope, ReadsBack
from intacct_bridge.sync.progress import Phase, ProgressCallback, ProgressEvent, ignore_progress
from intacct_bridge.sync.registry import kind_of, make_kinds

DRIFT_EXIT_CODE = 6   # the CLI's exit code when a reconciliation finds drift (0: none)
ROWS_PER_FETCH = 2000


def reconcilable_kinds(words: Sequence[str] | None = None) -> dict[str, ReadsBack]:
    """The kinds that can be read back (all of them, or those named), in dependency order."""
    names = [kind_of(w) for w in words] if words else None
    kinds = make_kinds(names)
    chosen = {name: kind for name, kind in kinds.items() if isinstance(kind, ReadsBack)}
    refused = [name for name in (names or []) if name not in chosen]
    if refused:
        raise ValueError(f"{', '.join(refused)} cannot be reconciled yet: choose from "
                         f"{', '.join(n for n, k in make_kinds().items() if isinstance(k, ReadsBack))}")
    return chosen


def reconcile(store: Store, workspace_id: int, client: Any, *, since: date | None = None,
              kinds: Sequence[str] | None = None, progress: ProgressCallback = ignore_progress) -> ReconcileReport:
    """Compare every posted record of the chosen kinds (dated on or after `since`) with Intacct."""
    chosen = reconcilable_kinds(kinds)
    report = ReconcileReport(since=since, kinds=tuple(chosen))
    with store.session() as session:
        uid = session.scalar(select(Workspace.uid).where(Workspace.id == workspace_id))
    usage_before = _usage(client)
    for name, kind in chosen.items():
        reconciler = Reconciler(report)
        dimension_fields: set[str] = set()
        references: set[str] = set()
        keys: set[str] = set()
        for entry in _ours(store, workspace_id, name, kind, since):
            reconciler.add_ours(entry)
            references.add(entry.reference)
            if entry.key:
                keys.add(entry.key)
            dimension_fields.update(k for line in entry.lines for k, _ in line.dimensions)
        if not references and not _holds_records(store, workspace_id, kind):
            reconciler.finish()
            continue   # nothing of the kind here, posted or not: nothing to ask Intacct about
        progress(ProgressEvent(Phase.PULL, 0, report.compared, f"reading {kind.label} back from Intacct"))
        scope = ReadBackScope(workspace_id, str(uid), since, tuple(sorted(dimension_fields)),
                              references=frozenset(references), keys=frozenset(keys), store=store)
        for done, entry in enumerate(kind.read_back(client, scope), start=1):
            reconciler.add_theirs(entry)
            if done % ROWS_PER_FETCH == 0:
                progress(ProgressEvent(Phase.PULL, done, report.compared, kind.label))
        reconciler.finish()
    report.requests, report.api_transactions = (after - before for after, before in zip(_usage(client),
                                                                                      usage_before, strict=True))
    return report


def _ours(store: Store, workspace_id: int, name: str, kind: ReadsBack, since: date | None) -> Iterator[HeldEntry]:
    """Each record's posted write (the newest per reference), streamed from the store."""
    kinds = getattr(kind, "posted_kinds", (name,))   # kinds written as the same Intacct object are read together
    query = (select(Posting.record_kind, Posting.reference_no, Posting.record_id, Posting.posting_date,
                    Posting.request_summary, Posting.intacct_recordno)
             .where(Posting.workspace_id == workspace_id, Posting.record_kind.in_(kinds),
                    Posting.state == PostingState.POSTED.value)
             .order_by(Posting.id))
    if since is not None:
        query = query.where(Posting.posting_date >= since)
    with store.session() as session:
        for row in session.execute(query.execution_options(yield_per=ROWS_PER_FETCH)):
            entry = kind.posted_entry(row)
            if entry is not None:
                yield entry


def _holds_records(store: Store, workspace_id: int, kind: ReadsBack) -> bool:
    """Whether the workspace has records of a kind kept in its own table (kinds without one: assume so)."""
    model = getattr(kind, "model", None)
    if model is None:
        return True
    with store.session() as session:
        return session.scalar(select(model.id).where(model.workspace_id == workspace_id).limit(1)) is not None


def _usage(client: Any) -> tuple[int, int]:
    usage = getattr(client, "usage", None)
    return (getattr(usage, "requests", 0), getattr(usage, "api_transactions", 0)) if usage else (0, 0)

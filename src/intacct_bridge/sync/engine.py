"""One sync run: recover → pull → for each record kind, in dependency order: select → validate → gate → post.

The engine owns the order of the steps and the run record; each step lives in
its own module (pull, review, posting, recovery) and everything kind-specific
in the kind's declaration (`sync.kinds`, `sync.registry`). Candidates are
streamed in chunks so memory stays flat however many records wait. The CLI, the
Python API and the web console all call `SyncEngine.run`.

The gate is per kind: in `halt` mode nothing of the kind is posted while any of
its candidates is invalid (the journal-entry default, seed 000); in `hold` mode
the invalid ones are flagged and held and the valid ones go on (order-to-cash).
A record whose dependency is not posted yet waits (logged `waiting`) and stays
a candidate; kinds run in dependency order, so what a run posts first is
already there for the kinds after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from intacct_bridge.crypto import SecretKeyError
from intacct_bridge.domain.receivables import RecordKind as ReceivableKind
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.intacct import errors
from intacct_bridge.notifications.run_events import record_run
from intacct_bridge.sync.scheduled_reconcile import AFTER_SYNC, run_reconciliation, wants_after_sync
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.locks import RunLock
from intacct_bridge.store.repositories import audit
from intacct_bridge.store.models import Action, SyncRun, Workspace, utcnow
from intacct_bridge.store.repositories.receivables import stored_receivables_settings
from intacct_bridge.sync import review
from intacct_bridge.sync.candidates import CHUNK, UnknownAction
from intacct_bridge.sync.context import ClientFactory, NotConfigured, WorkspaceContext, load_context
from intacct_bridge.sync.diagnosis import diagnose
from intacct_bridge.sync.inflight import InFlight
from intacct_bridge.sync.kinds import BuildError, Checked, GateMode, Outcome, Outgoing, RecordKind, RunScope, Settled
from intacct_bridge.sync.levels import client_for
from intacct_bridge.sync.posting import JOURNAL_ENTRY, Poster, log_items
from intacct_bridge.sync.progress import Phase, ProgressCallback, ProgressEvent, ignore_progress
from intacct_bridge.sync.pull import PreflightError, PullTotals, pull
from intacct_bridge.sync.receivables.pulls import pull_receivables, uses_receivables
from intacct_bridge.sync.recovery import close_interrupted_runs, settle_unconfirmed
from intacct_bridge.sync.registry import all_kinds, make_kinds
from intacct_bridge.sync.runstate import RunTally, final_status, moves_watermark

EntryCallback = Callable[[Any], None]
log = logging.getLogger(__name__)

# Without a client config to read (test doubles): the client's defaults.
DEFAULT_BATCH, DEFAULT_CONCURRENCY = 100, 2

RECORD_URL_TEMPLATE = OperatorSettings.model_fields["record_url_template"].default

# A halting kind's gate pass keeps its checked candidates for the post pass when there are at most
# this many, so each is validated once; beyond it the post pass reads and checks them again.
GATE_CACHE_LIMIT = 10_000

# A dry run's summary kept with the run record names at most this many of the actions it would hold (the
# Python API's `RunReport.summaries` and the CLI have them all).
PREVIEW_HOLDS_KEPT = 200


class SettingsProblem(Exception):
    """Settings that make any run impossible (no journal, a custom mode without a field...)."""


class LockLost(Exception):
    """Another process took the workspace's run lock over (it judged this run dead): stop posting."""


@dataclass
class RunReport:
    run_id: int
    status: RunStatus
    tally: RunTally
    message: str | None
    api_transactions: int
    started_at: datetime
    finished_at: datetime
    dry_run: bool = False

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def summaries(self) -> list[Any]:
        """A dry run's summary entries (`domain.summary.SummaryEntry`, Decimal totals): what would be posted."""
        return list(self.tally.previewed)


@dataclass(frozen=True)
class PreviewedWrite:
    """What a dry run shows of a write that has no richer preview (an invoice, a payment...)."""

    kind: str
    write: Outgoing


@dataclass
class _KindRun:
    """One kind's part of a run: its declaration, its gate mode and its counts."""

    kind: RecordKind
    gate: GateMode
    tally: RunTally
    cached: dict[int, tuple[Any, Checked]] | None = None   # the gate pass's (view, result), when few enough
    gate_started: datetime | None = None                    # when the gate pass began reading


@dataclass
class SyncEngine:
    store: Store
    workspace_id: int
    client_factory: ClientFactory
    clock: Callable[[], datetime] = utcnow
    chunk_size: int = CHUNK
    # The `record.posted` webhook's link to Intacct (the operator's INTACCT_BRIDGE_RECORD_URL_TEMPLATE).
    record_url_template: str = RECORD_URL_TEMPLATE
    # Where `reconcile.drift` notifications link to (the operator's INTACCT_BRIDGE_CONSOLE_URL).
    console_url: str | None = None
    # In a dry run: the actions an in-memory summary holds, with what to log for them (`_show_previews`).
    _previewed_holds: dict[int, str] = field(default_factory=dict, init=False, repr=False)

    def run(
        self,
        *,
        dry_run: bool = False,
        action_id: int | None = None,
        trigger: str = "manual",
        progress: ProgressCallback = ignore_progress,
        on_entry: EntryCallback | None = None,
        kinds: list[str] | None = None,
        record: tuple[str, int] | None = None,
    ) -> RunReport:
        """Run once under the workspace's run lock (`RunLocked` if another run holds it).

        `kinds` limits the run to those record kinds (default: all, in dependency order);
        `record=(kind, id)` (or `action_id`) posts that one record now.
        """
        if action_id is not None:
            record = ("journal_entry", action_id)
        one = record is not None
        purpose = "dry run" if dry_run else ("one-record sync" if one else "sync")
        with RunLock(self.store, self.workspace_id, purpose=purpose) as lock:
            context = load_context(self.store, self.workspace_id)
            selected = make_kinds([record[0]] if record else kinds)
            if record is not None and record[0] == "journal_entry":
                self._check_action_exists(record[1])
            started = self.clock()
            run_id = self._open_run(context, started, dry_run, action_id, trigger)
            self._previewed_holds = {}
            close_interrupted_runs(self.store, self.workspace_id, run_id, started)
            tally, message, error, api = RunTally(), None, None, 0
            try:
                problems = context.settings.problems()
                if problems:
                    raise SettingsProblem("; ".join(p.message for p in problems))
                with self.client_factory() as client:
                    try:
                        scope = self._scope(context, started, record, run_id)
                        message = self._steps(client, context, scope, run_id, tally, dry_run, selected,
                                              progress, on_entry, lock)
                    finally:
                        api = client.usage.api_transactions
            except RUN_FAILURES as exc:
                error, message = exc, _explain(exc, context)
            except BaseException as exc:
                self._close_run(run_id, RunStatus.FAILED, tally, f"internal error: {exc!r}", api, None)
                raise
            status = final_status(tally, error=error)
            log.info("workspace %s run %s %s: %s candidates, %s posted, %s already posted, %s failed, %s invalid, "
                     "%s API transactions%s", self.workspace_id, run_id, status.value, tally.candidates, tally.posted,
                     tally.already_posted, tally.failed, tally.invalid, api, f" — {message}" if message else "")
            watermark = started if moves_watermark(status) and not dry_run and not one else None
            finished = self._close_run(run_id, status, tally, message, api, watermark)
            if not dry_run:
                self._queue_notifications(run_id, status, message, error, finished)
                if not one and moves_watermark(status):
                    self._reconcile_after(run_id)
            return RunReport(run_id, status, tally, message, api, started, finished, dry_run)

    def pull_only(self, progress: ProgressCallback = ignore_progress) -> PullTotals:
        """Refresh accounts, dimensions and campaigns without posting (`intacct-bridge pull`)."""
        with RunLock(self.store, self.workspace_id, purpose="pull"):
            context = load_context(self.store, self.workspace_id)
            with self.client_factory() as client:
                totals = pull(self.store, self.workspace_id, context.settings, client, context.user_id or "?",
                              self.clock(), progress)
                if uses_receivables(self.store, self.workspace_id):
                    totals.receivables = pull_receivables(self.store, client, self.workspace_id, self.clock())
                return totals

    # -- the steps ------------------------------------------------------------------------------

    def _scope(self, context: WorkspaceContext, started: datetime, record: tuple[str, int] | None,
               run_id: int | None = None) -> RunScope:
        not_before = None
        if context.settings.start_date is not None:
            not_before = datetime.combine(context.settings.start_date, time.min, tzinfo=context.settings.zone())
        return RunScope(self.workspace_id, context.uid, started, not_before, record, run_id)

    def _steps(self, client: Any, context: WorkspaceContext, scope: RunScope, run_id: int, tally: RunTally,
               dry_run: bool, selected: dict[str, RecordKind], progress: ProgressCallback,
               on_entry: EntryCallback | None, lock: RunLock) -> str | None:
        if not dry_run:
            with tally.timing("recover"):
                recovered = settle_unconfirmed(self.store, client, self.workspace_id, all_kinds(), self.clock,
                                               progress)
            tally.already_posted += recovered.found_posted
        with tally.timing("pull"):
            totals = pull(self.store, self.workspace_id, context.settings, client, context.user_id or "?",
                          scope.run_started_at, progress)
        tally.values_pulled, tally.campaigns_created = totals.values, totals.created
        tally.campaigns_deactivated = totals.deactivated
        receivables = uses_receivables(self.store, self.workspace_id) and any(k != "journal_entry" for k in selected)
        if receivables:
            with tally.timing("pull"):
                self._pull_receivables(client, tally, scope.run_started_at)
        messages = []
        with self.store.session() as session:
            receivables_settings = stored_receivables_settings(session, self.workspace_id)
        for kind in selected.values():
            gate = getattr(kind, "gate_mode", None) or receivables_settings.gate(ReceivableKind(kind.name))
            part = _KindRun(kind, gate, RunTally())
            message = self._run_kind(client, context, scope, run_id, part, dry_run, progress, on_entry, lock)
            tally.absorb(kind.name, part.tally)
            if message:
                messages.append(message)
        if receivables and not dry_run and any(tally.by_kind.get(k, {}).get("posted") for k in ("invoice", "payment",
                                                                                                  "credit_memo")):
            with tally.timing("pull"):  # what was just posted moved balances: show them as Intacct holds them
                self._pull_receivables(client, tally, self.clock())
        return "; ".join(messages) or None

    def _pull_receivables(self, client: Any, tally: RunTally, now: datetime) -> None:
        pulled = pull_receivables(self.store, client, self.workspace_id, now)
        tally.pulled = {"ar_invoices": tally.pulled.get("ar_invoices", 0) + pulled.invoices,
                        "ar_invoices_only_in_intacct": pulled.only_in_intacct,
                        "ar_payments": tally.pulled.get("ar_payments", 0) + pulled.payments}

    def _run_kind(self, client: Any, context: WorkspaceContext, scope: RunScope, run_id: int, part: _KindRun,
                  dry_run: bool, progress: ProgressCallback, on_entry: EntryCallback | None,
                  lock: RunLock) -> str | None:
        kind, tally = part.kind, part.tally
        client = client_for(kind, client)  # master data goes to the top level (`sync.levels`)
        if scope.only is None:
            with self.store.session() as session:
                if not kind.count(session, scope):
                    return None  # nothing of this kind waits: nothing to prepare, match or read back
        kind.prepare(self.store, scope, context)
        before_posting = getattr(kind, "before_posting", None)
        if before_posting is not None:  # e.g. match customers with Intacct's, read invoices' keys back
            with tally.timing("prepare"):
                before_posting(client, self.store, scope, dry_run)
        if dry_run and getattr(kind, "previews", None):
            self._show_previews(run_id, part, kind.previews, on_entry)
        with self.store.session() as session:
            tally.candidates = kind.count(session, scope)
            if scope.only is not None and not tally.candidates:
                return kind.nothing_to_do(session, scope)
        if not tally.candidates:
            return (f"dry run: {len(tally.previews)} {kind.label} would be posted; nothing was saved or sent"
                    if tally.previews else None)
        if part.gate is GateMode.HALT or dry_run:
            with tally.timing("validate"):
                self._gate(scope, run_id, part, dry_run, progress)
            if tally.invalid and part.gate is GateMode.HALT:
                tally.halted.append(kind.name)
                if not dry_run:
                    self._log_held(scope, run_id, part)
                    return (f"halted: {tally.invalid} of {tally.candidates} {kind.label} need review; nothing was "
                            "posted (fix them, then sync again)")
            if dry_run:
                with tally.timing("preview"):
                    self._preview(scope, run_id, part, progress, on_entry)
                skipped = f", {tally.skipped} skipped by a skip-export rule" if tally.skipped else ""
                return (f"dry run: {tally.would_post} would be posted, {tally.invalid} need review{skipped}; "
                        "nothing was sent")
        with tally.timing("post"):
            self._post(client, scope, run_id, part, progress, lock)
        notes = []
        if tally.invalid:
            notes.append(f"{tally.invalid} {kind.label} held for review")
        if tally.waiting:
            notes.append(f"{tally.waiting} {kind.label} wait for a record they depend on")
        if tally.skipped:
            notes.append(f"{tally.skipped} skipped by a skip-export rule")
        if tally.unbuildable:
            notes.append(f"{tally.unbuildable} could not be built into a request (flagged for review)")
        if tally.failed or tally.unconfirmed:
            notes.append(f"{tally.failed} rejected by Intacct (flagged for review), {tally.unconfirmed} unconfirmed "
                         "(checked again at the next run)")
        return "; ".join(notes) or None

    def _checked_chunks(self, scope: RunScope, part: _KindRun, size: int | None = None) -> Iterator[list[Checked]]:
        """The kind's candidates after its rules, a chunk at a time.

        When the gate pass kept every candidate's result and the kind can tell that none of its
        records changed since that pass began (`changed_since`), those results are used as they
        are: each record is read and validated once per run. Otherwise the candidates are read
        afresh; a record the gate pass already checked, and that has not changed since, reuses
        that result, and a changed one is checked again as it stands now.
        """
        if self._gate_still_holds(scope, part):
            results = [checked for _, checked in (part.cached or {}).values()]
            step = size or self.chunk_size
            for start in range(0, len(results), step):
                yield results[start:start + step]
            return
        cached = part.cached or {}
        for views in part.kind.chunks(self.store, scope, size or self.chunk_size):
            checked = []
            for view in views:
                seen = cached.get(view.id)
                checked.append(seen[1] if seen is not None and seen[0] == view else part.kind.check(view))
            yield checked

    def _gate_still_holds(self, scope: RunScope, part: _KindRun) -> bool:
        """The gate pass saw every candidate, and none was added, removed or changed since."""
        changed_since = getattr(part.kind, "changed_since", None)
        if part.cached is None or part.gate_started is None or changed_since is None:
            return False
        with self.store.session() as session:
            return (part.kind.count(session, scope) == len(part.cached)
                    and not changed_since(session, scope, part.gate_started))

    def _gate(self, scope: RunScope, run_id: int, part: _KindRun, dry_run: bool,
              progress: ProgressCallback) -> None:
        """Validate every candidate; flag the invalid, clear the flag of the fixed (a dry run too)."""
        kind, tally = part.kind, part.tally
        keep = tally.candidates <= GATE_CACHE_LIMIT
        cache: dict[int, tuple[Any, Checked]] = {}
        part.gate_started = utcnow()
        done = 0
        for views in kind.chunks(self.store, scope, self.chunk_size):
            checked = [kind.check(view) for view in views]
            self._flag_invalid(scope, run_id, part, checked)
            if keep:
                cache.update((view.id, (view, result)) for view, result in zip(views, checked, strict=True))
            done += len(views)
            progress(ProgressEvent(Phase.VALIDATE, done, tally.candidates))
        part.cached = cache if keep else None

    def _flag_invalid(self, scope: RunScope, run_id: int, part: _KindRun, checked: list[Checked]) -> None:
        kind, tally = part.kind, part.tally
        invalid = {c.record_id: c.reasons for c in checked if c.reasons}
        tally.invalid += len(invalid)
        with self.store.write_session() as session:
            # A dry run too: the review queue says what is wrong now (a fixed record leaves it, a newly
            # invalid one joins it); only posting and the watermark are left to a real run.
            review.flag(session, scope.workspace_id, kind, invalid, kind=review.INVALID, run_id=run_id)
            tally.unflagged += review.unflag(session, scope.workspace_id, kind,
                                             [c.record_id for c in checked if not c.reasons])
            log_items(session, run_id, kind.name, [(rid, Outcome.INVALID, "; ".join(r.message for r in rs), None)
                                                    for rid, rs in invalid.items()])

    def _log_held(self, scope: RunScope, run_id: int, part: _KindRun) -> None:
        """A halted kind's log also names every valid record it held back."""
        for checked in self._checked_chunks(scope, part):
            held = [(c.record_id, Outcome.HELD, held_message(part.kind), None) for c in checked
                    if c.valid and not c.skipped]
            with self.store.write_session() as session:
                log_items(session, run_id, part.kind.name, held)

    def _outgoing(self, scope: RunScope, run_id: int, part: _KindRun, *, gate_done: bool,
                  dry_run: bool, size: int | None = None) -> Iterator[tuple[list[Outgoing], int]]:
        """Valid candidates as writes, a chunk at a time (with how many candidates the chunk held).

        In hold mode the gate runs here (one pass: flag the invalid, post the valid). A record whose
        dependencies are not posted yet is logged `waiting`; one that cannot be built is flagged with
        its reasons, and the rest of the chunk goes on.
        """
        kind = part.kind
        for checked in self._checked_chunks(scope, part, size):
            if not gate_done:
                self._flag_invalid(scope, run_id, part, checked)
            skipped = {c.record_id: c.skipped for c in checked if c.valid and c.skipped}
            valid = [c for c in checked if c.valid and not c.skipped]
            with self.store.session() as session:
                waiting = kind.waiting_on(session, valid) if valid else {}
            # A dry run's action that a previewed summary holds is not waiting: it is shown in that summary.
            summarized = ({rid: self._previewed_holds[rid] for rid in waiting if rid in self._previewed_holds}
                          if dry_run and kind.name == JOURNAL_ENTRY else {})
            waiting = {rid: why for rid, why in waiting.items() if rid not in summarized}
            writes, broken = [], {}
            for item in valid:
                if item.record_id in waiting or item.record_id in summarized:
                    continue
                try:
                    writes.append(kind.build(item, scope))
                except BuildError as exc:
                    broken[item.record_id] = exc.reasons
            part.tally.waiting += len(waiting)
            part.tally.skipped += len(skipped)
            part.tally.unbuildable += len(broken)
            for record_id, reasons in broken.items():
                log.warning("workspace %s run %s: %s %s cannot be sent: %s", scope.workspace_id, run_id, kind.name,
                            record_id, "; ".join(r.message for r in reasons))
            if not waiting and not broken and not skipped and not summarized:
                yield writes, len(checked)  # nothing to log: no write transaction (it would wait on the posters')
                continue
            with self.store.write_session() as session:
                if broken and not dry_run:
                    review.flag(session, scope.workspace_id, kind, broken, kind=review.INVALID, run_id=run_id)
                log_items(session, run_id, kind.name,
                          [(rid, Outcome.WAITING, why, None) for rid, why in waiting.items()]
                          + [(rid, Outcome.SKIPPED, why, None) for rid, why in skipped.items()]
                          + [(rid, Outcome.WOULD_POST, why, None) for rid, why in summarized.items()]
                          + [(rid, Outcome.INVALID, "; ".join(r.message for r in rs), None)
                             for rid, rs in broken.items()])
            yield writes, len(checked)

    def _post(self, client: Any, scope: RunScope, run_id: int, part: _KindRun, progress: ProgressCallback,
              lock: RunLock) -> None:
        """Post the kind's writes in batches of one request each, a few batches in flight at once.

        Chunks are read, checked and built here while earlier batches are reserved, sent and
        recorded on the poster's threads (`sync.inflight`), so a request is always ready when a
        concurrency slot frees up, chunk boundaries included. Each batch's reservation confirms, in
        its own transaction, that the run still holds the workspace's lock (which also refreshes
        it), so before any request leaves: a run whose lock was taken over reserves and sends
        nothing more, and stops instead of posting beside its successor.
        """
        tally = part.tally
        done = 0

        def still_ours(session: Any) -> None:
            if lock.lost.is_set() or not lock.confirm(session):
                raise LockLost("another process took over this workspace's run lock, so this run stopped "
                               f"posting after {done} of {tally.candidates} {part.kind.label}; the next run "
                               "settles what was sent")

        poster = Poster(self.store, client, self.workspace_id, scope.workspace_uid, run_id, part.kind, self.clock,
                        guard=still_ours)
        batch_size, in_flight = _request_shape(client)
        progress(ProgressEvent(Phase.POST, 0, tally.candidates))

        def finished(settled: list[Settled], seen: int) -> None:
            nonlocal done
            for item in settled:
                tally.count(item.outcome)
            done += seen
            progress(ProgressEvent(Phase.POST, done, tally.candidates))

        with InFlight[list[Settled]](in_flight, finished) as batches:
            # Chunks of one request each: the first request leaves as soon as it is built, and each
            # next one is built while those before it are reserved and on the wire.
            for writes, seen in self._outgoing(scope, run_id, part, gate_done=part.gate is GateMode.HALT,
                                               dry_run=False, size=batch_size):
                if not writes:
                    finished([], seen)
                    continue
                starts = range(0, len(writes), batch_size)
                for start in starts:
                    batches.wait_for_room()
                    # The chunk's candidates count as done with its last batch (progress counts candidates).
                    batches.submit(poster.post, writes[start:start + batch_size],
                                   tag=seen if start == starts[-1] else 0)
            batches.drain()

    def _preview(self, scope: RunScope, run_id: int, part: _KindRun, progress: ProgressCallback,
                 on_entry: EntryCallback | None) -> None:
        done = 0
        for writes, seen in self._outgoing(scope, run_id, part, gate_done=True, dry_run=True):
            part.tally.would_post += len(writes)
            with self.store.write_session() as session:
                log_items(session, run_id, part.kind.name, [(w.record_id, Outcome.WOULD_POST, None, None)
                                                            for w in writes],
                          previews={w.record_id: dict(w.summary) for w in writes if w.summary is not None})
            for write in writes:
                if on_entry is not None:
                    on_entry(write.preview if write.preview is not None else PreviewedWrite(part.kind.name, write))
            done += seen
            progress(ProgressEvent(Phase.POST, done, part.tally.candidates))

    def _show_previews(self, run_id: int, part: _KindRun, previews: list[Any], on_entry: EntryCallback | None
                       ) -> None:
        """A dry run's entries that a kind assembled in memory (summaries): counted, kept with the run record
        (their holds capped), shown to the caller; the records they hold are logged as going into them."""
        part.tally.would_post += len(previews)
        part.tally.previewed += previews
        part.tally.previews += [entry.preview(PREVIEW_HOLDS_KEPT) for entry in previews]
        for entry in previews:
            self._previewed_holds.update(
                (share.action_id, f"would go into summary {entry.reference} ({entry.journal}, "
                                  f"{entry.posting_date.isoformat()}, {len(entry.shares)} action(s)); a real run "
                                  "assembles and posts it") for share in entry.shares)
            if on_entry is not None:
                on_entry(entry)

    def _queue_notifications(self, run_id: int, status: RunStatus, message: str | None,
                             error: BaseException | None, now: datetime) -> None:
        """Queue the run's notifications in the store's outbox; delivering them is not the run's business."""
        try:
            record_run(self.store, self.workspace_id, run_id, status, message, error=error,
                       record_url_template=self.record_url_template, now=now)
        except Exception:  # a notification must never break a recorded run
            log.exception("workspace %s run %s: queueing notifications failed", self.workspace_id, run_id)

    def _reconcile_after(self, run_id: int) -> None:
        """The workspace's `after_sync` reconciliation, once the run is recorded (its lock is still held, so
        nothing posts meanwhile). It records its outcome and never fails the run."""
        try:
            if wants_after_sync(self.store, self.workspace_id):
                run_reconciliation(self.store, self.workspace_id, self.client_factory, trigger=AFTER_SYNC,
                                   sync_run_id=run_id, console_url=self.console_url, now=self.clock)
        except Exception:
            log.exception("workspace %s run %s: the reconciliation after it failed", self.workspace_id, run_id)

    # -- the run record -------------------------------------------------------------------------

    def _check_action_exists(self, action_id: int) -> None:
        with self.store.session() as session:
            action = session.get(Action, action_id)
            if action is None or action.workspace_id != self.workspace_id:
                raise UnknownAction(f"there is no action {action_id} in this workspace: see `intacct-bridge actions list`")

    def _open_run(self, context: WorkspaceContext, started: datetime, dry_run: bool, action_id: int | None,
                  trigger: str) -> int:
        with self.store.write_session() as session:
            run = SyncRun(workspace_id=self.workspace_id, status=RunStatus.RUNNING.value, trigger=trigger,
                          dry_run=dry_run, only_action_id=action_id, started_at=started,
                          watermark_before=context.last_sync_at)
            session.add(run)
            session.flush()
            audit.record(session, self.workspace_id, "sync.started", f"run {run.id}",
                         {"run_id": run.id, "trigger": trigger, "dry_run": dry_run,
                          **({"action_id": action_id} if action_id is not None else {})})
            return run.id

    def _close_run(self, run_id: int, status: RunStatus, tally: RunTally, message: str | None, api: int,
                   watermark: datetime | None) -> datetime:
        finished = self.clock()
        with self.store.write_session() as session:
            run = session.get(SyncRun, run_id)
            assert run is not None
            run.status, run.finished_at, run.message, run.api_transactions = status.value, finished, message, api
            run.candidates, run.invalid, run.failed = tally.candidates, tally.invalid + tally.unbuildable, tally.failed
            run.posted = tally.posted + tally.already_posted
            run.values_pulled = tally.values_pulled
            run.details = tally.as_dict()
            if watermark is not None:
                workspace = session.get(Workspace, self.workspace_id)
                assert workspace is not None
                workspace.last_sync_at = watermark
        return finished


@dataclass
class ReportingEngine(SyncEngine):
    """The engine, telling its caller the run's id as soon as the run record exists.

    Whoever started the run (a request waiting to answer 202, a worker writing its ticket)
    learns the id while the run goes on.
    """

    on_open: Callable[[int], None] = field(default=lambda run_id: None)

    def _open_run(self, *args: Any, **kwargs: Any) -> int:
        run_id = super()._open_run(*args, **kwargs)
        self.on_open(run_id)
        return run_id


def _request_shape(client: Any) -> tuple[int, int]:
    """(records per batch, batches in flight): one request's worth each, one more than the client's slots.

    The extra batch is being reserved or recorded while the others hold every slot.
    """
    config = getattr(client, "config", None)
    batch_size = getattr(config, "batch_size", None) or DEFAULT_BATCH
    concurrency = getattr(config, "max_concurrency", None) or DEFAULT_CONCURRENCY
    return batch_size, concurrency + 1


def held_message(kind: RecordKind) -> str:
    return f"valid, held back: the run halted because other {kind.label} need review"


# What ends a run `failed` with a message for the user (anything else is a bug: recorded, then raised).
RUN_FAILURES = (PreflightError, SettingsProblem, LockLost, NotConfigured, SecretKeyError, errors.IntacctError)


def _explain(exc: BaseException, context: WorkspaceContext) -> str:
    if isinstance(exc, PreflightError):
        return str(exc.diagnosis)
    if isinstance(exc, SettingsProblem):
        return f"settings: {exc}"
    if isinstance(exc, errors.IntacctError):
        diagnosis = diagnose(exc, company_id=context.company_id or "", user_id=context.user_id or "")
        return f"{diagnosis} Intacct said: {diagnosis.intacct_message}"
    return str(exc)


__all__ = ["LockLost", "PreviewedWrite", "RunReport", "SettingsProblem", "SyncEngine"]

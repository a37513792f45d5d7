"""One sync run: pull → reconcile campaigns → select candidates → validate → gate → post → record.

The engine owns the order of the steps and the run record; each step lives in
its own module (pull, candidates, review, posting, recovery). Candidates are
streamed in chunks twice — once through the gate, once to post — so memory
stays flat however many actions wait. The CLI, the Python API and the web
console all call `SyncEngine.run`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from sqlalchemy import insert

from intacct_bridge.crypto import SecretKeyError
from intacct_bridge.domain.journal import InvalidAction, JournalEntry, journal_entry_or_reasons
from intacct_bridge.domain.mapping import CampaignKey, apply_defaults, catalogue_of
from intacct_bridge.domain.model import ActionView, CampaignTag, Reason
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.validation import validate_action
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.intacct import errors
from intacct_bridge.store.database import Store
from intacct_bridge.store.locks import RunLock
from intacct_bridge.store.models import Action, RunItem, SyncRun, Workspace, utcnow
from intacct_bridge.sync import review
from intacct_bridge.sync.candidates import (
    CHUNK,
    UnknownAction,
    Window,
    count_candidates,
    intacct_tags,
    iter_candidate_chunks,
    why_not_candidate,
)
from intacct_bridge.sync.context import ClientFactory, NotConfigured, WorkspaceContext, load_context
from intacct_bridge.sync.diagnosis import diagnose
from intacct_bridge.sync.posting import Outcome, Poster, Settled
from intacct_bridge.sync.progress import Phase, ProgressCallback, ProgressEvent, ignore_progress
from intacct_bridge.sync.pull import PreflightError, PullTotals, pull
from intacct_bridge.sync.recovery import close_interrupted_runs, settle_unconfirmed
from intacct_bridge.sync.runstate import RunTally, final_status, moves_watermark

EntryCallback = Callable[[JournalEntry], None]
log = logging.getLogger(__name__)


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


@dataclass
class _Checked:
    """One candidate after mapping defaults and validation."""

    action: ActionView
    reasons: list[Reason]
    applied: tuple[Any, ...] = ()


@dataclass
class SyncEngine:
    store: Store
    workspace_id: int
    client_factory: ClientFactory
    clock: Callable[[], datetime] = utcnow
    chunk_size: int = CHUNK
    _catalogue: dict[CampaignKey, CampaignTag] = field(default_factory=dict, init=False)

    def run(
        self,
        *,
        dry_run: bool = False,
        action_id: int | None = None,
        trigger: str = "manual",
        progress: ProgressCallback = ignore_progress,
        on_entry: EntryCallback | None = None,
    ) -> RunReport:
        """Run once under the workspace's run lock (`RunLocked` if another run holds it)."""
        purpose = "dry run" if dry_run else ("one-action sync" if action_id else "sync")
        with RunLock(self.store, self.workspace_id, purpose=purpose) as lock:
            context = load_context(self.store, self.workspace_id)
            if action_id is not None:
                self._check_action_exists(action_id)
            started = self.clock()
            run_id = self._open_run(context, started, dry_run, action_id, trigger)
            close_interrupted_runs(self.store, self.workspace_id, run_id, started)
            tally, message, error, api = RunTally(), None, None, 0
            try:
                problems = context.settings.problems()
                if problems:
                    raise SettingsProblem("; ".join(p.message for p in problems))
                with self.client_factory() as client:
                    try:
                        message = self._steps(client, context, run_id, started, tally, dry_run, action_id,
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
            watermark = started if moves_watermark(status) and not dry_run and action_id is None else None
            finished = self._close_run(run_id, status, tally, message, api, watermark)
            return RunReport(run_id, status, tally, message, api, started, finished, dry_run)

    def pull_only(self, progress: ProgressCallback = ignore_progress) -> PullTotals:
        """Refresh accounts, dimensions and campaigns without posting (`intacct-bridge pull`)."""
        with RunLock(self.store, self.workspace_id, purpose="pull"):
            context = load_context(self.store, self.workspace_id)
            with self.client_factory() as client:
                return pull(self.store, self.workspace_id, context.settings, client, context.user_id or "?",
                            self.clock(), progress)

    # -- the steps ------------------------------------------------------------------------------

    def _steps(self, client: Any, context: WorkspaceContext, run_id: int, started: datetime, tally: RunTally,
               dry_run: bool, action_id: int | None, progress: ProgressCallback,
               on_entry: EntryCallback | None, lock: RunLock) -> str | None:
        if not dry_run:
            with tally.timing("recover"):
                recovered = settle_unconfirmed(self.store, client, self.workspace_id, self.clock, progress)
            tally.already_posted += recovered.found_posted
        with tally.timing("pull"):
            totals = pull(self.store, self.workspace_id, context.settings, client, context.user_id or "?", started,
                          progress)
        tally.values_pulled, tally.campaigns_created = totals.values, totals.created
        tally.campaigns_deactivated = totals.deactivated
        window = self._window(context, started, action_id)
        with self.store.session() as session:
            tally.candidates = count_candidates(session, window)
            if action_id is not None and not tally.candidates:
                return why_not_candidate(session, self.workspace_id, action_id)
            self._catalogue = catalogue_of(intacct_tags(session, self.workspace_id), context.settings)
        with tally.timing("validate"):
            self._gate(window, context.settings, run_id, tally, dry_run, progress)
        if tally.invalid and not dry_run:
            self._log_held(window, context.settings, run_id)
            return (f"halted: {tally.invalid} of {tally.candidates} actions need review; nothing was posted "
                    "(fix them, then sync again)")
        if dry_run:
            with tally.timing("preview"):
                self._preview(window, context, started, run_id, tally, progress, on_entry)
            return f"dry run: {tally.would_post} would be posted, {tally.invalid} need review; nothing was sent"
        with tally.timing("post"):
            self._post(client, window, context, started, run_id, tally, progress, lock)
        if tally.failed or tally.unconfirmed or tally.unbuildable:
            unbuildable = (f"{tally.unbuildable} could not be built into a request (flagged for review), "
                           if tally.unbuildable else "")
            return (f"{unbuildable}{tally.failed} rejected by Intacct (flagged for review), {tally.unconfirmed} "
                    "unconfirmed (checked again at the next run)")
        return None

    def _window(self, context: WorkspaceContext, started: datetime, action_id: int | None) -> Window:
        not_before = None
        if context.settings.start_date is not None:
            not_before = datetime.combine(context.settings.start_date, time.min, tzinfo=context.settings.zone())
        return Window(self.workspace_id, started, not_before, action_id)

    def _check(self, views: list[ActionView], settings: SyncSettings) -> list[_Checked]:
        checked = []
        for view in views:
            mapped = apply_defaults(view, settings, self._catalogue)
            reasons = list(mapped.problems) + validate_action(mapped.action, settings)
            checked.append(_Checked(mapped.action, reasons, mapped.applied))
        return checked

    def _gate(self, window: Window, settings: SyncSettings, run_id: int, tally: RunTally, dry_run: bool,
              progress: ProgressCallback) -> None:
        """Validate every candidate; flag the invalid, clear the flag of the fixed (not in a dry run)."""
        done = 0
        for views in iter_candidate_chunks(self.store, window, self.chunk_size):
            checked = self._check(views, settings)
            invalid = {c.action.id: c.reasons for c in checked if c.reasons}
            tally.invalid += len(invalid)
            with self.store.write_session() as session:
                if not dry_run:
                    review.flag(session, self.workspace_id, invalid, kind=review.INVALID, run_id=run_id)
                    tally.unflagged += review.unflag(session, self.workspace_id,
                                                     [c.action.id for c in checked if not c.reasons])
                _log(session, run_id, [(aid, Outcome.INVALID, "; ".join(r.message for r in rs))
                                       for aid, rs in invalid.items()])
            done += len(views)
            progress(ProgressEvent(Phase.VALIDATE, done, tally.candidates))

    def _log_held(self, window: Window, settings: SyncSettings, run_id: int) -> None:
        """A halted run's log also names every valid action it held back."""
        for views in iter_candidate_chunks(self.store, window, self.chunk_size):
            held = [(c.action.id, Outcome.HELD, HELD_MESSAGE) for c in self._check(views, settings) if not c.reasons]
            with self.store.write_session() as session:
                _log(session, run_id, held)

    def _entries(self, window: Window, context: WorkspaceContext, started: datetime):
        """Valid candidates as journal entries, a chunk at a time: (entries, {action id: reasons it could not
        be built}, how many candidates the chunk held). One action's failure never stops the others."""
        for views in iter_candidate_chunks(self.store, window, self.chunk_size):
            entries: list[JournalEntry] = []
            unbuildable: dict[int, list[Reason]] = {}
            for view in views:
                mapped = apply_defaults(view, context.settings, self._catalogue)
                if mapped.problems:
                    continue  # changed since the gate: left for the next run, which will flag it
                try:
                    built = journal_entry_or_reasons(mapped.action, context.settings, workspace_uid=context.uid,
                                                     run_started_at=started, applied_defaults=mapped.applied)
                except InvalidAction:
                    continue  # the gate's business: flagged there (or at the next run if it changed since)
                if isinstance(built, JournalEntry):
                    entries.append(built)
                else:
                    unbuildable[view.id] = built
            yield entries, unbuildable, len(views)

    def _hold_unbuildable(self, unbuildable: dict[int, list[Reason]], run_id: int, tally: RunTally,
                          dry_run: bool) -> None:
        """Log (and, for real, flag) the actions no request could be built for; the rest go on."""
        if not unbuildable:
            return
        tally.unbuildable += len(unbuildable)
        for action_id, reasons in unbuildable.items():
            log.warning("workspace %s run %s: action %s cannot be sent: %s", self.workspace_id, run_id, action_id,
                        "; ".join(r.message for r in reasons))
        with self.store.write_session() as session:
            if not dry_run:
                review.flag(session, self.workspace_id, unbuildable, kind=review.INVALID, run_id=run_id)
            _log(session, run_id, [(aid, Outcome.INVALID, "; ".join(r.message for r in rs))
                                   for aid, rs in unbuildable.items()])

    def _post(self, client: Any, window: Window, context: WorkspaceContext, started: datetime, run_id: int,
              tally: RunTally, progress: ProgressCallback, lock: RunLock) -> None:
        """Post chunk after chunk; the next chunk is read and built while the current one is on the wire.

        Before each chunk is sent the run confirms it still holds the workspace's lock (which also
        refreshes it): a run whose lock was taken over stops instead of posting beside its successor.
        """
        poster = Poster(self.store, client, self.workspace_id, context.uid, run_id, self.clock)
        done = 0
        progress(ProgressEvent(Phase.POST, 0, tally.candidates))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="poster") as pool:
            in_flight: tuple[Future[list[Settled]], int] | None = None
            for entries, unbuildable, seen in self._entries(window, context, started):
                self._hold_unbuildable(unbuildable, run_id, tally, dry_run=False)
                if in_flight is not None:
                    done += self._collect(in_flight, tally)
                    progress(ProgressEvent(Phase.POST, done, tally.candidates))
                    in_flight = None
                if lock.lost.is_set() or not lock.heartbeat():
                    raise LockLost("another process took over this workspace's run lock, so this run stopped "
                                   f"posting after {done} of {tally.candidates} actions; the next run settles "
                                   "what was sent")
                in_flight = (pool.submit(poster.post, entries), seen)
            if in_flight is not None:
                done += self._collect(in_flight, tally)
                progress(ProgressEvent(Phase.POST, done, tally.candidates))

    @staticmethod
    def _collect(in_flight: tuple[Future[list[Settled]], int], tally: RunTally) -> int:
        future, seen = in_flight
        for settled in future.result():
            _count(tally, settled.outcome)
        return seen

    def _preview(self, window: Window, context: WorkspaceContext, started: datetime, run_id: int,
                 tally: RunTally, progress: ProgressCallback, on_entry: EntryCallback | None) -> None:
        done = 0
        for entries, unbuildable, seen in self._entries(window, context, started):
            self._hold_unbuildable(unbuildable, run_id, tally, dry_run=True)
            tally.would_post += len(entries)
            with self.store.write_session() as session:
                _log(session, run_id, [(e.action_id, Outcome.WOULD_POST, None) for e in entries])
            for entry in entries:
                if on_entry is not None:
                    on_entry(entry)
            done += seen
            progress(ProgressEvent(Phase.POST, done, tally.candidates))

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


HELD_MESSAGE = "valid, held back: the run halted because other actions need review"

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


def _count(tally: RunTally, outcome: str) -> None:
    if outcome == Outcome.POSTED:
        tally.posted += 1
    elif outcome == Outcome.ALREADY_POSTED:
        tally.already_posted += 1
    elif outcome == Outcome.FAILED:
        tally.failed += 1
    else:
        tally.unconfirmed += 1


def _log(session: Any, run_id: int, items: list[tuple[int, str, str | None]]) -> None:
    if items:
        session.execute(insert(RunItem), [
            {"run_id": run_id, "action_id": aid, "outcome": outcome, "message": message, "created_at": utcnow()}
            for aid, outcome, message in items
        ])

"""Runs started from the API or the console: the engine's `run` on a worker thread, progress kept for polling.

A request must answer 202 with the run's id, yet the engine creates the run record
itself, under the workspace's run lock. So the request submits the job and waits
only until the engine has opened the run (or refused: another run holds the lock),
which takes milliseconds; the run then goes on in the background. The latest
progress event of each live run is kept in memory for the console to poll; the run
record in the store stays the truth (and is what other processes see).
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from intacct_bridge.intacct.client import IntacctClient
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.sync.context import check_configured, client_factory
from intacct_bridge.notifications.delivery import deliver_quietly
from intacct_bridge.sync.engine import ReportingEngine, SyncEngine
from intacct_bridge.sync.progress import ProgressEvent
from intacct_bridge.sync.pull import PullTotals
from intacct_bridge.store.models import utcnow
from intacct_bridge.store.repositories.pulled_receivables import StockCounts
from intacct_bridge.sync.reference_pull import ReferencePulled, pull_reference
from intacct_bridge.sync.receivables.pulls import pull_stock
from intacct_bridge.workers.queue import RunQueue

T = TypeVar("T")

log = logging.getLogger(__name__)
OPEN_TIMEOUT_SECONDS = 30.0
QUEUED_WAIT_SECONDS = 3.0


class RunnerBusy(Exception):
    """Every worker is busy with other runs; the request may be retried shortly."""


class RunManager:
    """A small pool of worker threads running syncs for the web app (runs are I/O bound)."""

    def __init__(self, store: Store, operator: OperatorSettings, *, workers: int = 4,
                 client_options: dict[str, Any] | None = None, queue: RunQueue | None = None) -> None:
        self.store = store
        self.operator = operator
        self.client_options = dict(client_options or {})
        self.queue = queue
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="intacct-bridge-run")
        self._progress: dict[int, ProgressEvent] = {}
        self._live: set[int] = set()
        self._guard = threading.Lock()

    def engine(self, workspace_id: int, on_open: Callable[[int], None] = lambda run_id: None) -> SyncEngine:
        factory = client_factory(self.store, workspace_id, self.operator, **self.client_options)
        return ReportingEngine(self.store, workspace_id, factory, on_open=on_open,
                               record_url_template=self.operator.record_url_template,
                               console_url=self.operator.console_url)

    def start(self, workspace_id: int, *, dry_run: bool = False, action_id: int | None = None,
              trigger: str = "api", kinds: list[str] | None = None,
              record: tuple[str, int] | None = None, queued_wait: float = QUEUED_WAIT_SECONDS) -> int | None:
        """Start a run in the background and return its id once it exists (None: queued, not opened yet).

        `queued_wait`: with a broker, how long to wait for a worker to open the run.

        Raises `NotConfigured` (no connection or sender), `RunLocked` (a run is going on)
        or `RunnerBusy` before anything starts.
        """
        check_configured(self.store, workspace_id, self.operator)  # fail fast on a missing connection
        if self.queue is not None:
            one = ("journal_entry", action_id) if action_id is not None else record
            queued = self.queue.enqueue(workspace_id, trigger=trigger, dry_run=dry_run, kinds=kinds, record=one)
            return self.queue.opened(queued, wait_seconds=queued_wait)
        opened: Future[int] = Future()

        def report_open(run_id: int) -> None:
            with self._guard:
                self._live.add(run_id)
            opened.set_result(run_id)

        def job() -> None:
            engine = self.engine(workspace_id, report_open)
            try:
                engine.run(dry_run=dry_run, action_id=action_id, trigger=trigger, kinds=kinds, record=record,
                           progress=lambda event: self._record(opened, event))
                if not dry_run:  # after the run is recorded, on this worker thread: never inside the run
                    deliver_quietly(self.store, self.operator, workspace_id)
            except BaseException as exc:  # the engine has closed the run as failed if it had opened it
                if not opened.done():
                    opened.set_exception(exc)
                else:
                    log.error("run %s of workspace %s failed: %s", opened.result(), workspace_id, type(exc).__name__)
            finally:
                if opened.done() and opened.exception() is None:
                    with self._guard:
                        self._live.discard(opened.result())
                        self._progress.pop(opened.result(), None)

        # The run's audit entry names whoever started it (the request's caller, `store.repositories.audit`).
        submitted = self._pool.submit(contextvars.copy_context().run, job)
        for _ in range(2):  # queued: give up and cancel; started: it opens its run (or fails) promptly
            try:
                return opened.result(timeout=OPEN_TIMEOUT_SECONDS)
            except FutureTimeout:
                if submitted.cancel() or submitted.cancelled():
                    break
        raise RunnerBusy("every sync worker is busy (or the store is): try again in a minute")

    def _record(self, opened: Future[int], event: ProgressEvent) -> None:
        if opened.done() and opened.exception() is None:
            with self._guard:
                self._progress[opened.result()] = event

    def progress(self, run_id: int) -> ProgressEvent | None:
        """The last progress event of a run this process ran (None if unknown here)."""
        with self._guard:
            return self._progress.get(run_id)

    def is_live(self, run_id: int) -> bool:
        with self._guard:
            return run_id in self._live

    def pull(self, workspace_id: int) -> PullTotals:
        """Pull accounts and dimensions now, in the caller's thread (raises `RunLocked` if busy)."""
        check_configured(self.store, workspace_id, self.operator)
        return self.engine(workspace_id).pull_only()

    def _with_client(self, workspace_id: int, read: Callable[[IntacctClient], T]) -> T:
        """Run one read against Intacct in the caller's thread, with the app's client options."""
        check_configured(self.store, workspace_id, self.operator)
        factory = client_factory(self.store, workspace_id, self.operator, **self.client_options)
        with factory() as client:
            return read(client)

    def pull_stock(self, workspace_id: int) -> StockCounts:
        """Read stock levels from Intacct now, in the caller's thread."""
        return self._with_client(workspace_id, lambda client: pull_stock(self.store, client, workspace_id, utcnow()))

    def pull_reference(self, workspace_id: int) -> ReferencePulled:
        """Read entities, journals, AR terms and tax details from Intacct now, in the caller's thread."""
        return self._with_client(workspace_id,
                                 lambda client: pull_reference(self.store, workspace_id, client, utcnow()))

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)

"""Each workspace's scheduled sync, hosted on APScheduler in `serve`: nightly at a time, or every N hours.

APScheduler holds one job per workspace with a schedule, in the workspace's own time zone
(`schedule.slots` builds the trigger and says which slot is due). Settings also change from
other processes (the CLI, the API), so a refresh job reads the schedules from the store once
at start and every minute after, and adds, reschedules or removes jobs to match.

A due slot is claimed in the store before its run starts (`store.repositories.schedule_slots`):
however many `serve` processes run the scheduler, one claims it and the others do nothing, so
each slot fires exactly once. A server that was down catches up once, with the latest slot
only. With a broker the run goes to the workers; a run that could not be started gives its
claim back for the next refresh.

The same refresh starts each workspace's daily reconciliation when its slot is due
(`sync.scheduled_reconcile`: `reconcile_schedule = daily` at `reconcile_time`), claimed the same
way, run on this thread (it only reads Intacct), recorded, and notified on drift.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from intacct_bridge.notifications.delivery import deliver_quietly
from intacct_bridge.schedule.slots import UTC, Schedule, aware_utc, due_slot, is_due, latest_fire_time
from intacct_bridge.store.database import Store
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.locks import make_holder
from intacct_bridge.store.models import SyncRun, WorkspaceSettings, utcnow
from intacct_bridge.store.repositories.audit import Caller, calling_as
from intacct_bridge.store.repositories.schedule_slots import claim_slot, release_slot
from intacct_bridge.sync.context import NotConfigured, client_factory
from intacct_bridge.sync.scheduled_reconcile import SCHEDULED, due_reconciliations, run_reconciliation
from intacct_bridge.web.runner import RunManager, RunnerBusy

log = logging.getLogger(__name__)
TRIGGER = "schedule"
REFRESH_JOB = "refresh-schedules"
DELIVERY_JOB = "deliver-notifications"
DELIVERY_SECONDS = 30
QUEUED = 0  # what `tick` lists for a run handed to the workers and not opened yet (run ids start at 1)
# A nightly job the process could not run on time (a busy worker, a suspended host) still
# runs within this span; beyond it the next refresh's catch-up starts it all the same.
MISFIRE_GRACE_SECONDS = 6 * 3600


def job_id(workspace_id: int) -> str:
    return f"sync-ws-{workspace_id}"


__all__ = ["Schedule", "Scheduler", "is_due", "latest_fire_time", "read_schedules"]


def read_schedules(store: Store, workspace_id: int | None = None) -> list[Schedule]:
    """Every workspace with a schedule (or just `workspace_id`'s), with its last scheduled run."""
    with store.session() as session:
        last = (select(SyncRun.workspace_id, func.max(SyncRun.started_at).label("at"))
                .where(SyncRun.trigger == TRIGGER).group_by(SyncRun.workspace_id).subquery())
        query = (select(WorkspaceSettings.workspace_id, WorkspaceSettings.schedule_time, WorkspaceSettings.timezone,
                        WorkspaceSettings.updated_at, WorkspaceSettings.schedule_every_hours, last.c.at)
                 .outerjoin(last, last.c.workspace_id == WorkspaceSettings.workspace_id)
                 .where(WorkspaceSettings.schedule_time.is_not(None)
                        | WorkspaceSettings.schedule_every_hours.is_not(None)))
        if workspace_id is not None:
            query = query.where(WorkspaceSettings.workspace_id == workspace_id)
        rows = session.execute(query).all()
    return [Schedule(row.workspace_id, row.schedule_time, row.timezone, aware_utc(row.updated_at), aware_utc(row.at),
                     row.schedule_every_hours) for row in rows]


class Scheduler:
    """The app's nightly runs: an APScheduler background scheduler kept in step with the store.

    `tick(now)` is the refresh itself (jobs made to match the store, then any run due at
    `now` started), so tests can drive it at chosen moments without the scheduler's thread.
    """

    def __init__(self, runner: RunManager, every_seconds: float = 60.0) -> None:
        self.runner = runner
        self.every_seconds = every_seconds
        # One worker: the refresh and the nightly jobs never race each other to start a run.
        self._apscheduler = BackgroundScheduler(
            timezone=UTC, executors={"default": ThreadPoolExecutor(max_workers=1),
                                     "notifications": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS})
        self._lock = threading.Lock()
        self._scheduled: dict[int, tuple[time | None, int | None, str]] = {}
        self.holder = make_holder()
        self._stopping = threading.Event()
        self.reconciled: list[int] = []   # the reconciliations the last refresh ran (recorded ids)

    def start(self, *, paused: bool = False) -> None:
        """Start the scheduler's thread; the first refresh runs at once. `paused` keeps every job waiting."""
        self._apscheduler.add_job(self.tick, IntervalTrigger(seconds=self.every_seconds, timezone=UTC),
                                  id=REFRESH_JOB, name="refresh the nightly jobs from the store",
                                  replace_existing=True, next_run_time=utcnow(), misfire_grace_time=None)
        # Notifications whose delivery failed are retried by their backoff even when no run follows.
        self._apscheduler.add_job(self._deliver, IntervalTrigger(seconds=DELIVERY_SECONDS, timezone=UTC),
                                  id=DELIVERY_JOB, name="deliver due notifications", executor="notifications",
                                  replace_existing=True, misfire_grace_time=None)
        self._apscheduler.start(paused=paused)

    def stop(self) -> None:
        """Stop after the refresh under way, if any (APScheduler's own wait would deadlock with a job that
        reads the scheduler's jobs while it shuts down)."""
        if self._apscheduler.running:
            self._stopping.set()
            with self._lock:  # later jobs find `_stopping` set and return at once
                self._apscheduler.shutdown(wait=False)

    def _deliver(self) -> None:
        deliver_quietly(self.runner.store, self.runner.operator)

    def job(self, workspace_id: int) -> Job | None:
        """The workspace's nightly job, if it has one."""
        return self._apscheduler.get_job(job_id(workspace_id))

    def tick(self, now: datetime | None = None) -> list[int]:
        """Make the jobs match the store, then start every run due at `now`; returns the runs' ids."""
        now = now or utcnow()
        with self._lock:
            if self._stopping.is_set():
                return []
            schedules = read_schedules(self.runner.store)
            self._match_jobs(schedules)
            started = [run_id for schedule in schedules
                       if (run_id := self._start_if_due(schedule, now)) is not None]
            self.reconciled = self._reconcile_due(now)
            return started

    def _reconcile_due(self, now: datetime) -> list[int]:
        """Run every daily reconciliation due at `now` (each slot claimed once); their recorded ids."""
        done = []
        for workspace_id, slot in due_reconciliations(self.runner.store, now):
            try:
                factory = client_factory(self.runner.store, workspace_id, self.runner.operator,
                                         **self.runner.client_options)
            except NotConfigured as error:
                log.warning("workspace %s: scheduled reconciliation not started: %s", workspace_id, error)
                continue
            reconcile_id = run_reconciliation(self.runner.store, workspace_id, factory, trigger=SCHEDULED,
                                              slot_at=slot, console_url=self.runner.operator.console_url)
            if reconcile_id is not None:
                done.append(reconcile_id)
        if done:
            deliver_quietly(self.runner.store, self.runner.operator)
        return done

    def _run_nightly(self, workspace_id: int) -> None:
        """The cron job: start the workspace's run unless a refresh (or another server) already has."""
        with self._lock:
            if self._stopping.is_set():
                return
            for schedule in read_schedules(self.runner.store, workspace_id):
                self._start_if_due(schedule, utcnow())

    def _match_jobs(self, schedules: list[Schedule]) -> None:
        """Add, reschedule or remove jobs so they follow the store; unchanged schedules are left alone."""
        wanted = {schedule.workspace_id: schedule for schedule in schedules}
        for workspace_id in set(self._scheduled) - set(wanted):
            self._drop(workspace_id)
        for workspace_id, schedule in wanted.items():
            if self._scheduled.get(workspace_id) == schedule.key:
                continue
            self._scheduled[workspace_id] = schedule.key
            trigger = schedule.trigger()
            if trigger is None:
                self._drop(workspace_id, forget=False)
            elif self.job(workspace_id) is None:
                self._apscheduler.add_job(self._run_nightly, trigger, args=[workspace_id], id=job_id(workspace_id),
                                          name=f"scheduled sync of workspace {workspace_id}")
            else:
                self._apscheduler.reschedule_job(job_id(workspace_id), trigger=trigger)

    def _drop(self, workspace_id: int, *, forget: bool = True) -> None:
        if forget:
            self._scheduled.pop(workspace_id, None)
        if self.job(workspace_id) is not None:
            self._apscheduler.remove_job(job_id(workspace_id))

    def _start_if_due(self, schedule: Schedule, now: datetime) -> int | None:
        """Claim the due slot, then start its run; `QUEUED` when the run went to the workers unopened."""
        job = self.job(schedule.workspace_id)
        slot = due_slot(schedule, job.trigger, now) if job is not None else None
        if slot is None or not claim_slot(self.runner.store, schedule.workspace_id, slot, self.holder):
            return None
        try:
            with calling_as(Caller("schedule", "the schedule")):
                run_id = self.runner.start(schedule.workspace_id, trigger=TRIGGER, queued_wait=0)
        except (NotConfigured, RunLocked, RunnerBusy) as error:
            release_slot(self.runner.store, schedule.workspace_id, slot)
            log.warning("scheduled sync of workspace %s not started: %s", schedule.workspace_id, error)
            return None
        log.info("workspace %s: scheduled slot %s started (run %s)", schedule.workspace_id, slot.isoformat(),
                 run_id if run_id is not None else "queued")
        return QUEUED if run_id is None else run_id


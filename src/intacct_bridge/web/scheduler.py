"""The nightly sync of each workspace, for the single-process deployment (`intacct-bridge serve`).

APScheduler holds one cron job per workspace with a `schedule_time`, at that time in the
workspace's own time zone; it starts a run on the app's runner with trigger `schedule`.
Settings also change from other processes (the CLI, the API), so a refresh job reads the
schedules from the store once at start and every minute after, and adds, reschedules or
removes jobs to match.

A run is started only when the schedule's most recent moment has come since both the last
scheduled run and the last change of the settings: setting a time does not start a run at
once, and a server that was down at that time catches up once (at its first refresh) when
it comes back. On a fall-back night a time in the repeated hour comes round twice on the
wall clock; only its first occurrence counts, so the night still has one run. Several
servers on one store may both start one; the run lock lets one through at a time and the
second finds nothing left to post.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from intacct_bridge.api_queue import deliver_quietly
from intacct_bridge.store.database import Store
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.models import SyncRun, WorkspaceSettings, utcnow
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.web.runner import RunManager, RunnerBusy

log = logging.getLogger(__name__)
TRIGGER = "schedule"
REFRESH_JOB = "refresh-schedules"
DELIVERY_JOB = "deliver-notifications"
DELIVERY_SECONDS = 30
UTC = ZoneInfo("UTC")
# A nightly job the process could not run on time (a busy worker, a suspended host) still
# runs within this span; beyond it the next refresh's catch-up starts it all the same.
MISFIRE_GRACE_SECONDS = 6 * 3600
# A daily trigger fires at least once in any two days, whatever a DST change did to them.
LOOK_BACK = timedelta(days=2)


def job_id(workspace_id: int) -> str:
    return f"sync-ws-{workspace_id}"


@dataclass(frozen=True)
class Schedule:
    """One workspace's nightly time as the store holds it, with what decides whether it is due."""

    workspace_id: int
    at: time
    timezone: str
    changed_at: datetime
    last_run: datetime | None

    @property
    def key(self) -> tuple[time, str]:
        """What the workspace's job is built from: a change here reschedules it."""
        return self.at, self.timezone

    def trigger(self) -> CronTrigger | None:
        """The daily trigger in the workspace's zone (None, logged, for a zone nobody knows)."""
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("workspace %s: unknown time zone %r, its nightly sync is not scheduled",
                        self.workspace_id, self.timezone)
            return None
        return CronTrigger(hour=self.at.hour, minute=self.at.minute, second=self.at.second, timezone=zone)


def read_schedules(store: Store, workspace_id: int | None = None) -> list[Schedule]:
    """Every workspace with a nightly time (or just `workspace_id`'s), with its last scheduled run."""
    with store.session() as session:
        last = (select(SyncRun.workspace_id, func.max(SyncRun.started_at).label("at"))
                .where(SyncRun.trigger == TRIGGER).group_by(SyncRun.workspace_id).subquery())
        query = (select(WorkspaceSettings.workspace_id, WorkspaceSettings.schedule_time, WorkspaceSettings.timezone,
                        WorkspaceSettings.updated_at, last.c.at)
                 .outerjoin(last, last.c.workspace_id == WorkspaceSettings.workspace_id)
                 .where(WorkspaceSettings.schedule_time.is_not(None)))
        if workspace_id is not None:
            query = query.where(WorkspaceSettings.workspace_id == workspace_id)
        rows = session.execute(query).all()
    return [Schedule(row.workspace_id, row.schedule_time, row.timezone, _aware(row.updated_at), _aware(row.at))
            for row in rows]


def latest_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The trigger's most recent fire time at or before `now`, as UTC, leaving out wall-clock repeats.

    The fire times come from the trigger itself. They are compared as UTC: a skipped wall-clock
    time (spring forward) stands for its real instant, and a fire time in the repeated hour of a
    fall-back night (fold 1 in its zone) is the same nightly moment a second time.
    """
    latest = None
    fire = trigger.get_next_fire_time(None, now - LOOK_BACK)
    while fire is not None and (moment := fire.astimezone(UTC)) <= now:
        if not moment.astimezone(trigger.timezone).fold:
            latest = moment
        fire = trigger.get_next_fire_time(fire, fire)
        if fire is not None and fire.astimezone(UTC) <= moment:  # never loop on a stuck trigger
            break
    return latest


def is_due(schedule: Schedule, trigger: CronTrigger, now: datetime) -> bool:
    """True when a scheduled moment has passed since both the last scheduled run and the last change."""
    moment = latest_fire_time(trigger, now)
    if moment is None:
        return False
    return moment > schedule.changed_at and (schedule.last_run is None or moment > schedule.last_run)


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
        self._scheduled: dict[int, tuple[time, str]] = {}

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
        if self._apscheduler.running:
            self._apscheduler.shutdown(wait=True)

    def _deliver(self) -> None:
        deliver_quietly(self.runner.store, self.runner.operator)

    def job(self, workspace_id: int) -> Job | None:
        """The workspace's nightly job, if it has one."""
        return self._apscheduler.get_job(job_id(workspace_id))

    def tick(self, now: datetime | None = None) -> list[int]:
        """Make the jobs match the store, then start every run due at `now`; returns the runs' ids."""
        now = now or utcnow()
        with self._lock:
            schedules = read_schedules(self.runner.store)
            self._match_jobs(schedules)
            return [run_id for schedule in schedules
                    if (run_id := self._start_if_due(schedule, now)) is not None]

    def _run_nightly(self, workspace_id: int) -> None:
        """The cron job: start the workspace's run unless a refresh (or another server) already has."""
        with self._lock:
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
                                          name=f"nightly sync of workspace {workspace_id}")
            else:
                self._apscheduler.reschedule_job(job_id(workspace_id), trigger=trigger)

    def _drop(self, workspace_id: int, *, forget: bool = True) -> None:
        if forget:
            self._scheduled.pop(workspace_id, None)
        if self.job(workspace_id) is not None:
            self._apscheduler.remove_job(job_id(workspace_id))

    def _start_if_due(self, schedule: Schedule, now: datetime) -> int | None:
        job = self.job(schedule.workspace_id)
        if job is None or not is_due(schedule, job.trigger, now):
            return None
        try:
            return self.runner.start(schedule.workspace_id, trigger=TRIGGER)
        except (NotConfigured, RunLocked, RunnerBusy) as error:
            log.warning("scheduled sync of workspace %s not started: %s", schedule.workspace_id, error)
            return None


def _aware(moment: datetime | str | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite: MAX(started_at) may come back as naive UTC (or text)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

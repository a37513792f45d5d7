"""The nightly sync of each workspace, for the single-process deployment (`intacct-bridge serve`).

Every minute a daemon thread looks for workspaces whose scheduled time (in their own
time zone) has come since their last scheduled run — and since the schedule was last
changed, so setting a time does not start a run at once — and starts one on the app's
runner with trigger `schedule`. A server that was down at that time catches up once
when it comes back. Several servers on one store may both start one; the run lock
lets one through at a time and the second finds nothing left to post.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.models import SyncRun, WorkspaceSettings, utcnow
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.web.runner import RunManager, RunnerBusy

log = logging.getLogger(__name__)
TRIGGER = "schedule"


def latest_moment(schedule: time, zone: ZoneInfo, now: datetime) -> datetime:
    """The most recent occurrence (at or before `now`) of the daily `schedule` in `zone`, as UTC."""
    local_now = now.astimezone(zone)
    moment = datetime.combine(local_now.date(), schedule, tzinfo=zone)
    if moment > local_now:
        moment = datetime.combine(local_now.date() - timedelta(days=1), schedule, tzinfo=zone)
    return moment.astimezone(now.tzinfo)


def is_due(schedule: time, timezone: str, now: datetime, last_run: datetime | None, changed_at: datetime) -> bool:
    """True when a scheduled moment has passed since both the last scheduled run and the last change."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    moment = latest_moment(schedule, zone, now)
    return moment > changed_at and (last_run is None or moment > last_run)


class Scheduler:
    def __init__(self, runner: RunManager, every_seconds: float = 60.0) -> None:
        self.runner = runner
        self.every_seconds = every_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def due_workspaces(self, now: datetime) -> list[int]:
        with self.runner.store.session() as session:
            last = (select(SyncRun.workspace_id, func.max(SyncRun.started_at).label("at"))
                    .where(SyncRun.trigger == TRIGGER).group_by(SyncRun.workspace_id).subquery())
            rows = session.execute(
                select(WorkspaceSettings.workspace_id, WorkspaceSettings.schedule_time, WorkspaceSettings.timezone,
                       WorkspaceSettings.updated_at, last.c.at)
                .outerjoin(last, last.c.workspace_id == WorkspaceSettings.workspace_id)
                .where(WorkspaceSettings.schedule_time.is_not(None))).all()
        return [row.workspace_id for row in rows
                if is_due(row.schedule_time, row.timezone, now, _aware(row.at), _aware(row.updated_at))]

    def tick(self, now: datetime | None = None) -> list[int]:
        """Start every run that is due; returns the ids of the runs started."""
        started = []
        for workspace_id in self.due_workspaces(now or utcnow()):
            try:
                started.append(self.runner.start(workspace_id, trigger=TRIGGER))
            except (NotConfigured, RunLocked, RunnerBusy) as error:
                log.warning("scheduled sync of workspace %s not started: %s", workspace_id, error)
        return started

    def _loop(self) -> None:
        while not self._stop.wait(self.every_seconds):
            try:
                self.tick()
            except Exception:  # keep scheduling whatever one tick met; the log says what
                log.exception("scheduler tick failed")

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="intacct-bridge-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _aware(moment: datetime | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite: MAX(started_at) may come back as naive UTC (or text)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))

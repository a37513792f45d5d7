"""When a workspace's scheduled sync is due: nightly at a time in its zone, or every N hours.

A slot is a moment the schedule names. The latest one at or before now is due when it came
after both the last change of the settings and the last scheduled run: setting a schedule does
not start a run on the spot, and however many slots passed while every process was down, only
the latest is due (one catch-up run, not one per missed slot). On a fall-back night a time in
the repeated hour comes round twice on the wall clock; only its first occurrence counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)
UTC = ZoneInfo("UTC")
# A daily trigger fires at least once in any two days, whatever a DST change did to them.
LOOK_BACK = timedelta(days=2)
# Every-N-hours slots not dividing the day count from this local midnight.
EPOCH = datetime(2000, 1, 1)


@dataclass(frozen=True)
class Schedule:
    """One workspace's schedule as the store holds it, with what decides whether it is due.

    `at` is the nightly time; `every_hours` (when set) runs it every N hours instead.
    """

    workspace_id: int
    at: time | None
    timezone: str
    changed_at: datetime
    last_run: datetime | None
    every_hours: int | None = None

    @property
    def key(self) -> tuple[time | None, int | None, str]:
        """What the workspace's job is built from: a change here reschedules it."""
        return self.at, self.every_hours, self.timezone

    def trigger(self) -> BaseTrigger | None:
        """The trigger in the workspace's zone (None, logged, for a zone nobody knows)."""
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("workspace %s: unknown time zone %r, its scheduled sync is not scheduled",
                        self.workspace_id, self.timezone)
            return None
        if self.every_hours:
            if 24 % self.every_hours == 0:  # on the local clock: every 6 hours is 00, 06, 12, 18
                return CronTrigger(hour=f"*/{self.every_hours}", minute=0, second=0, timezone=zone)
            return IntervalTrigger(hours=self.every_hours, start_date=EPOCH.replace(tzinfo=zone), timezone=zone)
        if self.at is None:
            return None
        return CronTrigger(hour=self.at.hour, minute=self.at.minute, second=self.at.second, timezone=zone)

    def look_back(self) -> timedelta:
        return max(LOOK_BACK, timedelta(hours=2 * (self.every_hours or 0)))


def latest_fire_time(trigger: BaseTrigger, now: datetime, look_back: timedelta = LOOK_BACK) -> datetime | None:
    """The trigger's most recent fire time at or before `now`, as UTC, leaving out wall-clock repeats.

    The fire times come from the trigger itself. They are compared as UTC: a skipped wall-clock
    time (spring forward) stands for its real instant, and a fire time in the repeated hour of a
    fall-back night (fold 1 in its zone) is the same nightly moment a second time.
    """
    latest = None
    fire = trigger.get_next_fire_time(None, now - look_back)
    while fire is not None and (moment := fire.astimezone(UTC)) <= now:
        if not moment.astimezone(trigger.timezone).fold:
            latest = moment
        fire = trigger.get_next_fire_time(fire, fire)
        if fire is not None and fire.astimezone(UTC) <= moment:  # never loop on a stuck trigger
            break
    return latest


def due_slot(schedule: Schedule, trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The slot to run now: the latest, if it came after both the last scheduled run and the last change."""
    moment = latest_fire_time(trigger, now, schedule.look_back())
    if moment is None or moment <= schedule.changed_at:
        return None
    if schedule.last_run is not None and moment <= schedule.last_run:
        return None
    return moment


def is_due(schedule: Schedule, trigger: BaseTrigger, now: datetime) -> bool:
    return due_slot(schedule, trigger, now) is not None


def aware_utc(moment: datetime | str | None) -> datetime | None:
    """A stored moment as aware UTC: aggregates bypass the column type on SQLite, so MAX(started_at) may come
    back as naive UTC (or text)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
def next_slot(at: time | None, every_hours: int | None, timezone: str, now: datetime) -> datetime | None:
    """When the schedule fires next after `now`, in UTC (None: no schedule, or a zone nobody knows).

    What the settings pages show beside the schedule; the scheduler itself works from `due_slot`.
    """
    trigger = Schedule(0, at, timezone, now, None, every_hours).trigger()
    if trigger is None:
        return None
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and fire.astimezone(UTC) <= now:  # the trigger may answer `now` itself
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return fire.astimezone(UTC) if fire is not None else None

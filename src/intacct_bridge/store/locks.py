"""The per-workspace run lock: one sync at a time per workspace, across processes and hosts.

A row in `workspace_locks` is claimed with one atomic compare-and-set UPDATE
(`... WHERE holder IS NULL OR heartbeat is stale`), which is correct on SQLite (writers are
serialized) and on PostgreSQL (the row lock makes the second UPDATE re-check its WHERE).
A holder that died is detected two ways: its heartbeat went stale, or it ran on this host
and its process no longer exists or is a zombie (so a SIGKILLed sync does not block the next one).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intacct_bridge.store.database import Store
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.models import WorkspaceLock, utcnow

log = logging.getLogger(__name__)
DEFAULT_STALE_AFTER = timedelta(minutes=2)
DEFAULT_HEARTBEAT_EVERY = timedelta(seconds=15)


def make_holder() -> str:
    """`host|pid|token`: who holds the lock, precise enough to tell a dead local process."""
    return f"{socket.gethostname()}|{os.getpid()}|{uuid.uuid4().hex[:8]}"


def holder_is_dead_here(holder: str) -> bool:
    """True when the holder ran on this host and its process is gone."""
    host, _, rest = holder.partition("|")
    pid_text = rest.partition("|")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(int(pid_text))


def _is_zombie(pid: int) -> bool:
    """A killed process nobody has reaped yet (its parent died too, under an init that does not reap) is dead."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):  # no /proc (not Linux), or gone meanwhile
        return False


def _ensure_row(session: Session, workspace_id: int) -> None:
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    session.execute(module.insert(WorkspaceLock).values(workspace_id=workspace_id).on_conflict_do_nothing())


class RunLock:
    """`with RunLock(store, ws_id, purpose="sync"):` — raises `RunLocked` if another run has it.

    As a context manager it also heartbeats from a daemon thread; call `acquire`/`release`
    directly to manage that yourself.
    """

    def __init__(
        self,
        store: Store,
        workspace_id: int,
        *,
        purpose: str = "sync",
        holder: str | None = None,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
        heartbeat_every: timedelta | None = DEFAULT_HEARTBEAT_EVERY,
    ) -> None:
        self.store = store
        self.workspace_id = workspace_id
        self.purpose = purpose
        self.holder = holder or make_holder()
        self.stale_after = stale_after
        self.heartbeat_every = heartbeat_every
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        # Set when a heartbeat finds the claim gone (taken over as stale): check it between batches.
        self.lost = threading.Event()

    def _claim(self, session: Session, purpose: str, now: datetime, expected: str | None = None) -> bool:
        table = WorkspaceLock.__table__
        if expected is None:
            free = (table.c.holder.is_(None)) | (table.c.heartbeat_at < now - self.stale_after) | (
                table.c.holder == self.holder
            )
        else:
            free = table.c.holder == expected
        result = session.execute(
            update(table)
            .where(table.c.workspace_id == self.workspace_id, free)
            .values(holder=self.holder, purpose=purpose, acquired_at=now, heartbeat_at=now)
        )
        return result.rowcount == 1

    def acquire(self, purpose: str | None = None) -> None:
        """Take the lock now or raise `RunLocked` naming who has it."""
        purpose = purpose or self.purpose
        with self.store.write_session() as session:
            _ensure_row(session, self.workspace_id)
            if self._claim(session, purpose, utcnow()):
                self.lost.clear()
                return
            current = session.scalar(select(WorkspaceLock).where(WorkspaceLock.workspace_id == self.workspace_id))
            if current and current.holder and holder_is_dead_here(current.holder):
                if self._claim(session, purpose, utcnow(), expected=current.holder):
                    self.lost.clear()
                    return
        raise RunLocked(self._busy_message(current))

    def _busy_message(self, current: WorkspaceLock | None) -> str:
        if current is None or current.holder is None:
            return "the workspace is busy: try again"
        host, _, rest = current.holder.partition("|")
        since = current.acquired_at.strftime("%Y-%m-%d %H:%M:%S UTC") if current.acquired_at else "a moment ago"
        return (
            f"a {current.purpose or 'run'} is already running for this workspace (since {since}, "
            f"process {rest.partition('|')[0]} on {host}): wait for it to finish and try again"
        )

    def heartbeat(self) -> bool:
        """Refresh the claim; False means the lock was lost (taken over as stale) and the run must stop."""
        with self.store.write_session() as session:
            return self.confirm(session)

    def confirm(self, session: Session) -> bool:
        """`heartbeat` inside the caller's write transaction, so what it commits is done by the holder.

        The poster reserves a batch this way: the reservation and the proof that this run still holds
        the lock commit together (or, when the lock was lost, the caller rolls both back).
        """
        result = session.execute(
            update(WorkspaceLock)
            .where(WorkspaceLock.workspace_id == self.workspace_id, WorkspaceLock.holder == self.holder)
            .values(heartbeat_at=utcnow())
        )
        if result.rowcount != 1:
            self.lost.set()
            return False
        return True

    def release(self) -> None:
        self._stop_heartbeat()
        with self.store.write_session() as session:
            session.execute(
                update(WorkspaceLock)
                .where(WorkspaceLock.workspace_id == self.workspace_id, WorkspaceLock.holder == self.holder)
                .values(holder=None, purpose=None, acquired_at=None, heartbeat_at=None)
            )

    def start_heartbeat(self, every: timedelta = DEFAULT_HEARTBEAT_EVERY) -> None:
        """Beat from a daemon thread while a long run works."""
        self._stop.clear()

        def beat() -> None:
            while not self._stop.wait(every.total_seconds()):
                try:
                    if not self.heartbeat():
                        log.error("workspace %s: run lock lost (taken over as stale)", self.workspace_id)
                        return
                except Exception:  # a busy database must not kill the beat; the next one retries
                    log.warning("workspace %s: run lock heartbeat failed", self.workspace_id, exc_info=True)

        self._beat = threading.Thread(target=beat, name=f"run-lock-{self.workspace_id}", daemon=True)
        self._beat.start()

    def _stop_heartbeat(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
            self._beat = None

    def __enter__(self) -> RunLock:
        self.acquire()
        if self.heartbeat_every is not None:
            self.start_heartbeat(self.heartbeat_every)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

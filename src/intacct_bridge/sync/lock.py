"""One run at a time per workspace, across processes and machines.

The claim is an atomic UPDATE of the workspace's `workspace_locks` row, so it
works on SQLite and PostgreSQL alike. A holder refreshes a heartbeat while it
runs; a claim is taken over when its heartbeat is stale, or at once when its
holder was a process on this machine that no longer exists (a SIGKILLed run
must not block the next one for minutes).
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from intacct_bridge.store.database import Store
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.store.models import WorkspaceLock, utcnow

HEARTBEAT_SECONDS = 10.0
STALE_AFTER = timedelta(seconds=90)


class RunInProgress(RunLocked):
    """Another run holds the workspace; the text says who and since when."""

    def __init__(self, holder: str, purpose: str | None, since: datetime | None) -> None:
        self.holder, self.purpose, self.since = holder, purpose, since
        when = since.strftime("%Y-%m-%d %H:%M:%S UTC") if since else "an unknown time"
        super().__init__(
            f"another {purpose or 'run'} is already running for this workspace (started {when} by {holder}); "
            "wait for it to finish, then try again"
        )


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _dead_local_holder(holder: str | None) -> bool:
    """True when `holder` names a process on this machine that has exited."""
    if not holder:
        return False
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _ensure_row(store: Store, workspace_id: int) -> None:
    with store.session() as session:
        if session.get(WorkspaceLock, workspace_id) is not None:
            return
    try:
        with store.write_session() as session:
            session.add(WorkspaceLock(workspace_id=workspace_id))
    except IntegrityError:
        pass  # another process created it first


def try_acquire(store: Store, workspace_id: int, holder: str, purpose: str) -> None:
    """Claim the workspace or raise RunInProgress."""
    _ensure_row(store, workspace_id)
    now = utcnow()
    with store.write_session() as session:
        current = session.get(WorkspaceLock, workspace_id)
        assert current is not None
        takeover = [WorkspaceLock.holder.is_(None), WorkspaceLock.heartbeat_at < now - STALE_AFTER]
        if _dead_local_holder(current.holder):
            takeover.append(WorkspaceLock.holder == current.holder)
        claimed = session.execute(
            update(WorkspaceLock)
            .where(WorkspaceLock.workspace_id == workspace_id, or_(*takeover))
            .values(holder=holder, purpose=purpose, acquired_at=now, heartbeat_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            raise RunInProgress(current.holder or "?", current.purpose, current.acquired_at)


def release(store: Store, workspace_id: int, holder: str) -> None:
    with store.write_session() as session:
        session.execute(
            update(WorkspaceLock)
            .where(WorkspaceLock.workspace_id == workspace_id, WorkspaceLock.holder == holder)
            .values(holder=None, purpose=None, acquired_at=None, heartbeat_at=None)
        )


def _beat(store: Store, workspace_id: int, holder: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            with store.write_session() as session:
                session.execute(
                    update(WorkspaceLock)
                    .where(WorkspaceLock.workspace_id == workspace_id, WorkspaceLock.holder == holder)
                    .values(heartbeat_at=utcnow())
                )
        except Exception:  # noqa: BLE001 - a missed beat only shortens the claim; the run goes on
            continue


@contextmanager
def workspace_lock(store: Store, workspace_id: int, purpose: str = "sync") -> Iterator[str]:
    """Hold the workspace for the block (heartbeat in a thread); refuse with RunInProgress if taken."""
    holder = new_holder()
    try_acquire(store, workspace_id, holder, purpose)
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(store, workspace_id, holder, stop), daemon=True,
                            name=f"lock-heartbeat-{workspace_id}")
    beat.start()
    try:
        yield holder
    finally:
        stop.set()
        beat.join(timeout=5)
        release(store, workspace_id, holder)


def lock_holder(store: Store, workspace_id: int) -> str | None:
    """Who holds the workspace now (None when free), for `status`."""
    with store.session() as session:
        return session.scalar(select(WorkspaceLock.holder).where(WorkspaceLock.workspace_id == workspace_id))

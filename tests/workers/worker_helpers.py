"""Starting `intacct-bridge worker` processes, killing them, and waiting on what they record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, SyncRun

T = TypeVar("T")
TERMINAL = {"succeeded", "halted", "failed", "completed_with_errors"}


class Workers:
    """Worker processes of one test, each in its own process group (SIGKILL takes the whole group)."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.processes: list[subprocess.Popen] = []

    def start(self, processes: int = 1, threads: int = 1) -> subprocess.Popen:
        log = open(self.scratch / f"worker-{len(self.processes)}.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "intacct_bridge", "worker", "--processes", str(processes), "--threads",
             str(threads)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=os.environ.copy())
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its children at once: no clean-up, no acknowledgement."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-3000:] for path in sorted(self.scratch.glob("worker-*.log")))


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, workers: Workers | None = None) -> T:
    """Poll `probe` until it answers something; fail naming `what` (with the workers' logs) at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}" + (f"\n{workers.logs()}" if workers else ""))
        time.sleep(0.1)


def unposted(store: Store, workspace_ids: list[int]) -> int:
    """Actions of these workspaces not yet posted."""
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Action).where(
            Action.workspace_id.in_(workspace_ids), Action.status != "posted")) or 0


def settled(store: Store, workspace_ids: list[int]) -> bool:
    """Every action posted and no run still running."""
    with store.session() as session:
        running = session.scalar(select(func.count()).select_from(SyncRun).where(
            SyncRun.workspace_id.in_(workspace_ids), SyncRun.status == "running"))
    return running == 0 and unposted(store, workspace_ids) == 0

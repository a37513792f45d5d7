"""The web runner: 202 as soon as the run exists, refusals before it starts, a full pool is said so."""

from __future__ import annotations

import threading

import pytest

from intacct_bridge.store.errors import RunLocked
from intacct_bridge.sync.progress import Phase, ProgressEvent
from intacct_bridge.web import runner as runner_module
from intacct_bridge.web.runner import RunManager, RunnerBusy


class FakeEngine:
    """Opens run `run_id` (unless told to fail first), reports progress, then waits to be released."""

    def __init__(self, run_id: int, on_open, release: threading.Event, fail: BaseException | None = None) -> None:
        self.run_id, self.on_open, self.release, self.fail = run_id, on_open, release, fail

    def run(self, progress, **kwargs):
        if self.fail is not None:
            raise self.fail
        self.on_open(self.run_id)
        progress(ProgressEvent(Phase.POST, 3, 10))
        self.release.wait(10)


@pytest.fixture
def manager(monkeypatch, store, operator):
    monkeypatch.setattr(runner_module, "check_configured", lambda *args: None)
    monkeypatch.setattr(runner_module, "OPEN_TIMEOUT_SECONDS", 0.3)
    created = RunManager(store, operator, workers=1)
    release = threading.Event()
    plans = iter([None, RunLocked("a sync is already running"), None])
    numbers = iter(range(1, 100))
    created.engine = lambda workspace_id, on_open=None: FakeEngine(next(numbers), on_open, release, next(plans))
    yield created, release
    release.set()
    created.shutdown()


def test_start_returns_once_the_run_is_open_and_keeps_its_progress(manager):
    runner, release = manager
    assert runner.start(1) == 1
    assert runner.is_live(1) and runner.progress(1) == ProgressEvent(Phase.POST, 3, 10)
    release.set()
    runner.shutdown()
    assert not runner.is_live(1) and runner.progress(1) is None


def test_a_refusal_before_the_run_opens_reaches_the_caller_and_a_full_pool_is_busy(manager):
    runner, release = manager
    assert runner.start(1) == 1             # holds the only worker
    with pytest.raises(RunnerBusy):          # queued behind it: cancelled, nothing starts
        runner.start(1)
    release.set()
    with pytest.raises(RunLocked):           # the next engine refuses before opening a run
        runner.start(1)

"""Per-company adaptive concurrency (AIMD), shared by the threads or tasks of one client.

The gateway refuses (HTTP 429, GW-0010) a request over the company's limit
instead of queueing it.  The limiter starts at the configured maximum and
never goes above it; on a throttle it halves the limit and makes everyone
pause, then raises it by one after a run of successes — TCP congestion
control in miniature.  `AdaptiveLimit` is the pure arithmetic; the two
limiters put a thread or an asyncio wait around it.

A company's limit holds for everyone who signs in to it, not only for one
client: several processes (workers, a server, the CLI) may work for the same
company at once.  A `SharedGate` given to the thread limiter is taken around
each request, inside the adaptive slot, so the adaptive limit works within the
shared one; the client knows nothing of what stands behind the gate.
"""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import AsyncIterator, Callable, ContextManager, Iterator, Protocol


@dataclass
class SlotOutcome:
    """Filled in by whoever held the slot: was the request throttled?"""

    throttled: bool = False


class AdaptiveLimit:
    def __init__(self, maximum: int, *, minimum: int = 1, increase_after: int = 20, pause: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if maximum < 1:
            raise ValueError("the concurrency limit must be at least 1")
        self.maximum = maximum
        self.minimum = min(minimum, maximum)
        self.limit = maximum
        self.increase_after = increase_after
        self.pause = pause
        self.clock = clock
        self.in_flight = 0
        self.peak_in_flight = 0
        self.throttles = 0
        self._streak = 0
        self._paused_until = 0.0

    def wait_time(self) -> float | None:
        """0: may start now; a number: paused for that long; None: full, wait for a release."""
        remaining = self._paused_until - self.clock()
        if remaining > 0:
            return remaining
        return 0.0 if self.in_flight < self.limit else None

    def start(self) -> None:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def finish(self, throttled: bool) -> None:
        self.in_flight -= 1
        if throttled:
            self.throttles += 1
            self.limit = max(self.minimum, self.limit // 2)
            self._streak = 0
            self._paused_until = self.clock() + self.pause
        else:
            self._streak += 1
            if self._streak >= self.increase_after and self.limit < self.maximum:
                self.limit += 1
                self._streak = 0


class SharedGate(Protocol):
    """A slot shared beyond this client (other processes working for the same company)."""

    def hold(self) -> ContextManager[None]:
        """Wait for a slot, hold it for the request, give it back."""
        ...


class ThreadLimiter:
    """AdaptiveLimit for threads, within an optional `SharedGate`."""

    def __init__(self, limit: AdaptiveLimit, gate: SharedGate | None = None) -> None:
        self.limit = limit
        self.gate = gate
        self._cond = threading.Condition()

    @contextmanager
    def slot(self) -> Iterator[SlotOutcome]:
        with self._cond:
            while (wait := self.limit.wait_time()) != 0:
                self._cond.wait(timeout=wait)
            self.limit.start()
        outcome = SlotOutcome()
        try:
            if self.gate is None:
                yield outcome
            else:
                with self.gate.hold():
                    yield outcome
        finally:
            with self._cond:
                self.limit.finish(outcome.throttled)
                self._cond.notify_all()


class AsyncLimiter:
    """AdaptiveLimit for asyncio tasks (one event loop)."""

    def __init__(self, limit: AdaptiveLimit) -> None:
        self.limit = limit
        self._cond = asyncio.Condition()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[SlotOutcome]:
        async with self._cond:
            while (wait := self.limit.wait_time()) != 0:
                try:
                    await asyncio.wait_for(self._cond.wait(), timeout=wait)
                except asyncio.TimeoutError:
                    pass
            self.limit.start()
        outcome = SlotOutcome()
        try:
            yield outcome
        finally:
            async with self._cond:
                self.limit.finish(outcome.throttled)
                self._cond.notify_all()

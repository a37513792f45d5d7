"""Intacct's per-company limit, held across every process that works for the company.

`RedisCompanyGate` holds the company's `limit` slots in Redis with Dramatiq's
`ConcurrentRateLimiter` on its Redis backend: one limiter of size 1 per slot (key
`NAMESPACE:intacct-company:ID:N`), so each slot's lease (`ttl`) is its holder's alone. A
request takes any free slot and gives it back; the limiter only tries, so the gate tries the
slots from a random one and pauses briefly, with jitter, between rounds. A holder that dies
keeps its slot only until its lease runs out, and the lease is longer than any request may
take, so a live request never loses its slot. (One limiter of size `limit` would share one
lease among all holders, renewed by every request: a dead holder's slot would stay taken as
long as the company is busy.) `LocalGate` stands in without Redis (the client's in-process
limiter then is the only one). Both record how long a request waited for its slot and how
long it held it.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from dramatiq.rate_limits import ConcurrentRateLimiter
from dramatiq.rate_limits.backends import RedisBackend

from intacct_bridge import metrics
from intacct_bridge.settings import OperatorSettings

FIRST_PAUSE = 0.002  # seconds between tries: doubling from this, with jitter, up to MAX_PAUSE
MAX_PAUSE = 0.05
_backends: dict[str, RedisBackend] = {}
_guard = threading.Lock()


class LocalGate:
    """No shared limit (no Redis): only measures each request for the metrics."""

    @contextmanager
    def hold(self) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            metrics.INTACCT_REQUEST_SECONDS.observe(time.monotonic() - started)


class RedisCompanyGate:
    """One company's slots in Redis, shared by every process using the same namespace."""

    def __init__(self, backend: RedisBackend, key: str, limit: int, lease_ms: int,
                 rng: random.Random | None = None) -> None:
        self.slots = [ConcurrentRateLimiter(backend, f"{key}:{number}", limit=1, ttl=lease_ms)
                      for number in range(limit)]
        self._rng = rng or random.Random()

    @contextmanager
    def hold(self) -> Iterator[None]:
        asked, pause = time.monotonic(), FIRST_PAUSE
        while True:
            first = self._rng.randrange(len(self.slots))
            for slot in self.slots[first:] + self.slots[:first]:
                with slot.acquire(raise_on_failure=False) as acquired:
                    if acquired:
                        started = time.monotonic()
                        metrics.LIMITER_WAIT_SECONDS.observe(started - asked)
                        try:
                            yield
                        finally:
                            metrics.INTACCT_REQUEST_SECONDS.observe(time.monotonic() - started)
                        return
            time.sleep(pause * (0.5 + self._rng.random()))
            pause = min(MAX_PAUSE, pause * 2)


def _backend(url: str) -> RedisBackend:
    """One Redis connection pool per URL and process, shared by every gate."""
    with _guard:
        if url not in _backends:
            _backends[url] = RedisBackend(url=url)
        return _backends[url]


def slot_key(namespace: str, company_id: str) -> str:
    return f"{namespace}:intacct-company:{company_id}"


def company_gate(operator: OperatorSettings, company_id: str, limit: int,
                 request_seconds: float) -> RedisCompanyGate | LocalGate:
    """The gate for `company_id`: shared through the broker's Redis when one is configured.

    `request_seconds` is the longest a request may take (the client's timeouts); the lease is
    twice that and at least a minute.
    """
    if not operator.broker_url:
        return LocalGate()
    lease_ms = int(max(60.0, 2 * request_seconds) * 1000)
    return RedisCompanyGate(_backend(operator.broker_url), slot_key(operator.broker_namespace, company_id),
                            limit, lease_ms)

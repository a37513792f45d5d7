"""Per-company concurrency limit (reference §7: HTTP 429 with GW-0010).

A counting gate rather than a waiting semaphore: the real gateway refuses a
request over the limit instead of queueing it, so a client must see the 429.
All acquire/release calls happen on the event loop thread, so no lock is needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager


class ConcurrencyExceeded(Exception):
    def __init__(self, company_id: str, limit: int) -> None:
        super().__init__(f"more than {limit} concurrent requests for {company_id!r}")
        self.company_id = company_id
        self.limit = limit


class CompanyGate:
    """Counts requests in flight per company and refuses one over the limit."""

    def __init__(self) -> None:
        self._in_flight: defaultdict[str, int] = defaultdict(int)

    def in_flight(self, company_id: str) -> int:
        return self._in_flight.get(company_id, 0)

    @contextmanager
    def slot(self, company_id: str, limit: int) -> Iterator[None]:
        """Hold one of `limit` slots for `company_id`, or raise `ConcurrencyExceeded` at once."""
        if self._in_flight[company_id] >= limit:
            raise ConcurrencyExceeded(company_id, limit)
        self._in_flight[company_id] += 1
        try:
            yield
        finally:
            self._in_flight[company_id] -= 1
            if not self._in_flight[company_id]:
                del self._in_flight[company_id]

"""What a client spent: API transactions (as Intacct bills them), requests, retries, waiting.

API transactions follow the emulator's counters (reference §7): a successful
function counts what it wrote (1 per record created/updated/deleted, 1 per
legacy document) or 1 per page read; a failed or aborted function counts 1;
getAPISession, the metadata functions and the company preferences count 0.  A request refused before
its functions ran counts none.  Two blind spots, both inherent: an answer
lost in transit (524, dropped connection) was billed by the gateway but never
seen here, and in replay mode a replayed result looks exactly like a fresh
one, so it is counted although the gateway bills 0 for it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, fields
from typing import Sequence

from .functions import Function
from .responses import Result

log = logging.getLogger("intacct_bridge.intacct.usage")

_FREE = frozenset({"getAPISession", "inspect", "lookup", "getDimensions", "get_companyprefs"})


def billable(function: Function, result: Result) -> int:
    """API transactions one function's result costs."""
    if not result.ok or result.already_applied:  # a refused duplicate is a failed call to the gateway
        return 1
    if function.name in _FREE:
        return 0
    count = getattr(function, "record_count", None)
    return count if count is not None else 1


@dataclass
class UsageStats:
    api_transactions: int = 0
    requests: int = 0
    retries: int = 0
    wait_seconds: float = 0.0      # time spent waiting for the gateway's answers
    backoff_seconds: float = 0.0   # time spent sleeping before retries
    throttled: int = 0             # 429 / GW-0010 answers
    session_logins: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **amounts: float) -> None:
        with self._lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)

    def count_results(self, functions: Sequence[Function], results: Sequence[Result]) -> None:
        """`results[i]` answers `functions[i]` (match_results pairs them, a missing one included)."""
        self.add(api_transactions=sum(billable(f, r) for f, r in zip(functions, results, strict=True)))

    def snapshot(self) -> dict[str, float]:
        with self._lock:
            return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    def log(self, company_id: str) -> None:
        s = self.snapshot()
        log.info(
            "Intacct usage for company %s: %d API transactions, %d requests, %d retries, %d throttled, "
            "%.2fs waiting on the gateway, %.2fs backing off",
            company_id, s["api_transactions"], s["requests"], s["retries"], s["throttled"],
            s["wait_seconds"], s["backoff_seconds"],
        )

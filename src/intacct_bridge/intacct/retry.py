"""When is it safe to send a request again, and how long to wait first.

The rule that makes writes exactly-once: a request is resent only if resending
cannot apply anything twice.  That is always true for reads, and for writes
only when the request was sent with `uniqueid=true` (the gateway then refuses
or replays a function controlid it already executed) — or when we *know* the
gateway did not process it (the connection never opened, or it answered
429/GW-0010 or 503 before doing any work).
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field

from .errors import IntacctError, RateLimited, TransientServerError


class Reach(enum.Enum):
    """How far a failed request got."""

    NOT_SENT = "not sent"              # connect failed: nothing reached the gateway
    REFUSED = "refused"                # the gateway said it did no work (429/GW-0010, 503)
    MAYBE_APPLIED = "maybe applied"    # 500 without XML, 502, 524, HTML page, empty body, lost response


def reach_of(error: IntacctError) -> Reach:
    if isinstance(error, TransientServerError) and not error.request_sent:
        return Reach.NOT_SENT
    if isinstance(error, RateLimited) or error.http_status in (429, 503):
        return Reach.REFUSED
    return Reach.MAYBE_APPLIED


@dataclass(frozen=True)
class Decision:
    retry: bool
    delay: float = 0.0
    ambiguous: bool = False  # writes in this request may have been applied


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter (AWS architecture blog): sleep U(0, min(cap, base·2ⁿ))."""

    max_retries: int = 5
    base: float = 0.5
    cap: float = 30.0
    throttle_pause: float = 1.0
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        return self.rng.uniform(0, min(self.cap, self.base * (2 ** attempt)))

    def decide(self, error: IntacctError, attempt: int, *, has_writes: bool, uniqueid: bool) -> Decision:
        """`attempt` is the number of retries already made for this request."""
        reach = reach_of(error)
        ambiguous = has_writes and reach is Reach.MAYBE_APPLIED
        if not error.transient or attempt >= self.max_retries:
            return Decision(False, ambiguous=ambiguous)
        if ambiguous and not uniqueid:
            # The gateway may have applied it and has no way to refuse a second copy.
            return Decision(False, ambiguous=True)
        delay = self.backoff(attempt)
        if isinstance(error, RateLimited):
            delay = max(delay, self.throttle_pause)
        if error.retry_after is not None:  # the gateway said how long; never wait less, nor beyond the cap
            delay = max(delay, min(error.retry_after, self.cap))
        return Decision(True, delay, ambiguous)

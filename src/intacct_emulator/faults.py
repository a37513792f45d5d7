"""Fault injection (ARCHITECTURE.md §1.3), deterministic under a seed.

Spec: comma-separated `kind=value`. `latency_ms=N` adds N ms to every request;
every other kind is a probability in [0, 1]. Each gateway request draws one
number from the injector's seeded `random.Random` and picks at most one fault
by walking the cumulative probabilities in spec order, so the same seed and the
same request sequence always give the same faults.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

#: Answered instead of processing the request.
BEFORE_PROCESSING = ("error500", "error502", "error503", "html_error", "rate429")
#: The work commits, then the client gets no usable answer (the ambiguous case).
AFTER_COMMIT = ("error500_after_commit", "drop_after_commit", "timeout524")
#: The request's session is dropped before processing.
SESSION = ("session_expiry",)
KINDS = BEFORE_PROCESSING + AFTER_COMMIT + SESSION


@dataclass(frozen=True)
class FaultSpec:
    latency_ms: float = 0
    probabilities: tuple[tuple[str, float], ...] = field(default=())

    @classmethod
    def parse(cls, spec: str) -> FaultSpec:
        """Parse a spec string; raise ValueError naming the first bad part."""
        latency = 0.0
        probabilities: dict[str, float] = {}
        for part in (p.strip() for p in (spec or "").split(",")):
            if not part:
                continue
            kind, sep, raw = part.partition("=")
            kind = kind.strip()
            if not sep:
                raise ValueError(f"fault {part!r} needs a value: kind=probability")
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"fault {kind!r} has a non-numeric value {raw.strip()!r}") from None
            if kind == "latency_ms":
                if value < 0:
                    raise ValueError("latency_ms must be >= 0")
                latency = value
            elif kind in KINDS:
                if not 0 <= value <= 1:
                    raise ValueError(f"fault {kind!r} probability must be within 0..1")
                probabilities[kind] = value
            else:
                raise ValueError(f"unknown fault kind {kind!r}; known: latency_ms, {', '.join(KINDS)}")
        if sum(probabilities.values()) > 1 + 1e-9:
            raise ValueError("fault probabilities add up to more than 1")
        return cls(latency, tuple(probabilities.items()))


class FaultInjector:
    """Draws the fault (or none) for each request from a seeded generator."""

    def __init__(self, spec: str = "", seed: int | None = None) -> None:
        self.spec = FaultSpec.parse(spec)
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def draw(self) -> str | None:
        """The fault kind for the next request, or None. Always consumes one number."""
        with self._lock:
            roll = self._random.random()
        threshold = 0.0
        for kind, probability in self.spec.probabilities:
            threshold += probability
            if roll < threshold:
                return kind
        return None

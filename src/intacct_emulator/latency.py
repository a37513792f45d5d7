"""The modelled response time of a request, shared by the XML gateway and the REST API.

A configured latency (`latency_ms` + `per_function_ms` per function or record + a fault's `latency_ms`) is
the gateway's response time with its own work included, as a real gateway's is: the emulator does the work,
then waits out only what is left, so its own processing never lengthens the model.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def respond_within(delay_ms: float, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work`, then sleep until `delay_ms` has passed since it started (no sleep if it took longer)."""
    started = time.monotonic()
    answer = await work()
    remaining = delay_ms / 1000 - (time.monotonic() - started)
    if remaining > 0:
        await asyncio.sleep(remaining)
    return answer

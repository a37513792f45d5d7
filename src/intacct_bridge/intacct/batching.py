"""Split many functions into requests, run the requests side by side, put results back in order.

Concurrency itself is bounded by the company's adaptive limiter; the workers
here only give it something to schedule.  If a request fails as a whole, the
other requests still finish; the first failure is then raised with the
results that are known attached (`error.results`, None where unknown), so a
caller never loses track of what *was* applied.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Awaitable, Callable, Sequence, TypeVar

from .errors import FunctionError
from .functions import Function
from .protocol import check_controlids
from .responses import Result

Outcome = Result | FunctionError
T = TypeVar("T")


def plan(functions: Sequence[Function], batch_size: int, transaction: bool) -> list[list[Function]]:
    """Requests of at most `batch_size` functions; a transaction must fit in one request."""
    check_controlids(functions)
    if transaction and len(functions) > batch_size:
        raise ValueError(
            f"a transaction of {len(functions)} functions does not fit in one request of {batch_size}; "
            "all-or-nothing cannot span requests"
        )
    return [list(functions[i:i + batch_size]) for i in range(0, len(functions), batch_size)]


def assemble(chunks: Sequence[Sequence[Function]], outcomes: Sequence[list[Outcome] | BaseException]) -> list[Outcome]:
    """Flatten per-request outcomes in order, or raise the first request failure with partial results."""
    flat: list[Outcome | None] = []
    failure: BaseException | None = None
    for chunk, outcome in zip(chunks, outcomes):
        if isinstance(outcome, BaseException):
            failure = failure or outcome
            flat.extend([None] * len(chunk))
        else:
            flat.extend(outcome)
    if failure is not None:
        failure.results = flat  # type: ignore[attr-defined]
        raise failure
    return flat  # type: ignore[return-value]


def run_threads(chunks: list[list[Function]], send: Callable[[list[Function]], list[Outcome]], workers: int) -> list[Outcome]:
    if not chunks:
        return []
    if len(chunks) == 1:
        return send(chunks[0])
    outcomes: list[list[Outcome] | BaseException] = []
    with ThreadPoolExecutor(max_workers=min(workers, len(chunks)), thread_name_prefix="intacct") as pool:
        futures = [pool.submit(send, chunk) for chunk in chunks]
        for future in futures:
            error = future.exception()
            outcomes.append(error if error is not None else future.result())
    return assemble(chunks, outcomes)


async def run_tasks(chunks: list[list[Function]], send: Callable[[list[Function]], Awaitable[list[Outcome]]]) -> list[Outcome]:
    if not chunks:
        return []
    if len(chunks) == 1:
        return await send(chunks[0])
    outcomes = await asyncio.gather(*(send(chunk) for chunk in chunks), return_exceptions=True)
    return assemble(chunks, outcomes)

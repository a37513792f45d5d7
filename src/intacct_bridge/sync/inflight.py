"""A bounded set of batches in flight, so the gateway's concurrency slots never wait on the engine.

Posting a batch is reserve (a commit) → send (one request) → settle → record (a
commit). Run one batch at a time and each request slot idles while a batch is
reserved and recorded, and while the next chunk is read and built; run the
requests of a chunk together and the chunk's last request goes out alone. Here a
few batches, each one request's worth of records, run side by side on their own
threads: while some wait on the gateway, another is being reserved or recorded,
so there is always a request ready for a free slot, across chunk boundaries. The
client's limiter still decides how many requests are on the wire at once.

At most `limit` batches are in flight: `wait_for_room` blocks the producer until
one finishes, so memory stays flat however many records wait. Results go to
`on_result` on the caller's thread (the run's counts are not shared between
threads); a batch that raised is re-raised once every batch still in flight has
finished and been handed over, so none is left half done or uncounted behind
the error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class InFlight(Generic[T]):
    """Run `fn(batch)` calls on `limit` threads; `on_result(result, tag)` for each as it finishes."""

    def __init__(self, limit: int, on_result: Callable[[T, Any], None], thread_name_prefix: str = "poster") -> None:
        if limit < 1:
            raise ValueError("at least one batch must be allowed in flight")
        self.limit = limit
        self._on_result = on_result
        self._pool = ThreadPoolExecutor(max_workers=limit, thread_name_prefix=thread_name_prefix)
        self._pending: dict[Future[T], Any] = {}

    def __enter__(self) -> InFlight[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)  # never leave a batch running past its run

    def submit(self, fn: Callable[..., T], *args: Any, tag: Any = None) -> None:
        """Start one batch; call `wait_for_room` first, or more than `limit` queue up."""
        self._pending[self._pool.submit(fn, *args)] = tag

    def wait_for_room(self) -> None:
        """Block until fewer than `limit` batches are in flight, handing over those that finished."""
        self._harvest(lambda: len(self._pending) >= self.limit)

    def drain(self) -> None:
        """Block until every batch has finished, handing each over."""
        self._harvest(lambda: bool(self._pending))

    def _harvest(self, must_wait: Callable[[], bool]) -> None:
        failure: BaseException | None = None
        while must_wait() or (failure is not None and self._pending):
            done, _ = wait(self._pending, return_when=FIRST_COMPLETED)
            failure = self._hand_over(done, failure)
        failure = self._hand_over([f for f in self._pending if f.done()], failure)
        if failure is not None:
            raise failure

    def _hand_over(self, done: Iterable[Future[T]], failure: BaseException | None) -> BaseException | None:
        """Pass each finished batch's result on; return the first failure seen (kept for after the others)."""
        for future in list(done):
            tag = self._pending.pop(future)
            error = future.exception()
            if error is None:
                self._on_result(future.result(), tag)
            elif failure is None:
                failure = error
        return failure

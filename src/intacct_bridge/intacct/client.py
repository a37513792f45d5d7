"""IntacctClient: the synchronous client, and what it shares with the async one.

    with IntacctClient(creds, ClientConfig(endpoint=url)) as client:
        result = client.execute(fn.Read("GLACCOUNT", keys=[1, 2]))
        outcomes = client.execute_many([fn.Create("GLBATCH", {...}, controlid="ws1-a42-g0"), ...])
        for row in client.iter_query("GLACCOUNT", ["ACCOUNTNO", "TITLE"], filter=q.eq("STATUS", "active")): ...

A client serves one company (its sender, user and limiter); share it among
threads.  Entities each get their own session (`entity=` on every call).
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from . import batching
from .concurrency import AdaptiveLimit, SharedGate, ThreadLimiter
from .credentials import ClientConfig, Credentials
from .errors import FunctionError, ResultSetExpired
from .functions import Function
from .pagination import QueryPager, ReadByQueryPager
from .protocol import Flow, NeedSession, Post, Protocol, Sleep
from .responses import Result
from .retry import RetryPolicy
from .session import Session, SessionStore, utcnow
from .transport import SyncTransport
from .usage import UsageStats

#: `entity=` default: the entity named in the credentials.
DEFAULT_ENTITY: Any = object()


class ClientCore:
    """Configuration, accounting and planning shared by the sync and async clients."""

    def __init__(self, credentials: Credentials, config: ClientConfig | None = None, *, rng: random.Random | None = None,
                 limit: AdaptiveLimit | None = None) -> None:
        self.credentials = credentials
        self.config = config or ClientConfig()
        self.usage = UsageStats()
        c = self.config
        policy = RetryPolicy(c.max_retries, c.backoff_base, c.backoff_max, c.throttle_pause, rng or random.Random())
        self._protocol = Protocol(credentials, self.config, self.usage, policy)
        self._limit = limit or AdaptiveLimit(c.max_concurrency, increase_after=c.increase_after, pause=c.throttle_pause)
        self._sessions = SessionStore()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.credentials!r}, endpoint={self.config.endpoint!r})"

    @property
    def concurrency_limit(self) -> int:
        """The limiter's current limit (it adapts between 1 and max_concurrency)."""
        return self._limit.limit

    def _entity(self, entity: Any) -> str | None:
        return self.credentials.entity_id if entity is DEFAULT_ENTITY else entity

    def _execute_flow(self, function: Function, uniqueid: bool | None, entity: Any) -> Flow[list[Result | FunctionError]]:
        """The flow behind `execute`: one function alone in its request."""
        return self._protocol.send([function], uniqueid=self._uniqueid(function, uniqueid), transaction=False,
                                   entity_id=self._entity(entity))

    def _batches(self, functions: Sequence[Function], *, uniqueid: bool, transaction: bool,
                 entity: Any) -> tuple[list[list[Function]], Callable[[list[Function]], Flow[list[Result | FunctionError]]]]:
        """What `execute_many` sends: the requests (chunks of functions), and the flow that sends one chunk.

        A request of reads only goes without uniqueid whatever the caller asked: re-reading is harmless,
        while with uniqueid the gateway refuses a resent read's control ID and its records are lost.
        """
        entity_id = self._entity(entity)
        chunks = batching.plan(list(functions), self.config.batch_size, transaction)

        def flow_for(chunk: list[Function]) -> Flow[list[Result | FunctionError]]:
            chunk_uniqueid = uniqueid and any(f.is_write for f in chunk)
            return self._protocol.send(chunk, uniqueid=chunk_uniqueid, transaction=transaction, entity_id=entity_id)

        return chunks, flow_for

    @contextmanager
    def _counted_request(self) -> Iterator[None]:
        """Count one request and the time spent waiting for its answer (failed ones too)."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.usage.add(requests=1, wait_seconds=time.monotonic() - started)

    def _cached_session(self, effect: NeedSession) -> Session | None:
        return self._sessions.get(effect.entity_id, now=utcnow(), margin=self.config.session_renew_margin,
                                  stale=effect.stale)

    @staticmethod
    def _single(outcomes: list[Result | FunctionError]) -> Result:
        outcome = outcomes[0]
        if isinstance(outcome, FunctionError):
            raise outcome
        return outcome

    @staticmethod
    def _uniqueid(function: Function, uniqueid: bool | None) -> bool:
        """Writes go with uniqueid=true unless told otherwise; reads without (a re-read is harmless)."""
        return function.is_write if uniqueid is None else uniqueid


class IntacctClient(ClientCore):
    def __init__(self, credentials: Credentials, config: ClientConfig | None = None, *,
                 transport: SyncTransport | None = None, rng: random.Random | None = None,
                 limiter: ThreadLimiter | None = None, gate: SharedGate | None = None) -> None:
        """`limiter`: share another client's (`other.limiter`) when two clients work for the same company.

        `gate`: a slot every request also takes, shared with other processes working for the company
        (the product's distributed limiter); ignored when `limiter` is given (it has its own).
        """
        super().__init__(credentials, config, rng=rng, limit=limiter.limit if limiter else None)
        self._transport = transport or SyncTransport(self.config)
        self.limiter = limiter or ThreadLimiter(self._limit, gate)
        self._session_locks: defaultdict[str | None, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()

    # --- public API --------------------------------------------------------------------------

    def execute(self, function: Function, *, uniqueid: bool | None = None, entity: Any = DEFAULT_ENTITY) -> Result:
        """Run one function; raise its FunctionError if it failed."""
        return self._single(self._run(self._execute_flow(function, uniqueid, entity)))

    def execute_many(self, functions: Sequence[Function], *, uniqueid: bool = True, transaction: bool = False,
                     entity: Any = DEFAULT_ENTITY) -> list[Result | FunctionError]:
        """Run many functions in requests of batch_size, concurrently; outcomes in the functions' order."""
        chunks, flow_for = self._batches(functions, uniqueid=uniqueid, transaction=transaction, entity=entity)
        return batching.run_threads(chunks, lambda chunk: self._run(flow_for(chunk)), self.config.max_concurrency)

    def iter_query(self, object: str, select: Sequence[str], *, filter: Any = None, order_by: Sequence[Any] = (),
                   page_size: int = 2000, entity: Any = DEFAULT_ENTITY, **options: Any) -> Iterator[dict[str, Any]]:
        """Stream the records of a `query`, one page (up to 2000) at a time."""
        pager = QueryPager(object, select, filter=filter, order_by=order_by, page_size=page_size, **options)
        return self._pages(pager, entity)

    def iter_queries(self, queries: Sequence[tuple[str, Sequence[str]]], *, page_size: int = 2000,
                     entity: Any = DEFAULT_ENTITY, **options: Any) -> list[Iterator[dict[str, Any]]]:
        """Several `iter_query`s, (object, select) each, whose first pages go out together in one request.

        `options` go on every query (e.g. `show_private`). Each iterator then pages on alone. A query the gateway refused (PermissionDenied...) raises its
        error when its iterator is first read, as `iter_query` would; the others are not held back.
        """
        pagers = [QueryPager(object, select, page_size=page_size, **options) for object, select in queries]
        answers = self.execute_many([pager.first() for pager in pagers], uniqueid=False, entity=entity) if pagers else []
        return [self._pages(pager, entity, first=answer) for pager, answer in zip(pagers, answers, strict=True)]

    def iter_read_by_query(self, object: str, query: Any = "", fields: str | Sequence[str] = "*", *,
                           page_size: int = 1000, docparid: str | None = None,
                           entity: Any = DEFAULT_ENTITY) -> Iterator[dict[str, Any]]:
        """Stream the records of a readByQuery, following readMore (up to 1000 a page)."""
        pager = ReadByQueryPager(object, query=query, fields=fields, page_size=page_size, docparid=docparid)
        return self._pages(pager, entity)

    def close(self) -> None:
        self.usage.log(self.credentials.company_id)
        self._transport.close()

    def __enter__(self) -> "IntacctClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- driving the flows -------------------------------------------------------------------

    def _pages(self, pager: QueryPager | ReadByQueryPager, entity: Any,
               first: Result | FunctionError | None = None) -> Iterator[dict[str, Any]]:
        """Every page's records; `first`: the first page's answer, when it was fetched already."""
        function: Function | None
        if first is None:
            function = pager.first()
        elif isinstance(first, FunctionError):
            raise first
        else:
            yield from pager.records(first)
            function = pager.next(first)
        while function is not None:
            try:
                result = self.execute(function, uniqueid=False, entity=entity)
            except ResultSetExpired as expired:
                function = pager.restart(expired)
                continue
            yield from pager.records(result)
            function = pager.next(result)

    def _run(self, flow: Flow[Any]) -> Any:
        """Drive a protocol flow, performing its effects with blocking calls."""
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                effect = flow.throw(error) if error is not None else flow.send(value)
            except StopIteration as stop:
                return stop.value
            value, error = None, None
            try:
                value = self._perform(effect)
            except Exception as exc:  # handed back to the flow, which decides
                error = exc

    def _perform(self, effect: Any) -> Any:
        if isinstance(effect, Post):
            with self.limiter.slot() as slot:
                with self._counted_request():
                    raw = self._transport.post(effect.url, effect.body, effect.context)
                slot.throttled = raw.status_code == 429
            return raw
        if isinstance(effect, Sleep):
            time.sleep(effect.seconds)
            return None
        return self._session(effect)

    def _session(self, effect: NeedSession) -> Session:
        """The entity's session, signing in (once, even with many threads waiting) when needed."""
        with self._locks_guard:
            lock = self._session_locks[effect.entity_id]
        with lock:
            session = self._cached_session(effect)
            if session is None:
                session = self._run(self._protocol.login(effect.entity_id))
                self._sessions.put(effect.entity_id, session)
            return session

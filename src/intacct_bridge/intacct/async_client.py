"""AsyncIntacctClient: the same flows as IntacctClient, driven with awaits.

    async with AsyncIntacctClient(creds, ClientConfig(endpoint=url)) as client:
        outcomes = await client.execute_many(functions)
        async for row in client.iter_query("GLACCOUNT", ["ACCOUNTNO"]): ...

Use one instance per event loop; its tasks share the company's limiter.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from typing import Any, AsyncIterator, Sequence

from . import batching
from .client import DEFAULT_ENTITY, ClientCore
from .concurrency import AsyncLimiter
from .credentials import ClientConfig, Credentials
from .errors import FunctionError, ResultSetExpired
from .functions import Function
from .pagination import QueryPager, ReadByQueryPager
from .protocol import Flow, NeedSession, Post, Sleep
from .responses import Result
from .session import Session
from .transport import AsyncTransport


class AsyncIntacctClient(ClientCore):
    def __init__(self, credentials: Credentials, config: ClientConfig | None = None, *,
                 transport: AsyncTransport | None = None, rng: random.Random | None = None,
                 limiter: AsyncLimiter | None = None) -> None:
        """`limiter`: share another async client's (same event loop) when both work for the same company."""
        super().__init__(credentials, config, rng=rng, limit=limiter.limit if limiter else None)
        self._transport = transport or AsyncTransport(self.config)
        self.limiter = limiter or AsyncLimiter(self._limit)
        self._session_locks: defaultdict[str | None, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def execute(self, function: Function, *, uniqueid: bool | None = None, entity: Any = DEFAULT_ENTITY) -> Result:
        return self._single(await self._run(self._execute_flow(function, uniqueid, entity)))

    async def execute_many(self, functions: Sequence[Function], *, uniqueid: bool = True, transaction: bool = False,
                           entity: Any = DEFAULT_ENTITY) -> list[Result | FunctionError]:
        chunks, flow_for = self._batches(functions, uniqueid=uniqueid, transaction=transaction, entity=entity)
        return await batching.run_tasks(chunks, lambda chunk: self._run(flow_for(chunk)))

    def iter_query(self, object: str, select: Sequence[str], *, filter: Any = None, order_by: Sequence[Any] = (),
                   page_size: int = 2000, entity: Any = DEFAULT_ENTITY, **options: Any) -> AsyncIterator[dict[str, Any]]:
        pager = QueryPager(object, select, filter=filter, order_by=order_by, page_size=page_size, **options)
        return self._pages(pager, entity)

    def iter_read_by_query(self, object: str, query: Any = "", fields: str | Sequence[str] = "*", *,
                           page_size: int = 1000, docparid: str | None = None,
                           entity: Any = DEFAULT_ENTITY) -> AsyncIterator[dict[str, Any]]:
        pager = ReadByQueryPager(object, query=query, fields=fields, page_size=page_size, docparid=docparid)
        return self._pages(pager, entity)

    async def close(self) -> None:
        self.usage.log(self.credentials.company_id)
        await self._transport.close()

    async def __aenter__(self) -> "AsyncIntacctClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _pages(self, pager: QueryPager | ReadByQueryPager, entity: Any) -> AsyncIterator[dict[str, Any]]:
        function: Function | None = pager.first()
        while function is not None:
            try:
                result = await self.execute(function, uniqueid=False, entity=entity)
            except ResultSetExpired as expired:
                function = pager.restart(expired)
                continue
            for record in pager.records(result):
                yield record
            function = pager.next(result)

    async def _run(self, flow: Flow[Any]) -> Any:
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                effect = flow.throw(error) if error is not None else flow.send(value)
            except StopIteration as stop:
                return stop.value
            value, error = None, None
            try:
                value = await self._perform(effect)
            except Exception as exc:  # handed back to the flow, which decides
                error = exc

    async def _perform(self, effect: Any) -> Any:
        if isinstance(effect, Post):
            async with self.limiter.slot() as slot:
                with self._counted_request():
                    raw = await self._transport.post(effect.url, effect.body, effect.context)
                slot.throttled = raw.status_code == 429
            return raw
        if isinstance(effect, Sleep):
            await asyncio.sleep(effect.seconds)
            return None
        return await self._session(effect)

    async def _session(self, effect: NeedSession) -> Session:
        async with self._session_locks[effect.entity_id]:
            session = self._cached_session(effect)
            if session is None:
                session = await self._run(self._protocol.login(effect.entity_id))
                self._sessions.put(effect.entity_id, session)
            return session

"""RestClient: the REST API (`/ia/api/v1`) behind the same interface as IntacctClient.

    with RestClient(RestCredentials(client_id, secret, company, user), ClientConfig(endpoint=rest_base)) as client:
        outcomes = client.execute_many([fn.Create("GLBATCH", {...}, controlid="ws1-a42-g0"), ...])
        for row in client.iter_query("GLACCOUNT", ["ACCOUNTNO", "TITLE"], filter=q.eq("STATUS", "active")): ...

The engines call `execute_many`, `execute` and `iter_query` with the XML names they
always used; `rest_shapes` turns them into REST paths, fields and JSON. What the wires
share is shared, not copied: the retry policy (`retry`), the adaptive per-company
limiter (`concurrency`), the usage counters (`usage`), the error kinds (`errors`),
the endpoint allow-list (`endpoints`) and the thread fan-out (`batching`).

Exactly once: every write carries an `Idempotency-Key`. A write alone in its request
uses its controlid (the posting's stable id) as the key; a batch (up to 500 records
of one object, `config.batch_size` at most) uses a key derived from the controlids it
carries, so resending the same request replays its answer. A 409 (a key reused with
another body, or a unique-key conflict) is answered DuplicateControlId, which the
outbox settles by looking the record up — never by resending under a new key.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from typing import Any, Callable, Iterator, Sequence

import httpx

from . import batching
from . import query as q
from .client import DEFAULT_ENTITY
from .concurrency import AdaptiveLimit, SharedGate, ThreadLimiter
from .credentials import ClientConfig
from .endpoints import DEFAULT_REST_BASE, EndpointNotAllowedError
from .errors import (
    AmbiguousOutcome,
    BusinessRuleError,
    EndpointNotAllowed,
    ErrorContext,
    FunctionError,
    IntacctError,
    RateLimited,
    SessionInvalid,
    SignInError,
)
from .functions import Function, Read
from .oauth import RestCredentials, TokenSource
from .responses import Result
from .rest_answers import UNPROCESSED, body_of, error_block, item_error, request_error
from .rest_shapes import (NotOnRest, RestGet, RestWrite, filters_of, object_for, order_of, read_of, record_of, row_of,
                          write_of)
from .retry import RetryPolicy
from .usage import UsageStats
from .transport import RawResponse, _retry_after, transport_failure

ENTITY_HEADER = "X-IA-API-Param-Entity"
IDEMPOTENCY_HEADER = "Idempotency-Key"
QUERY_PATH = "/services/core/query"
COMPOSITE_PATH = "/services/core/composite"
COMPOSITE_MAX = 10
MAX_BATCH = 500
MAX_QUERY_PAGE = 4000
MAX_KEY = 256


def batch_key(controlids: Sequence[str]) -> str:
    """The Idempotency-Key of a request: the write's controlid alone, or a digest of the batch's controlids."""
    if len(controlids) == 1 and len(controlids[0]) <= MAX_KEY:
        return controlids[0]
    return "batch-" + hashlib.sha256("\n".join(controlids).encode()).hexdigest()


class RestClient:
    """One company over REST; share it among threads. `entity=` on every call picks the entity (a header)."""

    wire = "rest"

    def __init__(self, credentials: RestCredentials, config: ClientConfig | None = None, *,
                 http: httpx.Client | None = None, rng: random.Random | None = None,
                 limiter: ThreadLimiter | None = None, gate: SharedGate | None = None,
                 on_refresh: Callable[[str], None] | None = None) -> None:
        """`limiter`: another client's, to share its limit; `gate`: a slot shared with other processes working
        for the company (the workers' Redis gate), taken around every request as on the XML side."""
        self.credentials = credentials
        self.config = config or ClientConfig(endpoint=DEFAULT_REST_BASE)
        c = self.config
        self.base_url = c.endpoint.rstrip("/")
        self.usage = UsageStats()
        self.policy = RetryPolicy(c.max_retries, c.backoff_base, c.backoff_max, c.throttle_pause,
                                  rng or random.Random())
        self.limiter = limiter or ThreadLimiter(AdaptiveLimit(c.max_concurrency, increase_after=c.increase_after,
                                                              pause=c.throttle_pause), gate)
        self._endpoints = c.endpoint_policy()
        self._http = http or httpx.Client(
            timeout=httpx.Timeout(c.timeout, connect=c.connect_timeout), follow_redirects=False,
            limits=httpx.Limits(max_connections=c.max_concurrency + 2, max_keepalive_connections=c.max_concurrency + 2),
            headers={"Accept": "application/json", "Accept-Encoding": "gzip, deflate", "User-Agent": c.user_agent})
        self._allowed(self.base_url + "/oauth2/token")  # nothing goes out (not even the secret) to a refused URL
        self.tokens = TokenSource(credentials, self.base_url, self._http, context=self.context(credentials.entity_id),
                                  margin=c.session_renew_margin, on_refresh=on_refresh)
        self._logins_seen = 0
        self._count_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RestClient({self.credentials!r}, endpoint={self.base_url!r})"

    @property
    def concurrency_limit(self) -> int:
        return self.limiter.limit.limit

    def context(self, entity_id: str | None) -> ErrorContext:
        c = self.credentials
        return ErrorContext(c.client_id, c.company_id, c.user_id, entity_id)

    # --- the interface the engines use ---------------------------------------------------------

    def execute(self, function: Function, *, uniqueid: bool | None = None, entity: Any = DEFAULT_ENTITY) -> Result:
        """Run one function; raise its FunctionError if it failed."""
        outcome = self.execute_many([function], uniqueid=function.is_write if uniqueid is None else uniqueid,
                                    entity=entity)[0]
        if isinstance(outcome, FunctionError):
            raise outcome
        return outcome

    def execute_many(self, functions: Sequence[Function], *, uniqueid: bool = True, transaction: bool = False,
                     entity: Any = DEFAULT_ENTITY) -> list[Result | FunctionError]:
        """Writes in batches of one object (`batch_size`, at most 500), concurrently; outcomes in order."""
        entity_id = self._entity(entity)
        outcomes: dict[int, Result | FunctionError] = {}
        groups: dict[tuple[str, str], list[tuple[int, Function, RestWrite]]] = {}
        for index, function in enumerate(functions):
            if not function.is_write:
                outcomes[index] = self._read(function, entity_id)
                continue
            try:
                write = write_of(function)
            except (NotOnRest, ValueError, TypeError) as refused:
                outcomes[index] = _not_on_rest(function, str(refused), self.context(entity_id))
                continue
            groups.setdefault((write.method, write.shape.path), []).append((index, function, write))
        size = min(self.config.batch_size, MAX_BATCH)
        chunks = [items[i:i + size] for items in groups.values() for i in range(0, len(items), size)]
        if transaction and len(chunks) > 1:
            raise ValueError("an all-or-nothing transaction over REST must be one batch of one object")

        def send(chunk: list[Any]) -> list[Any]:
            return self._send_batch(chunk, uniqueid=uniqueid, transaction=transaction, entity_id=entity_id)

        flat = batching.run_threads(chunks, send, self.config.max_concurrency) if chunks else []
        for (index, _, _), outcome in zip([item for chunk in chunks for item in chunk], flat, strict=True):
            outcomes[index] = outcome
        return [outcomes[i] for i in range(len(functions))]

    def iter_query(self, object: str, select: Sequence[str], *, filter: Any = None, order_by: Sequence[Any] = (),
                   page_size: int = 2000, entity: Any = DEFAULT_ENTITY, case_insensitive: bool = False,
                   show_private: bool = False, **_: Any) -> Iterator[dict[str, Any]]:
        """Stream the rows of the query service page by page (`ia::meta.next`), under the XML field names."""
        if not select or isinstance(select, str):
            raise ValueError("query needs a list of field names (selecting all fields is not supported)")
        shape = object_for(object)
        names = list(select)
        filters, expression = filters_of(shape, filter)
        body: dict[str, Any] = {"object": shape.path, "fields": [f for f in dict.fromkeys(shape.field(n).rest for n in names) if f],
                                "size": min(page_size, MAX_QUERY_PAGE)}
        if filters:
            body["filters"] = filters
        if expression:
            body["filterExpression"] = expression
        if order_by:
            body["orderBy"] = order_of(shape, order_by)
        parameters = {k: v for k, v in (("caseSensitiveComparison", False if case_insensitive else None),
                                        ("includePrivate", True if show_private else None)) if v is not None}
        if parameters:
            body["filterParameters"] = parameters
        return self._pages(shape, names, body, self._entity(entity))

    def close(self) -> None:
        self.usage.log(self.credentials.company_id)
        self.tokens.close()
        self._http.close()

    def __enter__(self) -> "RestClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reads ----------------------------------------------------------------------------------

    def _read(self, function: Function, entity_id: str | None) -> Result | FunctionError:
        """A read function through the query service (all its pages), answered as the XML side answers it;
        `read` by keys (≤100) through `GET /objects/<object>/<key>,<key>…`, lines nested as the gateway's."""
        if isinstance(function, Read):
            return self._read_keys(function, entity_id)
        try:
            read = read_of(function)
        except NotOnRest as refused:
            return _not_on_rest(function, str(refused), self.context(entity_id))
        if isinstance(read, RestGet):  # a preferences read: billed nothing, as get_companyprefs on XML
            answer = self._request("GET", f"/objects/{read.path}", None, entity_id=entity_id)
            result = answer.get("ia::result") if isinstance(answer, dict) else None
            return Result("success", function.name, function.controlid, records=read.records(result))
        rows = list(self.iter_query(read.object, list(read.select), filter=read.filter, page_size=MAX_QUERY_PAGE,
                                    entity=entity_id))
        return Result("success", function.name, function.controlid, records=read.records(rows))

    def _read_keys(self, function: Read, entity_id: str | None) -> Result | FunctionError:
        shape = object_for(function.object)
        keys = [str(k).strip() for k in (function.keys if isinstance(function.keys, (list, tuple)) else
                                         str(function.keys).split(",")) if str(k).strip()]
        try:
            answer = self._request("GET", f"/objects/{shape.path}/{','.join(keys)}", None, entity_id=entity_id)
        except FunctionError as refused:
            return refused
        except IntacctError as refused:
            if refused.errorno != "notFound":
                raise
            # A key that does not exist (any more): the whole read is refused on REST, one function's failure.
            return BusinessRuleError("result", "notFound", refused.description, context=self.context(entity_id),
                                     controlid=function.controlid, function=function.name)
        self.usage.add(api_transactions=1)
        found = answer.get("ia::result") if isinstance(answer, dict) else None
        items = found if isinstance(found, list) else [found] if isinstance(found, dict) else []
        return Result("success", function.name, function.controlid, records=[record_of(shape, item) for item in items])

    def _pages(self, shape: Any, names: list[str], body: dict[str, Any], entity_id: str | None) -> Iterator[dict[str, Any]]:
        start: int | None = 1
        while start is not None:
            answer = self._request("POST", QUERY_PATH, {**body, "start": start}, entity_id=entity_id)
            self.usage.add(api_transactions=1)
            rows = answer.get("ia::result") or [] if isinstance(answer, dict) else []
            for row in rows:
                yield row_of(shape, names, row)
            following = (answer.get("ia::meta") or {}).get("next") if isinstance(answer, dict) else None
            start = int(following) if following not in (None, "") and rows else None

    # --- writes ---------------------------------------------------------------------------------

    def _send_batch(self, chunk: list[tuple[int, Function, RestWrite]], *, uniqueid: bool, transaction: bool,
                    entity_id: str | None) -> list[Result | FunctionError]:
        context = self.context(entity_id)
        method, shape = chunk[0][2].method, chunk[0][2].shape
        outcomes: list[Result | FunctionError | None] = [None] * len(chunk)
        bodies: list[tuple[int, dict[str, Any]]] = []
        for position, (_, function, write) in enumerate(chunk):
            if write.method == "PATCH":
                key = self._key_of(shape, write.find_id or "", entity_id)
                if key is None:
                    outcomes[position] = _not_on_rest(function, f"no {shape.xml} with id {write.find_id} to update",
                                                      context)
                    continue
                bodies.append((position, {"key": key, **write.body}))
            else:
                bodies.append((position, write.body))
        if not bodies:
            return outcomes  # type: ignore[return-value]
        if self.config.rest_writes == "batch" or transaction:
            self._send_one_request(chunk, shape, method, bodies, outcomes, uniqueid=uniqueid,
                                   transaction=transaction, entity_id=entity_id)
        else:
            self._send_composites(chunk, shape, method, bodies, outcomes, uniqueid=uniqueid, entity_id=entity_id)
        return outcomes  # type: ignore[return-value]

    def _send_one_request(self, chunk: list[Any], shape: Any, method: str, bodies: list[tuple[int, dict[str, Any]]],
                          outcomes: list[Any], *, uniqueid: bool, transaction: bool, entity_id: str | None) -> None:
        """One POST/PATCH: a single record (key = its controlid) or a batch array (key derived from them all)."""
        context = self.context(entity_id)
        controlids = [chunk[p][1].controlid for p, _ in bodies]
        key = batch_key(controlids) if uniqueid else None
        path = f"/objects/{shape.url_path}"
        single = len(bodies) == 1 and not transaction
        payload: Any = bodies[0][1] if single and method == "POST" else [b for _, b in bodies]
        if single and method == "PATCH":
            path, payload = f"{path}/{bodies[0][1]['key']}", {k: v for k, v in bodies[0][1].items() if k != "key"}
        headers = {"X-IA-API-Param-Transaction": "true"} if transaction else {}
        try:
            answer, status, replayed = self._write_request(method, path, payload, key, entity_id, headers,
                                                           controlids, single=single)
        except FunctionError as refused:  # a single write refused (400/403/404/409/422): this record only
            refused.controlid, refused.function = controlids[0], chunk[bodies[0][0]][1].name
            outcomes[bodies[0][0]] = refused
            self.usage.add(api_transactions=0 if getattr(refused, "replayed", False) else 1)
            return
        items = [answer.get("ia::result")] if single else answer.get("ia::result") or []
        if single:
            items[0] = {**(items[0] or {}), "ia::status": status}
        self._settle_items(chunk, bodies, items, outcomes, context)
        if not replayed:
            self.usage.add(api_transactions=len(bodies))

    def _send_composites(self, chunk: list[Any], shape: Any, method: str, bodies: list[tuple[int, dict[str, Any]]],
                         outcomes: list[Any], *, uniqueid: bool, entity_id: str | None) -> None:
        """Composite requests of up to 10 writes, each with its own Idempotency-Key (its controlid).

        A composite stops at its first failure and leaves the rest `unprocessed` (not applied): those go
        again in the next one, so one bad record never holds the others back.
        """
        context = self.context(entity_id)
        pending = list(bodies)
        while pending:
            group, pending = pending[:COMPOSITE_MAX], pending[COMPOSITE_MAX:]
            if len(group) == 1:
                self._send_one_request(chunk, shape, method, group, outcomes, uniqueid=uniqueid, transaction=False,
                                       entity_id=entity_id)
                continue
            subrequests = []
            for position, body in group:
                path = f"/objects/{shape.url_path}" + (f"/{body['key']}" if method == "PATCH" else "")
                sub: dict[str, Any] = {"method": method, "path": path,
                                       "body": {k: v for k, v in body.items() if k != "key"} if method == "PATCH" else body}
                if uniqueid:
                    sub["headers"] = {IDEMPOTENCY_HEADER: chunk[position][1].controlid}
                subrequests.append(sub)
            controlids = [chunk[p][1].controlid for p, _ in group]
            try:
                raw, answer = self._exchange("POST", COMPOSITE_PATH, subrequests, entity_id, {}, has_writes=True,
                                             uniqueid=uniqueid, controlids=controlids, item_errors=False)
            except SignInError:
                raise  # nothing of this company/entity can run: the caller fails them all (an entity's records)
            except IntacctError as lost:
                # This composite's fate is unknown (or it was refused after every retry): its writes carry the
                # error, to be looked up; the composites after it still go, as one XML request's failure
                # leaves the other requests of execute_many to finish.
                for position, _ in group:
                    outcomes[position] = lost
                continue
            items = answer.get("ia::result") or [] if isinstance(answer, dict) else []
            replayed = sum(1 for i in items if _replayed(i))
            items = [{**(i.get("ia::result") or {}), "ia::status": i.get("ia::status")} if isinstance(i, dict)
                     and isinstance(i.get("ia::result"), dict) else i for i in items]
            self._settle_items(chunk, group, items, outcomes, context)
            skipped = [(p, b) for p, b in group if isinstance(outcomes[p], FunctionError)
                       and outcomes[p].errorno == UNPROCESSED]
            # Intacct bills each record written or refused (reference §7.3), not a replayed answer nor a skipped one
            self.usage.add(api_transactions=len(group) - len(skipped) - replayed)
            if len(skipped) < len(group):  # progress was made: the skipped ones go again
                pending = skipped + pending

    def _settle_items(self, chunk: list[Any], bodies: list[tuple[int, dict[str, Any]]], items: list[Any],
                      outcomes: list[Any], context: ErrorContext) -> None:
        for (position, _), item in zip(bodies, items, strict=False):
            outcomes[position] = self._item_outcome(chunk[position][1], item, context, chunk[position][2].shape)
        for position, _ in bodies:
            if outcomes[position] is None:
                missing = item_error(502, {"code": "missing", "message": "the answer held no result for this record"},
                                     context, controlid=chunk[position][1].controlid, function=chunk[position][1].name)
                missing.transient = True
                outcomes[position] = missing

    def _item_outcome(self, function: Function, item: Any, context: ErrorContext, shape: Any) -> Result | FunctionError:
        status = int(item.get("ia::status") or 200) if isinstance(item, dict) else 500
        error = error_block(item) if isinstance(item, dict) else None
        if status >= 300 or error is not None:
            return item_error(status, error, context, controlid=function.controlid, function=function.name)
        key = str(item.get("key") or "") or None
        if shape.answers_id:  # a sales document is known by its DOCID, as the XML create answers it
            document_id = str(item.get("id") or "")
            if key and document_id in ("", key):  # an answer naming the key only: read its id
                rows = list(self.iter_query(shape.xml, [shape.id_field], filter=q.eq("RECORDNO", key), page_size=1,
                                            entity=context.entity_id))
                document_id = str(rows[0].get(shape.id_field) or "") if rows else ""
            return Result("success", function.name, function.controlid, key=document_id or key)
        return Result("success", function.name, function.controlid, records=[{"RECORDNO": key}] if key else [],
                      key=key)

    def _write_request(self, method: str, path: str, payload: Any, key: str | None, entity_id: str | None,
                       headers: dict[str, str], controlids: list[str], *, single: bool) -> tuple[Any, int, bool]:
        """Send one write request (retrying with the same key); a single write's refusal is its FunctionError."""
        if key is not None:
            headers = {**headers, IDEMPOTENCY_HEADER: key}
        try:
            raw, body = self._exchange(method, path, payload, entity_id, headers, has_writes=True,
                                       uniqueid=key is not None, controlids=controlids, item_errors=single)
        except _ItemRefused as refused:
            refused.error.replayed = refused.replayed  # type: ignore[attr-defined]
            raise refused.error from None
        replayed = "x-ia-idempotency-cached-date" in raw.headers
        return body if isinstance(body, dict) else {}, raw.status_code, replayed

    def _key_of(self, shape: Any, record_id: str, entity_id: str | None) -> str | None:
        """A record's key (what PATCH needs in its path) from its id, through the query service."""
        rows = list(self.iter_query(shape.xml, ["RECORDNO"], filter=q.eq(shape.id_field, record_id), page_size=1,
                                    entity=entity_id))
        return str(rows[0]["RECORDNO"]) if rows and rows[0].get("RECORDNO") else None

    # --- one request: token, limiter, retries ---------------------------------------------------

    def _request(self, method: str, path: str, payload: Any, *, entity_id: str | None) -> Any:
        _, body = self._exchange(method, path, payload, entity_id, {}, has_writes=False, uniqueid=False,
                                 controlids=[], item_errors=False)
        return body

    def _exchange(self, method: str, path: str, payload: Any, entity_id: str | None, headers: dict[str, str], *,
                  has_writes: bool, uniqueid: bool, controlids: list[str],
                  item_errors: bool) -> tuple[_Raw, Any]:
        context = self.context(entity_id)
        url = self._allowed(self.base_url + path, context)
        content = b"" if payload is None else json.dumps(payload).encode()
        attempt = renewals = 0
        maybe_applied = False
        stale: str | None = None
        token: str | None = None
        while True:
            try:
                token = self.tokens.token(stale)
                self._count_logins()
                sent = {**headers, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                if entity_id:
                    sent[ENTITY_HEADER] = entity_id
                raw = self._post(method, url, content, sent, context)
                body = body_of(raw)
                if raw.status_code >= 400:
                    error = request_error(raw, body, context)
                    if item_errors and raw.status_code in (400, 403, 404, 409, 422) \
                            and not isinstance(error, SignInError):
                        raise _ItemRefused(item_error(raw.status_code, error_block(body), context,
                                                      controlid=controlids[0] if controlids else "", function=""),
                                           replayed="x-ia-idempotency-cached-date" in raw.headers)
                    raise error
                return raw, body
            except SessionInvalid as err:
                if renewals >= 1 + self.policy.max_retries:
                    raise err if not maybe_applied else AmbiguousOutcome(controlids, err) from err
                renewals += 1
                stale = token
                continue
            except _ItemRefused:
                raise  # one record refused (a 409 after our own resend included: the outbox looks it up)
            except IntacctError as err:
                if isinstance(err, RateLimited):
                    self.usage.add(throttled=1)
                refused = err.http_status is not None and 400 <= err.http_status < 500 and err.http_status != 429
                if refused and not err.transient:  # a 4xx answer to the whole request: nothing in it ran
                    if maybe_applied and has_writes:  # ... this time; an earlier attempt may have been applied
                        raise AmbiguousOutcome(controlids, err, uniqueid=uniqueid) from err
                    raise
                decision = self.policy.decide(err, attempt, has_writes=has_writes, uniqueid=uniqueid)
                maybe_applied = maybe_applied or decision.ambiguous
                if not decision.retry:
                    if maybe_applied and has_writes:
                        raise AmbiguousOutcome(controlids, err, uniqueid=uniqueid) from err
                    raise
                attempt += 1
                self.usage.add(retries=1, backoff_seconds=decision.delay)
                time.sleep(decision.delay)

    def _post(self, method: str, url: str, content: bytes, headers: dict[str, str], context: ErrorContext) -> _Raw:
        with self.limiter.slot() as slot:
            started = time.monotonic()
            try:
                response = self._http.request(method, url, content=content, headers=headers, follow_redirects=False)
            except httpx.HTTPError as exc:
                raise transport_failure(exc, context) from exc
            finally:
                self.usage.add(requests=1, wait_seconds=time.monotonic() - started)
            slot.throttled = response.status_code == 429
        retry_after = _retry_after(response.headers.get("retry-after")
                                   or response.headers.get("x-ia-throttle-limit-retry-after")
                                   or response.headers.get("x-ia-throttle-limit-retryafter"))
        return _Raw(response.status_code, response.headers.get("content-type", ""), response.content, retry_after,
                    response.headers)

    def _count_logins(self) -> None:
        with self._count_lock:
            fresh = self.tokens.fetched - self._logins_seen
            if fresh:
                self._logins_seen = self.tokens.fetched
                self.usage.add(session_logins=fresh)

    def _allowed(self, url: str, context: ErrorContext | None = None) -> str:
        try:
            return self._endpoints.check(url)
        except EndpointNotAllowedError as refused:
            raise EndpointNotAllowed(url, str(refused), context=context or self.context(None)) from None

    def _entity(self, entity: Any) -> str | None:
        return self.credentials.entity_id if entity is DEFAULT_ENTITY else entity


class _Raw(RawResponse):
    """A RawResponse that keeps the headers (the idempotency replay header, the throttle headers)."""

    def __init__(self, status_code: int, content_type: str, content: bytes, retry_after: float | None,
                 headers: httpx.Headers) -> None:
        super().__init__(status_code, content_type, content, retry_after)
        object.__setattr__(self, "headers", headers)


class _ItemRefused(Exception):
    def __init__(self, error: FunctionError, replayed: bool = False) -> None:
        self.error = error
        self.replayed = replayed


def _replayed(item: Any) -> bool:
    """A composite item answered from its Idempotency-Key's cache (the emulator's `ia::headers`, ours)."""
    headers = item.get("ia::headers") if isinstance(item, dict) else None
    return isinstance(headers, dict) and any(str(n).lower() == "x-ia-idempotency-cached-date" for n in headers)


def _not_on_rest(function: Function, why: str, context: ErrorContext) -> FunctionError:
    return BusinessRuleError("result", "not-on-rest", why, context=context, controlid=function.controlid,
                             function=function.name)


__all__ = ["ENTITY_HEADER", "IDEMPOTENCY_HEADER", "RestClient", "RestCredentials", "batch_key", "UNPROCESSED"]

"""The REST wire's ASGI side: `/ia/api/v1/...` beside the XML gateway, on the same state.

The event loop reads the body, draws the fault (the XML side's injector: one draw
per request), holds the company's concurrency slot (the XML side's gate, so both
wires share the limit), refuses an `Idempotency-Key` still in flight, and answers
within the configured latency (`latency.respond_within`); the backend work runs on a worker thread in one
transaction (`_process`), which also bills the XML side's usage counters.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import parse_qs

import anyio.to_thread
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from intacct_emulator import faults, usage
from intacct_emulator.config import REST_BASE_PATH, EmulatorConfig
from intacct_emulator.functions.base import CallContext
from intacct_emulator.latency import respond_within
from intacct_emulator.limits import ConcurrencyExceeded

from . import tokens
from .envelope import RestError, error_body
from .operations import Answer, Call, Operations, parse_body
from .tables import digest

log = logging.getLogger("intacct_emulator.rest")

ENTITY_HEADER = "x-ia-api-param-entity"
ErrorPage = Callable[[str], Response]


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    if status == 204 or body is None:
        return Response(status_code=status, headers=headers)
    return JSONResponse(body, status, headers=headers)


def _rate_limited(company_id: str, limit: int, config: EmulatorConfig) -> Response:
    error = RestError(429, "GW-0010", f"API rate limit exceeded: company {company_id or '?'} has no remaining"
                      f" slots ({limit} concurrent requests)")
    headers = {"X-IA-Throttle-Limit": str(limit), "X-IA-Throttle-Limit-Remaining": "0",
               "X-IA-Throttle-Limit-Retry-After": "1"}
    if config.rest_retry_after:
        headers["Retry-After"] = "1"
    return JSONResponse(error_body(error, "top"), 429, headers=headers)


def _records_in(body: Any) -> int:
    """How many records a request carries (batch items, composite subrequests), for the per-record latency."""
    return len(body) if isinstance(body, list) and body else 1


def _parsed(raw: bytes) -> tuple[Any, RestError | None]:
    """The JSON body, or the 400 to answer once the caller is authenticated."""
    try:
        return parse_body(raw), None
    except RestError as error:
        return None, error


class _InFlight:
    """Idempotency keys whose first request is still running (reference §6: 'the first gets the lock')."""

    def __init__(self) -> None:
        self._keys: set[tuple[str, str]] = set()

    @contextlib.contextmanager
    def hold(self, owner: str, key: str | None, config: EmulatorConfig) -> Iterator[None]:
        if key is None:
            yield
            return
        if (owner, key) in self._keys:
            raise RestError(config.rest_in_flight_status, "conflict",
                            f"Idempotency-Key {key} is in use by a request that has not finished; retry later")
        self._keys.add((owner, key))
        try:
            yield
        finally:
            self._keys.discard((owner, key))


class RestEndpoint:
    """Raw ASGI endpoint for every API path, so the drop fault can leave a response unfinished."""

    def __init__(self, state: Any, error_page: ErrorPage) -> None:
        self.state = state
        self.error_page = error_page
        self.in_flight = _InFlight()
        self._token_company: dict[str, str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.answer(Request(scope, receive))
        if response is None:
            log.info("fault drop_after_commit: closing the connection without a complete response")
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")]})
            return
        await response(scope, receive, send)

    async def _company(self, authorization: str | None) -> str | None:
        token_digest = digest((authorization or "").partition(" ")[2].strip())
        if token_digest not in self._token_company:
            company = await self.state.in_db(tokens.company_of_token, authorization)
            if company is None:
                return None
            if len(self._token_company) >= 10_000:
                del self._token_company[next(iter(self._token_company))]
            self._token_company[token_digest] = company
        return self._token_company[token_digest]

    async def answer(self, request: Request) -> Response | None:
        state, config = self.state, self.state.config
        try:
            raw = await request.body()
        except ClientDisconnect:
            return Response(status_code=400)
        if len(raw) > config.max_body_bytes:
            await state.count(None, requests=1, control_failures=1)
            return _json(413, error_body(RestError(413, "invalidRequest", "The payload is too large"),
                                         config.rest_error_form))
        fault = state.faults.draw()
        if fault in faults.BEFORE_PROCESSING:
            await state.count(None, requests=1, faults_injected=1)
            if fault == "rate429":
                return _rate_limited("", config.concurrency, config)
            return self.error_page(fault)
        authorization = request.headers.get("authorization")
        company_id = await self._company(authorization)
        key = request.headers.get("idempotency-key") if request.method in ("POST", "PATCH") else None
        body, malformed = _parsed(raw)
        try:
            with state.gate.slot(company_id, config.concurrency) if company_id else contextlib.nullcontext():
                with self.in_flight.hold(f"{company_id}:{digest(authorization or '')}", key, config):
                    delay_ms = (config.latency_ms + config.per_function_ms * _records_in(body)
                                + state.faults.spec.latency_ms)
                    answer = await respond_within(delay_ms, lambda: anyio.to_thread.run_sync(
                        self._process, request, raw, body, malformed, fault, config))
        except ConcurrencyExceeded as exceeded:
            await state.count(exceeded.company_id, requests=1, control_failures=1, concurrency_violations=1)
            return _rate_limited(exceeded.company_id, exceeded.limit, config)
        except RestError as error:
            await state.count(company_id, requests=1, control_failures=1)
            return _json(error.status, error_body(error, config.rest_error_form))
        if fault == "drop_after_commit":
            return None
        if fault in faults.AFTER_COMMIT:
            return self.error_page(fault)
        return _json(answer.status, answer.body, answer.headers)

    def _process(self, request: Request, raw: bytes, body: Any, malformed: RestError | None, fault: str | None,
                 config: EmulatorConfig) -> Answer:
        """Authenticate, pick the entity, run the call and bill it, in one backend transaction."""
        backend = self.state.backend
        counts: Counter[str] = Counter(requests=1, faults_injected=int(fault is not None))
        now = datetime.now(UTC)
        authorization = request.headers.get("authorization")
        company_id = None
        with backend.transaction() as conn:
            try:
                if fault == "session_expiry":
                    tokens.drop_access_token(conn, authorization)
                caller = tokens.caller(backend, conn, now, authorization)
                company_id = caller.company_id
                if "xml" in request.headers.get("content-type", "").lower():
                    raise RestError(400, "GW-0014", "Invalid Content Type: send application/json")
                if malformed is not None:
                    raise malformed
                entity_id = self._entity(backend, conn, caller, request, config)
                ctx = CallContext(backend=backend, conn=conn, company_id=caller.company_id, user=caller.user,
                                  entity_id=entity_id, now=now, endpoint=str(request.url.replace(query="")))
                path = request.url.path[len(REST_BASE_PATH):]
                headers = {name.lower(): value for name, value in request.headers.items()}
                call = Call(request.method, path, body, raw, headers, dict(request.query_params))
                answer = Operations(ctx, config, counts).handle(call)
            except RestError as error:
                counts["authentication_failures" if error.status == 401 else "control_failures"] += 1
                company_id = company_id or tokens.company_of_token(conn, authorization)
                answer = Answer(error.status, error_body(error, config.rest_error_form), error=error)
            except Exception:  # the call's own savepoint has rolled its writes back
                log.exception("REST %s %s raised an unexpected error", request.method, request.url.path)
                error = RestError(500, "GW-0001", "Unable to process request")
                answer = Answer(500, error_body(error, config.rest_error_form), error=error)
            usage.add(conn, company_id, counts)
        return answer

    @staticmethod
    def _entity(backend: Any, conn: Any, caller: tokens.Caller, request: Request, config: EmulatorConfig) -> str | None:
        """The entity of the call: the exact header, else the token's. A near-miss header name is never the entity."""
        near_misses = [name for name in request.headers if name.lower() != ENTITY_HEADER
                       and "entity" in name.lower() and name.lower().startswith(("x-ia", "ia-", "x-"))]
        if near_misses and config.rest_entity_header_typos == "reject":
            raise RestError(400, "invalidRequest", f"Unknown header {near_misses[0]}: the entity header is"
                            " X-IA-API-Param-Entity")
        given = request.headers.get(ENTITY_HEADER)
        entity_id = caller.entity_id if given is None else (given.strip() or None)
        if entity_id and backend.entity(conn, caller.company_id, entity_id) is None:
            raise RestError(config.rest_bad_entity_status, "invalidEntity",
                            f"Entity {entity_id} does not exist in company {caller.company_id} or the user cannot"
                            " reach it; check X-IA-API-Param-Entity")
        if not caller.user.may_reach(entity_id):  # the user's entity access, as an XML login or getAPISession
            where = f"entity {entity_id}" if entity_id else "the top level"
            raise RestError(config.rest_bad_entity_status, "invalidEntity",
                            f"User {caller.user.user_id} does not have access to {where} of company"
                            f" {caller.company_id}; give the user access to it (Entity access) or use another entity")
        return entity_id


async def _form(request: Request) -> dict[str, str]:
    """The token request's fields, JSON or form-encoded (reference §1.2: both are seen); repeated names refused."""
    raw = await request.body()
    if not raw.strip():
        raise RestError(400, "GW-0035", "Missing body: the token request has no payload")
    if "json" in request.headers.get("content-type", "").lower():
        try:
            body = json.loads(raw)
        except ValueError:
            raise RestError(400, "GW-0032", "Invalid payload: not attribute-value JSON") from None
        if not isinstance(body, dict):
            raise RestError(400, "GW-0032", "Invalid payload: not attribute-value JSON")
        return {str(k): "" if v is None else str(v) for k, v in body.items()}
    fields = parse_qs(raw.decode(errors="replace"), keep_blank_values=True)
    for name, code in (("client_id", "GW-0038"), ("username", "GW-0039")):
        if len(fields.get(name, [])) > 1:
            raise RestError(400, code, f"Several {name} values")
    return {name: values[0] for name, values in fields.items()}


def _oauth_error(error: RestError) -> JSONResponse:
    return JSONResponse({"ia::error": error.error()}, error.status)


_AUTHORIZE_FORM = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sage Intacct - Sign in</title></head>
<body><h1>Sign in to authorize {client}</h1><form method="post">{hidden}
<label>Company ID <input name="company_id"></label><label>User ID <input name="user_id"></label>
<label>Password <input name="password" type="password"></label><label>Entity <input name="entity_id"></label>
<button type="submit">Allow</button></form></body></html>"""


def routes(state: Any, error_page: ErrorPage) -> list[Route]:
    """The OAuth 2.0 endpoints and the API endpoint, under /ia/api/v1."""

    async def token(request: Request) -> Response:
        try:
            form = await _form(request)
            answer = await state.in_db(lambda conn: tokens.token(state.backend, conn, state.config, datetime.now(UTC), form))
        except RestError as error:
            await state.count(None, authentication_failures=int(error.status == 401))
            return _oauth_error(error)
        return JSONResponse(answer, headers={"Cache-Control": "no-store"})

    async def authorize_page(request: Request) -> Response:
        params = dict(request.query_params)
        hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items())
        return HTMLResponse(_AUTHORIZE_FORM.format(client=escape(params.get("client_id", "")), hidden=hidden))

    async def authorize(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            location = await state.in_db(lambda conn: tokens.authorize(state.backend, conn, datetime.now(UTC), form))
        except RestError as error:
            return _oauth_error(error)
        return RedirectResponse(location, 302)

    async def revoke(request: Request) -> Response:
        try:
            return JSONResponse(await state.in_db(tokens.revoke, await _form(request)))
        except RestError as error:
            return _oauth_error(error)

    async def introspect(request: Request) -> Response:
        try:
            form = await _form(request)
        except RestError as error:
            return _oauth_error(error)
        return JSONResponse(await state.in_db(lambda conn: tokens.introspect(state.backend, conn, datetime.now(UTC), form)))

    base = REST_BASE_PATH
    return [
        Route(f"{base}/oauth2/token", token, methods=["POST"]),
        Route(f"{base}/oauth2/authorize", authorize_page, methods=["GET"]),
        Route(f"{base}/oauth2/authorize", authorize, methods=["POST"]),
        Route(f"{base}/oauth2/revoke", revoke, methods=["POST"]),
        Route(f"{base}/oauth2/introspect", introspect, methods=["POST"]),
        Route(base + "/{path:path}", RestEndpoint(state, error_page), methods=["GET", "POST", "PATCH", "DELETE"]),
    ]

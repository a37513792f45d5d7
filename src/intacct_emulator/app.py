"""The Starlette app: `POST /ia/xml/xmlgw.phtml` plus the `/_emulator/*` admin endpoints.

The event loop only reads bodies, draws faults, holds concurrency slots and
waits out the configured latency (the response time, processing included); every SQLite touch runs on a worker thread
(`anyio.to_thread`), so one slow request never stalls the others.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from intacct_emulator import admin, admin_records, errortexts, faults, rest, usage, wirestate
from intacct_emulator.config import GATEWAY_PATH, EmulatorConfig
from intacct_emulator.dispatch import FunctionSet
from intacct_emulator.envelope import ControlEcho, LoginAuth, SchemaError, parse_request
from intacct_emulator.faults import FaultInjector
from intacct_emulator.gateway import Exchange, Gateway
from intacct_emulator.latency import respond_within
from intacct_emulator.limits import CompanyGate, ConcurrencyExceeded
from intacct_emulator.responses import control_failure
from intacct_emulator.sessions import company_of
from intacct_emulator.xmlsafe import XmlRejected, parse_document

log = logging.getLogger("intacct_emulator.app")

XML_TYPE = "text/xml"


class BodyTooLarge(Exception):
    pass


class EmulatorState:
    """Everything one running emulator holds: config, backend, gate, faults."""

    #: Session IDs whose company is remembered; a long soak opens sessions without end, so the oldest are forgotten.
    SESSION_COMPANY_CACHE = 10_000

    def __init__(self, config: EmulatorConfig, backend: Any = None, functions: FunctionSet | None = None) -> None:
        if backend is None:
            from intacct_emulator.backend import Backend

            path = config.db
            if path != ":memory:":
                path = str(Path(path).expanduser())
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            backend = Backend.open(path, result_set_minutes=config.result_set_minutes)
        if config.seed:
            backend.seed(config.seed)
        with backend.transaction() as conn:
            wirestate.create_tables(conn)
            rest.create_tables(conn)
            if config.seed == "demo":
                rest.seed_demo_clients(conn)
        self.config = config
        self.backend = backend
        self.functions = functions or FunctionSet.load()
        self.known_functions = self.functions.known()
        self.gateway = Gateway(backend, self.functions)
        self.gate = CompanyGate()
        self.faults = FaultInjector(config.faults, config.fault_seed)
        self._session_company: dict[str, str] = {}

    def apply_config(self, config: EmulatorConfig) -> None:
        """Switch to `config`; requests already in flight finish under the old one."""
        self.config = config
        if hasattr(self.backend, "result_set_minutes"):
            self.backend.result_set_minutes = config.result_set_minutes

    def set_faults(self, spec: str, seed: int | None) -> None:
        self.faults = FaultInjector(spec, seed)
        self.config = self.config.with_changes(faults=spec, fault_seed=seed)

    async def in_db(self, work: Any, *args: Any) -> Any:
        """Run `work(conn, *args)` in one backend transaction on a worker thread."""

        def run() -> Any:
            with self.backend.transaction() as conn:
                return work(conn, *args)

        return await anyio.to_thread.run_sync(run)

    async def count(self, company_id: str | None, **counters: int) -> None:
        await self.in_db(usage.add, company_id, Counter(counters))

    async def company_of_session(self, sessionid: str) -> str | None:
        """Company behind a session ID (cached, boundedly: it never changes), to pick the concurrency slot."""
        if sessionid not in self._session_company:
            company = await self.in_db(company_of, sessionid)
            if company is None:
                return None
            if len(self._session_company) >= self.SESSION_COMPANY_CACHE:
                del self._session_company[next(iter(self._session_company))]  # dicts keep insertion order
            self._session_company[sessionid] = company
        return self._session_company[sessionid]


def _xml(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=XML_TYPE)


def _error_page(status: int, title: str) -> HTMLResponse:
    """A non-XML page (HTML5, unclosed void tags), as a proxy, CDN or maintenance screen would send."""
    page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{status} {title}</title></head>'
            f"<body><h1>{title}</h1><p>Please try again later.<br>Sage Intacct</p></body></html>")
    return HTMLResponse(page, status)


FAULT_PAGES = {
    "error500": (500, "Internal Server Error"),
    "error502": (502, "Bad Gateway"),
    "error503": (503, "Service Unavailable"),
    "html_error": (200, "The Service is Temporarily Off-line"),
    "error500_after_commit": (500, "Internal Server Error"),
    "timeout524": (524, "A timeout occurred"),
}


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


class GatewayEndpoint:
    """Raw ASGI endpoint, so the drop fault can leave a response unfinished."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.answer(Request(scope, receive))
        if response is None:
            # drop_after_commit: start a response and abandon it; uvicorn then closes
            # the connection, and the client never gets a complete answer.
            log.info("fault drop_after_commit: closing the connection without a complete response")
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", XML_TYPE.encode()), (b"content-length", b"1000")]})
            return
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response | None:
        """The response for one POST, or None to drop the connection."""
        state, config = self.state, self.state.config
        try:
            body = await _read_body(request, config.max_body_bytes)
        except BodyTooLarge:
            await state.count(None, requests=1, control_failures=1)
            return _xml(control_failure(ControlEcho(), [errortexts.body_too_large(config.max_body_bytes)]), 413)
        except ClientDisconnect:
            return Response(status_code=400)
        fault = state.faults.draw()
        if fault in faults.BEFORE_PROCESSING:
            await state.count(None, requests=1, faults_injected=1)
            return _before_processing_fault(fault, config)
        try:
            parsed = parse_request(parse_document(body), state.known_functions, config.max_functions)
        except (XmlRejected, SchemaError) as exc:
            await state.count(None, requests=1, control_failures=1)
            echo = exc.control if isinstance(exc, SchemaError) else ControlEcho()
            return _xml(control_failure(echo, [errortexts.schema_error(str(exc))]))
        exchange = Exchange(parsed, request.client.host if request.client else "", str(request.url.replace(query="")),
                            datetime.now(UTC), fault=fault)
        try:
            answer = await self._process(exchange, config)
        except ConcurrencyExceeded as exceeded:
            await state.count(exceeded.company_id, requests=1, control_failures=1, concurrency_violations=1)
            error = errortexts.rate_limited(exceeded.company_id, exceeded.limit)
            return _xml(control_failure(parsed.control.echo, [error]), 429)
        if fault == "drop_after_commit":
            return None
        if fault in faults.AFTER_COMMIT:
            return _error_page(*FAULT_PAGES[fault])
        return _xml(answer)

    async def _process(self, exchange: Exchange, config: EmulatorConfig) -> bytes:
        """Hold a concurrency slot of the request's company and run it on a worker thread, answering within the latency."""
        state, request = self.state, exchange.request
        company_id = (request.auth.companyid if isinstance(request.auth, LoginAuth)
                      else await state.company_of_session(request.auth.sessionid))
        with state.gate.slot(company_id, config.concurrency) if company_id else contextlib.nullcontext():
            delay_ms = config.latency_ms + config.per_function_ms * len(request.functions) + state.faults.spec.latency_ms
            return await respond_within(
                delay_ms, lambda: anyio.to_thread.run_sync(state.gateway.process, exchange, config))


def _before_processing_fault(fault: str, config: EmulatorConfig) -> Response:
    if fault == "rate429":
        return _xml(control_failure(ControlEcho(), [errortexts.rate_limited("", config.concurrency)]), 429)
    return _error_page(*FAULT_PAGES[fault])


def create_app(config: EmulatorConfig, backend: Any = None, functions: FunctionSet | None = None) -> Starlette:
    """Build the ASGI app; `backend`/`functions` default to the real ones (tests may inject fakes)."""
    state = EmulatorState(config, backend, functions)
    routes = [Route(GATEWAY_PATH, GatewayEndpoint(state), methods=["POST"]), *admin.routes(state),
              *admin_records.routes(state),
              *rest.routes(state, lambda fault: _error_page(*FAULT_PAGES[fault]))]
    app = Starlette(routes=routes)
    app.state.emulator = state
    return app

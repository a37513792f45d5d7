"""The web app: the console's pages at /, the REST API at /api/v1, static files at /static.

    from intacct_bridge.web.app import create_app
    app = create_app(database_url="sqlite:///bridge.db")   # or create_app(store=..., operator=...)

One process serves both on the same store and the same engines as the CLI. Runs
started from either proceed on the app's worker threads (`RunManager`), which are
shut down with the app, or on the workers when a broker is configured. `/healthz` and
`/metrics` are for the operator's monitoring (`operations`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from intacct_bridge.crypto import SecretBox
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_bridge.web.api import PREFIX, build_api
from intacct_bridge.web.audit_caller import AuditCallerMiddleware
from intacct_bridge.web.console import build_console
from intacct_bridge.web.runner import RunManager
from intacct_bridge.web.scheduler import Scheduler
from intacct_bridge.web.state import STATIC_DIR, TEMPLATES_DIR, AppState
from intacct_bridge.web.operations import build_operations
from intacct_bridge.workers.queue import RunQueue


CONSOLE_POLICY = ("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
                  "base-uri 'none'; object-src 'none'")


async def _security_headers(request: Request, call_next) -> Response:
    """No framing (clickjacking), no MIME sniffing, no referrer leaks; console pages only load our own files.

    Nothing but the static files may be kept by the browser (`no-store`): pages and API answers carry a
    workspace's data, and Back after signing out must not show them again.
    """
    response = await call_next(request)
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if not request.url.path.startswith(PREFIX):  # the Swagger UI page needs its inline start-up script
        response.headers.setdefault("Content-Security-Policy", CONSOLE_POLICY)
    return response


def create_app(*, store: Store | None = None, database_url: str | None = None,
               operator: OperatorSettings | None = None, client_options: dict[str, Any] | None = None,
               workers: int = 4, secure_cookies: bool = False, schedule: bool = False) -> FastAPI:
    """Build the app on `store` (or the store at `database_url`, or the operator's default store).

    `secure_cookies` marks the console's cookies Secure: set it when serving over HTTPS.
    `client_options` override Intacct client settings (timeouts, retries) for every run.
    `schedule` runs each workspace's nightly sync from this process (what `serve` does).
    """
    operator = operator or OperatorSettings()
    owns_store = store is None
    store = store or open_store(database_url or operator.resolved_database_url())
    queue = RunQueue(operator) if operator.broker_url else None
    runner = RunManager(store, operator, workers=workers, client_options=client_options, queue=queue)
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    state = AppState(store, operator, SecretBox.from_settings(operator), runner, templates, secure_cookies)

    scheduler = Scheduler(runner) if schedule else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        yield
        if scheduler is not None:
            scheduler.stop()
        runner.shutdown(wait=True)
        if owns_store:
            store.dispose()

    app = FastAPI(title="intacct-bridge", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.bridge = state
    app.middleware("http")(_security_headers)
    app.add_middleware(AuditCallerMiddleware, api_prefix=PREFIX)
    app.include_router(build_operations(store, queue))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(PREFIX, build_api(state), name="api")
    build_console(app, state)
    return app

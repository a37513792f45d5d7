"""The REST API under /api/v1: one FastAPI sub-application, one router per area.

Mounted by `intacct_bridge.web.app.create_app`; its OpenAPI document is served at
/api/v1/openapi.json and a Swagger UI page at /api/v1/docs from vendored assets
(no CDN).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from sqlalchemy import text

from intacct_bridge import __version__
from intacct_bridge.web.api import (
    admin,
    campaigns,
    connection,
    entities,
    error_queue,
    exports,
    import_templates,
    mapping,
    notifications,
    payables,
    pulled,
    receivables,
    reconcile,
    records,
    runs,
    summaries,
    workspaces,
)
from intacct_bridge.web.api.deps import State
from intacct_bridge.web.api.errors import install_error_handlers
from intacct_bridge.web.state import API_PREFIX, AppState

PREFIX = API_PREFIX
DESCRIPTION = """Sync an organization's transactions into Sage Intacct.

Every endpoint but `/health` needs an API token as `Authorization: Bearer <token>`:
a workspace token (`intacct-bridge token create --workspace W`) sees only its workspace;
an admin token (`--admin`) manages workspaces. Amounts are decimal text ("125.00").
Lists are paged by cursor: pass `next_cursor` back as `cursor`.
"""


def build_api(state: AppState) -> FastAPI:
    api = FastAPI(title="intacct-bridge", version=__version__, description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None)
    api.state.bridge = state
    install_error_handlers(api)
    for module in (workspaces, connection, records, campaigns, receivables, payables, runs, pulled, error_queue,
                   notifications, reconcile, entities, summaries, exports, admin, mapping, import_templates):
        api.include_router(module.router)

    @api.get("/health", tags=["health"], summary="Liveness and store reachability (no token needed)")
    def health(state: State) -> dict[str, str]:
        with state.store.session() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    @api.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{PREFIX}/openapi.json", title="intacct-bridge API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    return api

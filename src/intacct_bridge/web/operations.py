"""`/healthz` and `/metrics`: what a load balancer and Prometheus ask of each `serve` process.

`/healthz` answers 200 when the store (and the broker's Redis, when configured) answer, 503
naming which does not. `/metrics` is Prometheus' text format (see `intacct_bridge.metrics`).
Neither needs signing in, and neither tells anything about a workspace's data or secrets.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from intacct_bridge.metrics import registry_for
from intacct_bridge.store.database import Store
from intacct_bridge.workers.queue import RunQueue


def build_operations(store: Store, queue: RunQueue | None) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    registry = registry_for(store, queue.depth if queue is not None else None)

    @router.get("/healthz")
    def healthz() -> JSONResponse:
        checks = {"store": _check(lambda: _ping_store(store))}
        if queue is not None:
            checks["broker"] = _check(queue.broker.client.ping)
        healthy = all(value == "ok" for value in checks.values())
        return JSONResponse({"status": "ok" if healthy else "unavailable", **checks},
                            status_code=200 if healthy else 503)

    @router.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


def _ping_store(store: Store) -> None:
    with store.session() as session:
        session.execute(text("SELECT 1"))


def _check(probe) -> str:
    """'ok', or the failure's class name (never its text: it may carry a connection URL)."""
    try:
        probe()
    except Exception as error:
        return f"failing: {type(error).__name__}"
    return "ok"

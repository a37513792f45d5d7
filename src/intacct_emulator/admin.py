"""`/_emulator/*` admin endpoints (ARCHITECTURE.md §1.3), JSON in and out.

Not part of Intacct: they let tests and benchmarks reconfigure a running
emulator, read its usage counters and look at the ledger directly.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from intacct_emulator import sessions, usage
from intacct_emulator.config import RUNTIME_FIELDS

if TYPE_CHECKING:
    from intacct_emulator.app import EmulatorState


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        payload = await request.json()
    except ValueError:
        raise ValueError("the body must be a JSON object") from None
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    return payload


def routes(state: EmulatorState) -> list[Route]:
    async def get_config(request: Request) -> JSONResponse:
        return JSONResponse(state.config.runtime_view())

    async def set_config(request: Request) -> JSONResponse:
        try:
            changes = await _json_object(request)
            fixed = sorted(set(changes) - set(RUNTIME_FIELDS))
            if fixed:
                raise ValueError(f"not changeable at run time: {', '.join(fixed)}")
            state.apply_config(state.config.with_changes(**changes))
        except (ValueError, TypeError) as exc:
            return _bad(str(exc))
        return JSONResponse(state.config.runtime_view())

    async def set_faults(request: Request) -> JSONResponse:
        try:
            payload = await _json_object(request)
            seed = payload.get("seed")
            if seed is not None and not isinstance(seed, int):
                raise ValueError("seed must be an integer or null")
            state.set_faults(str(payload.get("spec", "")), seed)
        except ValueError as exc:
            return _bad(str(exc))
        return JSONResponse(state.config.runtime_view())

    async def get_usage(request: Request) -> JSONResponse:
        return JSONResponse(await state.in_db(usage.snapshot))

    async def reset_usage(request: Request) -> JSONResponse:
        await state.in_db(usage.reset)
        return JSONResponse({"reset": True})

    async def ledger(request: Request) -> JSONResponse:
        company, obj = request.query_params.get("company"), request.query_params.get("object")
        if not company or not obj:
            return _bad("query parameters company and object are required")
        entity = request.query_params.get("entity") or None
        records = await state.in_db(lambda conn: state.backend.records(conn, company, obj.upper(), entity))
        return JSONResponse(records)

    async def expire_sessions(request: Request) -> JSONResponse:
        return JSONResponse({"expired": await state.in_db(sessions.expire_all)})

    async def closed_through(request: Request) -> JSONResponse:
        try:
            payload = await _json_object(request)
            company, entity = payload["company"], payload.get("entity") or None
            through = dt.date.fromisoformat(payload["date"]) if payload.get("date") else None
        except (ValueError, KeyError, TypeError) as exc:
            return _bad(f"expected {{company, entity?, date: YYYY-MM-DD}}: {exc}")
        await state.in_db(lambda conn: state.backend.set_closed_through(conn, company, entity, through))
        return JSONResponse({"company": company, "entity": entity, "closed_through": through and through.isoformat()})

    return [
        Route("/_emulator/config", get_config, methods=["GET"]),
        Route("/_emulator/config", set_config, methods=["POST"]),
        Route("/_emulator/faults", set_faults, methods=["POST"]),
        Route("/_emulator/usage", get_usage, methods=["GET"]),
        Route("/_emulator/usage/reset", reset_usage, methods=["POST"]),
        Route("/_emulator/ledger", ledger, methods=["GET"]),
        Route("/_emulator/sessions/expire", expire_sessions, methods=["POST"]),
        Route("/_emulator/closed-through", closed_through, methods=["POST"]),
    ]

"""How the API answers errors: one JSON shape, never the submitted values, never a secret.

FastAPI's default 422 echoes each offending `input`, which for the connection would
be the password; here each problem is its location, the record index (for lists),
the field and the reason, and nothing the caller sent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from intacct_bridge.crypto import SecretKeyError
from intacct_bridge.domain.intake import RowError
from intacct_bridge.intacct.errors import IntacctError
from intacct_bridge.store.errors import Conflict, EndpointRefused, NotFound, RunLocked
from intacct_bridge.store.repositories.campaigns import UnknownCampaign
from intacct_bridge.store.repositories.intake import ImportRejected
from intacct_bridge.sync.context import NotConfigured
from intacct_bridge.sync.pull import PreflightError
from intacct_bridge.web.api.bulk import BulkRejected
from intacct_bridge.web import services  # the module, not its names: services imports this package's schemas
from intacct_bridge.web.runner import RunnerBusy

log = logging.getLogger(__name__)


# Pydantic's messages that name a Python class ("a valid dictionary or instance of ActionIn"), in words.
CLASS_FREE = {"model_type": "must be a JSON object with the record's fields",
              "model_attributes_type": "must be a JSON object with the record's fields",
              "dataclass_type": "must be a JSON object with the record's fields",
              "is_instance_of": "is not a value this field takes"}


def worded(message: str, kind: str) -> str:
    """A validation message as an API caller reads it: no Python class names, no "Value error, " prefix."""
    return CLASS_FREE.get(kind, message.removeprefix("Value error, "))


def problem(loc: Sequence[str | int], message: str, kind: str) -> dict[str, Any]:
    """One validation problem: where (`loc`), which record (`index`) and field, and why (in words)."""
    message = worded(message, kind)
    index = next((part for part in loc if isinstance(part, int)), None)
    after = list(loc)[list(loc).index(index) + 1:] if index is not None else list(loc)[1:]
    field = ".".join(str(p) for p in after) or None
    return {"loc": list(loc), "index": index, "field": field, "msg": message, "type": kind}


def row_problems(errors: Sequence[RowError], collection: str, more: int = 0) -> list[dict[str, Any]]:
    found = [{**problem(["body", collection, e.line, e.field], e.message, "invalid_record"),
              "external_id": e.external_id} for e in errors]
    if more:
        found.append(problem(["body", collection], f"and {more} more problems", "truncated"))
    return found


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [problem(e.get("loc", ()), e.get("msg", "invalid"), e.get("type", "value_error")) for e in exc.errors()]
    return JSONResponse({"detail": details}, status_code=422)


def _rejected(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ImportRejected)
    collection = getattr(exc, "collection", "actions")
    return JSONResponse({"detail": row_problems(exc.errors, collection, exc.more)}, status_code=422)


def _bulk_rejected(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BulkRejected)
    return JSONResponse({"detail": exc.details}, status_code=422)


def _status(code: int):
    def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=code)

    return handler


def _secret_key(request: Request, exc: Exception) -> JSONResponse:
    log.error("secret key problem: %s", exc)
    return JSONResponse({"detail": "the server cannot decrypt its stored secrets; the operator must fix "
                                   "INTACCT_BRIDGE_SECRET_KEY"}, status_code=503)


def _intacct(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IntacctError | PreflightError)
    return JSONResponse({"detail": services.explain(exc)}, status_code=409 if isinstance(exc, PreflightError) else 502)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ImportRejected, _rejected)
    app.add_exception_handler(BulkRejected, _bulk_rejected)
    app.add_exception_handler(NotFound, _status(404))
    app.add_exception_handler(Conflict, _status(409))
    app.add_exception_handler(EndpointRefused, _status(422))
    app.add_exception_handler(services.EndpointChangeForbidden, _status(403))
    app.add_exception_handler(UnknownCampaign, _status(422))
    app.add_exception_handler(RunLocked, _status(409))
    app.add_exception_handler(NotConfigured, _status(409))
    app.add_exception_handler(RunnerBusy, _status(503))
    app.add_exception_handler(SecretKeyError, _secret_key)
    app.add_exception_handler(IntacctError, _intacct)
    app.add_exception_handler(PreflightError, _intacct)

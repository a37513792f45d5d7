"""The JSON shapes of the REST wire (reference §2.3-2.5): `ia::result`, `ia::meta`, `ia::error`, `ia::status`.

`RestError` is how every layer below the endpoint refuses a request: it carries
the HTTP status and the `error` object; the endpoint renders it in the form the
`rest_error_form` knob picks (nested under `ia::result`, as the OpenAPI
`error-response` schema has it, or at the top level, as the guide's examples do).
"""

from __future__ import annotations

import secrets
from typing import Any


class RestError(Exception):
    """A refusal with its HTTP status and the `ia::error` object."""

    def __init__(self, status: int, code: str, message: str, *, error_id: str | None = None,
                 details: list[dict[str, Any]] | None = None, target: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.error_id = error_id
        self.details = details
        self.target = target
        self.headers = headers or {}

    def error(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.error_id:
            body["errorId"] = self.error_id
        if self.target:
            body["target"] = self.target
        if self.details:
            body["details"] = self.details
        body["supportId"] = support_id()
        return body


def support_id() -> str:
    """Opaque, shaped like the support ids in the reference's examples."""
    return secrets.token_urlsafe(18).replace("-", "%7E")


def meta(total: int, success: int | None = None, error: int | None = None) -> dict[str, int]:
    """`metadata`: totalCount, and the success/error split of a write."""
    body = {"totalCount": total}
    if success is not None:
        body.update(totalSuccess=success, totalError=error or 0)
    return body


def result(value: Any, meta_: dict[str, Any]) -> dict[str, Any]:
    return {"ia::result": value, "ia::meta": meta_}


def error_body(error: RestError, form: str) -> dict[str, Any]:
    """A whole error answer in the configured form."""
    if form == "top":
        return {"ia::error": error.error(), "ia::meta": meta(1, 0, 1)}
    return {"ia::result": {"ia::error": error.error()}, "ia::meta": meta(1, 0, 1)}


def item_error(error: RestError) -> dict[str, Any]:
    """One failed item of a batch or composite answer."""
    return {"ia::error": error.error(), "ia::status": error.status}


def reference(path: str, key: str, id_: str) -> dict[str, str]:
    """`object-reference`: what a create or update answers."""
    return {"key": key, "id": id_, "href": f"/objects/{path}/{key}"}


def bad_request(message: str, *, error_id: str | None = None, target: str | None = None) -> RestError:
    return RestError(400, "invalidRequest", message, error_id=error_id, target=target)


def not_found(path: str, key: str) -> RestError:
    return RestError(404, "notFound", f"The {path} with key {key} was not found")

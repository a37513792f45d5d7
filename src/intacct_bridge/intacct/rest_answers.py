"""REST answers (`ia::result`, `ia::meta`, `ia::error`) as the client's Results and its named error kinds.

The XML side reads `<errormessage>` blocks into the kinds of `errors.py`; this is the
same for JSON, so the review flow, the retry policy and the diagnosis see one set of
kinds whatever the wire: 401 → SessionInvalid (renew the token), 403 → PermissionDenied,
409 → DuplicateControlId (look it up), 422/400/404 → BusinessRuleError, 429 → RateLimited,
5xx → TransientServerError. The error may sit at the top level or under `ia::result`,
as an object or a list (reference §2.4): all are read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import (
    AppNotAuthorized,
    BadCredentials,
    BusinessRuleError,
    ClientRefused,
    DuplicateControlId,
    EntityUnreachable,
    ErrorContext,
    ErrorDetail,
    FunctionError,
    IntacctError,
    PermissionDenied,
    ProtocolError,
    RateLimited,
    RefreshTokenRefused,
    SchemaError,
    SessionInvalid,
    TransientServerError,
    WebServicesNotSubscribed,
)
from .transport import RawResponse

UNPROCESSED = "unprocessed"


def body_of(raw: RawResponse) -> Any:
    """The JSON of an answer, or None for an empty one. Anything else is the gateway failing, named as the XML
    side names it: an HTML page ("Temporarily Off-line", even with HTTP 200) or a 5xx is transient, a 429 is
    throttling, another 4xx an answer the client cannot read."""
    if not raw.content.strip():
        return None
    try:
        return json.loads(raw.content)
    except ValueError:
        pass
    title = re.search(rb"<title[^>]*>(.*?)</title>", raw.content, re.I | re.S)
    what = title.group(1).decode("utf-8", "replace").strip() if title else \
        f"a non-JSON answer ({raw.content_type or 'no content type'})"
    if raw.status_code == 429:
        return None
    if raw.status_code >= 500 or raw.status_code < 400:
        raise TransientServerError("http", description=what, http_status=raw.status_code)
    raise ProtocolError("http", description=what, http_status=raw.status_code)


def error_block(body: Any) -> dict[str, Any] | None:
    """The `ia::error` of an answer or item wherever it sits (top level, under `ia::result`, a list, `error`)."""
    if not isinstance(body, dict):
        return None
    found = body.get("ia::error")
    if found is None and isinstance(body.get("ia::result"), dict):
        found = body["ia::result"].get("ia::error")
    if found is None:
        found = body.get("error") if isinstance(body.get("error"), dict) else None
    if isinstance(found, list):
        found = found[0] if found else None
    return found if isinstance(found, dict) else None


def details_of(error: dict[str, Any] | None, status: int) -> list[ErrorDetail]:
    """The error as ErrorDetails (code as errorno, message as description), the root cause first.

    A 422 says "Operation create … failed" and puts the reason in `details` (BL codes): the first
    detail leads, with the operation and the Support ID as its second description, as on the XML side.
    """
    if error is None:
        return [ErrorDetail(f"HTTP {status}", f"HTTP {status} without an error body")]
    support = error.get("supportId")
    said = " ".join(p for p in (error.get("message"), f"[Support ID: {support}]" if support else None) if p) or None
    lead = ErrorDetail(str(error.get("code") or f"HTTP {status}"), error.get("message"),
                       f"[Support ID: {support}]" if support else None)
    more = [d for d in error.get("details") or [] if isinstance(d, dict) and d.get("message")]
    if not more:
        return [lead]
    first, *rest = more
    causes = [ErrorDetail(str(first.get("code") or lead.errorno), first.get("message"), said),
              *(ErrorDetail(str(d.get("code") or lead.errorno), d.get("message")) for d in rest)]
    return [*causes, lead]


def _text(errors: list[ErrorDetail]) -> str:
    return " ".join(e.text() for e in errors).lower()


def _sign_in_kind(errors: list[ErrorDetail]) -> type[IntacctError]:
    """Which sign-in problem a token-endpoint refusal is, from its words (GW-0011 covers several)."""
    text = _text(errors)
    if "sender" in text or "not authorized" in text:
        return AppNotAuthorized
    if "subscri" in text:
        return WebServicesNotSubscribed
    if "refresh token" in text or "authorization code" in text:
        return RefreshTokenRefused
    if "client secret" in text or "client id" in text or "client_id" in text:
        return ClientRefused
    if "entity" in text:
        return EntityUnreachable
    return BadCredentials


def token_error(status: int, body: Any, context: ErrorContext) -> IntacctError:
    """A refusal from `oauth2/token`: a sign-in kind with the gateway's words."""
    error = error_block(body)
    if error is None and isinstance(body, dict) and "error" in body:  # standard OAuth error fields
        error = {"code": body.get("error"), "message": body.get("error_description")}
    errors = details_of(error, status)
    if status == 429:
        return RateLimited("authentication", errors[0].errorno, errors[0].description, errors=errors,
                           http_status=status, context=context)
    if status >= 500:
        return TransientServerError("authentication", errors[0].errorno, errors[0].description, errors=errors,
                                    http_status=status, context=context)
    kind = _sign_in_kind(errors)
    return kind("authentication", errors[0].errorno, errors[0].description, errors[0].description2,
                errors=errors, http_status=status, context=context)


def request_error(raw: RawResponse, body: Any, context: ErrorContext) -> IntacctError:
    """What a whole request's failure status means (nothing in it ran, except after a 5xx)."""
    status = raw.status_code
    errors = details_of(error_block(body), status)
    lead = errors[0]
    args = ("control", lead.errorno, lead.description, lead.description2)
    kwargs: dict[str, Any] = dict(errors=errors, http_status=status, context=context)
    if status == 401 or (status == 400 and "token" in _text(errors)):
        error: IntacctError = SessionInvalid(*args, **kwargs)
    elif status == 429:
        error = RateLimited(*args, **kwargs)
    elif status >= 500:
        error = TransientServerError(*args, **kwargs)
    elif status in (400, 403, 404) and (lead.errorno == "invalidEntity" or "x-ia-api-param-entity" in _text(errors)):
        error = EntityUnreachable(*args, **kwargs)
    elif status == 403:
        error = PermissionDenied("result", lead.errorno, lead.description, lead.description2, **kwargs)
    elif status == 409:
        error = DuplicateControlId("result", lead.errorno, lead.description, lead.description2, **kwargs)
    else:
        error = SchemaError(*args, **kwargs)
    error.retry_after = raw.retry_after
    return error


def item_error(status: int, error: dict[str, Any] | None, context: ErrorContext, *, controlid: str,
               function: str) -> FunctionError:
    """One record's refusal (a batch item, or a single write's answer) as its FunctionError."""
    errors = details_of(error, status)
    lead = errors[0]
    kind: type[FunctionError] = BusinessRuleError
    transient = None
    if status == 403:
        kind = PermissionDenied
    elif status == 409:
        kind = DuplicateControlId
    elif lead.errorno == UNPROCESSED:
        kind, transient = FunctionError, True   # skipped, not refused: safe to send again
    elif status == 429 or status >= 500:
        transient = True
    return kind("result", lead.errorno, lead.description, lead.description2, transient, errors=errors,
                http_status=status, context=context, controlid=controlid, function=function)

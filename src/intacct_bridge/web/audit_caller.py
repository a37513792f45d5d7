"""Who is calling, for the audit log: the console's session cookie or the API's bearer token, per request.

A pure ASGI middleware that only keeps digests of what the request presents (no database
work); `store.repositories.audit.record` resolves them to a user or token name when a change
is written, so reading pages costs nothing extra.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from intacct_bridge.store.repositories.audit import Caller, calling_as
from intacct_bridge.web.access import digest
from intacct_bridge.web.console.session import SESSION_COOKIE


def caller_of(path: str, headers: dict[str, str], api_prefix: str) -> Caller:
    if path.startswith(api_prefix):
        scheme, _, credential = headers.get("authorization", "").partition(" ")
        token = credential.strip() if scheme.lower() == "bearer" else ""
        return Caller("api", "anonymous", token_digest=digest(token) if token else None)
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header: nobody known (the page will ask to sign in)
        return Caller("console", "anonymous")
    morsel = cookie.get(SESSION_COOKIE)
    return Caller("console", "anonymous", session_digest=digest(morsel.value) if morsel and morsel.value else None)


class AuditCallerMiddleware:
    def __init__(self, app: Any, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        with calling_as(caller_of(scope.get("path", ""), headers, self.api_prefix)):
            await self.app(scope, receive, send)

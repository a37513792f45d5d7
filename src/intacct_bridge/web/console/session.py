"""Console sign-in state and CSRF protection, as FastAPI dependencies.

The session cookie is HttpOnly and SameSite=Lax and carries only a random id. Every
state-changing request must also carry the session's CSRF token, in the form field
`csrf_token` or (for htmx requests) the `X-CSRF-Token` header. The login form,
which has no session yet, uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, Response

from intacct_bridge.web.access import SESSION_LIFETIME, SignedIn, find_session
from intacct_bridge.web.state import AppState, get_state

SESSION_COOKIE = "ib_session"
LOGIN_CSRF_COOKIE = "ib_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """Raised by `signed_in` for a visitor without a valid session; the console redirects to /login."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def login_url(next_path: str) -> str:
    return f"/login?next={quote(next_path, safe='/')}"


def signed_in(request: Request, state: Annotated[AppState, Depends(get_state)]) -> SignedIn:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    found = None
    if cookie:
        with state.store.session() as session:
            found = find_session(session, cookie)
    if found is None:
        raise LoginRequired(request.url.path)
    return found


User = Annotated[SignedIn, Depends(signed_in)]


async def _submitted_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def csrf_checked(request: Request, user: User) -> SignedIn:
    """The signed-in user, once the request proved it comes from one of our pages."""
    if not hmac.compare_digest(await _submitted_token(request), user.csrf_token):
        raise HTTPException(403, "the form expired or did not come from this console: reload the page and retry")
    return user


Editor = Annotated[SignedIn, Depends(csrf_checked)]


def set_cookie(response: Response, state: AppState, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", secure=state.secure_cookies,
                        path="/")


def set_session_cookie(response: Response, state: AppState, value: str) -> None:
    set_cookie(response, state, SESSION_COOKIE, value, int(SESSION_LIFETIME.total_seconds()))


def login_csrf(request: Request) -> str:
    """The login form's token: the cookie's if present, else a new one (set it with `set_cookie`)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


async def login_csrf_ok(request: Request) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(await _submitted_token(request), cookie)

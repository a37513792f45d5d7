"""The HTML console: server-rendered Jinja2 pages with htmx (vendored, no build step), one router per page.

Anyone not signed in is sent to /login; errors on console pages render as pages,
not JSON. Every form carries the session's CSRF token.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from intacct_bridge.store.errors import NotFound
from intacct_bridge.web.console import (
    actions_page,
    admin_page,
    auth,
    campaigns_page,
    dashboard,
    entities_page,
    errors_page,
    intacct_connect,
    mapping_page,
    receivables_pages,
    receivables_settings_page,
    reconcile_page,
    summaries_page,
    runs_page,
    settings_page,
)
from intacct_bridge.web.console.render import current_workspace, field_label, install_filters, page, redirect
from intacct_bridge.web.console.session import LoginRequired, login_url, signed_in
from intacct_bridge.web.state import AppState, get_state


def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": login_url(exc.next_path)})
    return redirect(login_url(exc.next_path))


def _error_page(request: Request, status_code: int, message: str) -> Response:
    """An error as a page that keeps the console's navigation (the workspace's, when the URL names one the
    signed-in user can see), so the user is never left on a dead end."""
    state = get_state(request)
    try:
        user = signed_in(request, state)
    except LoginRequired:
        user = None
    workspace = None
    parts = request.url.path.split("/")
    if user is not None and len(parts) > 2 and parts[1] == "w":
        try:
            workspace = current_workspace(parts[2], state)
        except StarletteHTTPException:
            workspace = None
    return page(request, "console/error.html", user=user, workspace=workspace, status_code=status_code,
                code=status_code, message=message)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "That request could not be handled."
    return _error_page(request, exc.status_code, detail)


def _not_found(request: Request, exc: Exception) -> Response:
    return _error_page(request, 404, str(exc))


def _invalid_form(request: Request, exc: Exception) -> Response:
    """A field the form should have prevented: name it and say why, never echo the value (it may be a password)."""
    assert isinstance(exc, RequestValidationError)
    problems = [f"{field_label('.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request')}: "
                f"{e.get('msg', 'invalid')}" for e in exc.errors()]
    return _error_page(request, 422, "Please correct the form and send it again. " + "; ".join(problems))


def build_console(app: FastAPI, state: AppState) -> None:
    install_filters(state)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(RequestValidationError, _invalid_form)
    for module in (auth, dashboard, settings_page, intacct_connect, receivables_settings_page, actions_page,
                   receivables_pages, runs_page, errors_page, reconcile_page, entities_page, summaries_page,
                   admin_page, mapping_page, campaigns_page):
        app.include_router(module.router)

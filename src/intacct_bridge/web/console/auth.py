"""Signing in and out, and the list of workspaces (with a form to create one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.repositories.workspaces import create_workspace
from intacct_bridge.web.access import close_session, open_session, verify_user
from intacct_bridge.web.console.render import State, all_workspaces, page, redirect, same_site_path
from intacct_bridge.web.console.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Editor,
    User,
    login_csrf,
    login_csrf_ok,
    set_cookie,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)


def _login_page(request: Request, state, next_path: str, error: str | None = None, status_code: int = 200,
                username: str = ""):
    """The sign-in form; after a failure it keeps the user name typed (never the password)."""
    token = login_csrf(request)
    response = page(request, "console/login.html", user=None, login_token=token, next_path=next_path, error=error,
                    status_code=status_code, username=username)
    set_cookie(response, state, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, state: State, next: str = "/") -> Response:
    return _login_page(request, state, same_site_path(next))


@router.post("/login")
async def login(request: Request, state: State, username: Annotated[str, Form(max_length=150)],
                password: Annotated[str, Form(max_length=1000)], next: Annotated[str, Form()] = "/") -> Response:
    if not await login_csrf_ok(request):
        return _login_page(request, state, same_site_path(next), "The form expired: please sign in again.", 403,
                           username)
    with state.store.write_session() as session:
        user = verify_user(session, username, password)
        cookie = open_session(session, user) if user else None
    if cookie is None:
        return _login_page(request, state, same_site_path(next), "Wrong user name or password.", 401, username)
    response = redirect(same_site_path(next))
    set_session_cookie(response, state, cookie)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, state: State, user: Editor) -> Response:
    with state.store.write_session() as session:
        close_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def index(request: Request, state: State, user: User) -> Response:
    workspaces = all_workspaces(state)
    if len(workspaces) == 1:
        return redirect(workspaces[0].base)
    return page(request, "console/index.html", user=user, workspaces=workspaces)


@router.get("/workspaces", response_class=HTMLResponse)
def workspaces_page(request: Request, state: State, user: User) -> Response:
    """Every workspace, to switch to another or create one (`/` goes straight to the only one)."""
    return page(request, "console/index.html", user=user, workspaces=all_workspaces(state), nav="workspaces")


@router.post("/workspaces")
def new_workspace(request: Request, state: State, user: Editor,
                  name: Annotated[str, Form(max_length=200)]) -> Response:
    try:
        with state.store.write_session() as session:
            slug = create_workspace(session, name).slug
    except StoreError as error:
        return page(request, "console/index.html", user=user, workspaces=all_workspaces(state), error=str(error),
                    status_code=409)
    return redirect(f"/w/{slug}/settings")

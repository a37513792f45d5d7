"""Administration in the console: console users (list, create, disable), API tokens (create, shown once; revoke)
and the audit log with filters. Every change goes through the same functions as the CLI and the API
(`web.access`), which write the audit entries.

Console users administer the whole deployment (every workspace), so these pages sit outside
any workspace, under /admin. A newly created token's text is rendered once, in the answer to the
POST that created it (never in a redirect's URL, never stored).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.models import ApiToken, ConsoleUser, Workspace
from intacct_bridge.store.repositories.audit import VIAS, AuditFilter, actions_seen, count_entries, list_entries
from intacct_bridge.store.repositories.actions import day_range
from intacct_bridge.web.access import create_token, create_user, disable_user, revoke_token
from intacct_bridge.web.console.render import State, all_workspaces, page, redirect
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.list_params import PAGE_SIZES, Paging

router = APIRouter(prefix="/admin", include_in_schema=False)
NOTICES = {"user-created": "User created: they can sign in now.", "user-disabled": "User disabled: signed out "
           "everywhere, and they cannot sign in until a new password is set (`intacct-bridge user set-password`).",
           "token-revoked": "Token revoked: requests carrying it are refused from now on."}
Id = Annotated[int, Path(ge=1, le=2**31)]


def _users_page(request: Request, state, user, *, error: str | None = None, typed: str = "",
                status_code: int = 200, notice: str | None = None) -> Response:
    with state.store.session() as session:
        users = session.scalars(select(ConsoleUser).order_by(ConsoleUser.username)).all()
    return page(request, "console/admin_users.html", user=user, nav="admin-users", users=users, error=error,
                typed=typed, status_code=status_code, notice=notice)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, state: State, user: User, done: str | None = None) -> Response:
    return _users_page(request, state, user, notice=NOTICES.get(done or ""))


@router.post("/users")
def new_user(request: Request, state: State, user: Editor, username: Annotated[str, Form(max_length=150)],
             password: Annotated[str, Form(max_length=1000)]) -> Response:
    try:
        with state.store.write_session() as session:
            create_user(session, username, password)
    except StoreError as error:
        return _users_page(request, state, user, error=str(error), typed=username, status_code=409)
    return redirect("/admin/users?done=user-created")


@router.post("/users/{user_id}/disable")
def disable(request: Request, state: State, user: Editor, user_id: Id) -> Response:
    try:
        with state.store.write_session() as session:
            found = session.get(ConsoleUser, user_id)
            if found is None:
                return _users_page(request, state, user, error="That user no longer exists.", status_code=404)
            disable_user(session, found.username, acting_user_id=user.user_id)
    except StoreError as error:
        return _users_page(request, state, user, error=str(error), status_code=409)
    return redirect("/admin/users?done=user-disabled")


def _tokens_page(request: Request, state, user, *, created: tuple[str, str] | None = None,
                 error: str | None = None, status_code: int = 200, notice: str | None = None) -> Response:
    with state.store.session() as session:
        tokens = session.execute(select(ApiToken, Workspace.slug).outerjoin(Workspace, Workspace.id ==
                                                                            ApiToken.workspace_id)
                                 .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())).all()
    return page(request, "console/admin_tokens.html", user=user, nav="admin-tokens", tokens=tokens,
                workspaces=all_workspaces(state), created=created, error=error, status_code=status_code,
                notice=notice)


@router.get("/tokens", response_class=HTMLResponse)
def tokens(request: Request, state: State, user: User, done: str | None = None) -> Response:
    return _tokens_page(request, state, user, notice=NOTICES.get(done or ""))


@router.post("/tokens", response_class=HTMLResponse)
def new_token(request: Request, state: State, user: Editor, name: Annotated[str, Form(max_length=200)] = "",
              scope: Annotated[str, Form(max_length=100)] = "") -> Response:
    """The token is shown in this answer only: copy it now."""
    with state.store.write_session() as session:
        workspace = None
        if scope != "admin":
            workspace = session.scalar(select(Workspace).where(Workspace.slug == scope))
            if workspace is None:
                return _tokens_page(request, state, user, error="Choose a workspace, or Admin for a token that "
                                                                "manages every workspace.", status_code=422)
        plaintext, row = create_token(session, workspace.id if workspace else None, name)
        label = f"{row.name} ({workspace.slug if workspace else 'admin'})"
    response = _tokens_page(request, state, user, created=(label, plaintext), status_code=201)
    return response


@router.post("/tokens/{token_id}/revoke")
def revoke(request: Request, state: State, user: Editor, token_id: Id) -> Response:
    with state.store.write_session() as session:
        row = session.get(ApiToken, token_id)
        if row is None or not revoke_token(session, token_id, row.workspace_id):
            return _tokens_page(request, state, user, error=f"Token {token_id} is not active (already revoked?).",
                                status_code=404)
    return redirect("/admin/tokens?done=token-revoked")


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, state: State, user: User,
          workspace: Annotated[str, Query(max_length=100)] = "",
          actor: Annotated[str, Query(max_length=200)] = "",
          action: Annotated[str, Query(max_length=64)] = "",
          via: Annotated[str, Query(pattern="^(|" + "|".join(VIAS) + ")$")] = "",
          date_from: Annotated[date | None, Query(alias="from")] = None,
          date_to: Annotated[date | None, Query(alias="to")] = None,
          size: Annotated[int, Query(ge=1, le=1000)] = 50,
          page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> Response:
    from datetime import UTC

    paging = Paging("id", "desc", size, page_number)
    workspaces = all_workspaces(state)
    chosen = next((w for w in workspaces if w.slug == workspace), None)
    since, until = day_range(UTC, date_from, date_to)
    f = AuditFilter(chosen.id if chosen else None, actor or None, action or None, via or None, since, until)
    with state.store.session() as session:
        entries = list_entries(session, f, limit=paging.size, offset=paging.offset)
        total = count_entries(session, f)
        kinds = actions_seen(session)
    params = {k: v for k, v in {"workspace": workspace, "actor": actor, "action": action, "via": via,
                                "from": date_from.isoformat() if date_from else "",
                                "to": date_to.isoformat() if date_to else "", "size": str(size)}.items() if v}
    names = {w.id: w for w in workspaces}
    return page(request, "console/audit.html", user=user, nav="admin-audit", entries=entries, names=names,
                workspaces=workspaces, kinds=kinds, vias=VIAS, paging=paging, window=paging.window(total, len(entries)),
                sizes=PAGE_SIZES, params=params, chosen={"workspace": workspace, "actor": actor, "action": action,
                                                         "via": via, "from": date_from, "to": date_to})

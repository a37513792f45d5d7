"""Administration over the API: the audit log (a workspace's, or every one for an admin token), console users
(list, create, disable) and the list of API tokens (admin tokens only; minting and revoking are in
`workspaces`, plus admin tokens here)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response
from pydantic import BaseModel, Field, SecretStr
from sqlalchemy import select

from intacct_bridge.store.models import ApiToken, ConsoleUser, Workspace
from intacct_bridge.store.repositories.audit import VIAS, AuditFilter, count_entries, list_entries
from intacct_bridge.web.access import create_token, create_user, disable_user, revoke_token
from intacct_bridge.web.api.deps import Admin, PathId, ReadSession, WorkspaceId, WriteSession
from intacct_bridge.web.api.schemas_workspace import TokenCreated, TokenIn

router = APIRouter(tags=["administration"])


class AuditOut(BaseModel):
    id: int
    at: datetime
    workspace_id: int | None
    actor: str
    via: str
    action: str
    target: str | None
    detail: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditOut]
    total: int
    offset: int


class UserOut(BaseModel):
    id: int
    username: str
    created_at: datetime
    last_login_at: datetime | None
    disabled_at: datetime | None


class UserIn(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=150)]
    password: Annotated[SecretStr, Field(min_length=1, max_length=1000)]


class TokenOut(BaseModel):
    id: int
    name: str
    scope: str
    starts_with: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


Via = Annotated[str | None, Query(pattern="^(" + "|".join(VIAS) + ")$")]


def _audit_page(session, f: AuditFilter, limit: int, offset: int) -> AuditPage:
    rows = list_entries(session, f, limit=limit, offset=offset)
    return AuditPage(items=[AuditOut.model_validate(r, from_attributes=True) for r in rows],
                     total=count_entries(session, f), offset=offset)


Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/workspaces/{workspace}/audit", summary="The workspace's audit log, newest first")
def workspace_audit(workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100, offset: Offset = 0,
                    actor: Text = None, action: Text = None, via: Via = None, since: datetime | None = None,
                    until: datetime | None = None) -> AuditPage:
    return _audit_page(session, AuditFilter(workspace_id, actor, action, via, since, until), limit, offset)


@router.get("/audit", summary="Every audit entry (users, tokens and every workspace's), newest first (admin)")
def audit(_: Admin, session: ReadSession, limit: Limit = 100, offset: Offset = 0, actor: Text = None,
          action: Text = None, via: Via = None, since: datetime | None = None,
          until: datetime | None = None) -> AuditPage:
    return _audit_page(session, AuditFilter(None, actor, action, via, since, until), limit, offset)


@router.get("/users", summary="Console users (admin)")
def users(_: Admin, session: ReadSession) -> list[UserOut]:
    return [UserOut.model_validate(u, from_attributes=True)
            for u in session.scalars(select(ConsoleUser).order_by(ConsoleUser.username))]


@router.post("/users", status_code=201, summary="Create a console user (admin)")
def new_user(body: UserIn, _: Admin, session: WriteSession) -> UserOut:
    return UserOut.model_validate(create_user(session, body.username, body.password.get_secret_value()),
                                  from_attributes=True)


@router.post("/users/{username}/disable", summary="Disable a console user: no sign-in, sessions ended (admin)")
def disable(username: Annotated[str, Path(max_length=150)], _: Admin, session: WriteSession) -> UserOut:
    user = disable_user(session, username)
    if user is None:
        raise HTTPException(404, f"no console user {username!r}")
    return UserOut.model_validate(user, from_attributes=True)


@router.get("/tokens", summary="Every API token (first characters only), with its scope and last use (admin)")
def tokens(_: Admin, session: ReadSession) -> list[TokenOut]:
    rows = session.execute(select(ApiToken, Workspace.slug).outerjoin(Workspace, Workspace.id == ApiToken.workspace_id)
                           .order_by(ApiToken.id))
    return [TokenOut(id=t.id, name=t.name, scope=slug or "admin", starts_with=t.prefix, created_at=t.created_at,
                     last_used_at=t.last_used_at, revoked_at=t.revoked_at) for t, slug in rows]


@router.post("/tokens", status_code=201, summary="Mint an admin token (admin); shown once")
def admin_token(body: TokenIn, _: Admin, session: WriteSession) -> TokenCreated:
    plaintext, row = create_token(session, None, body.name)
    return TokenCreated(id=row.id, name=row.name, workspace=None, token=plaintext)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke an admin token (admin)")
def revoke_admin_token(token_id: PathId, _: Admin, session: WriteSession) -> Response:
    if not revoke_token(session, token_id, None):
        raise HTTPException(404, f"no active admin token {token_id}")
    return Response(status_code=204)

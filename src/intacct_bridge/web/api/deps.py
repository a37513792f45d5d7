"""Dependencies of the API routes: the caller's token, the workspace it may see, and store sessions.

A workspace that does not exist and one the token may not see get the same 404, so
a token cannot learn which other workspaces exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.store.models import ApiToken, Workspace, utcnow
from intacct_bridge.web.access import Principal, authenticate_token
from intacct_bridge.web.state import AppState, get_state

_bearer = HTTPBearer(auto_error=False, description="An API token from `intacct-bridge token create`.")
_SMALL_ID = re.compile(r"^\d{1,9}$")

State = Annotated[AppState, Depends(get_state)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def principal(state: State,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    """The token's principal; 401 without a valid bearer token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("send an API token as `Authorization: Bearer <token>`")
    with state.store.session() as session:
        found = authenticate_token(session, credentials.credentials)
    if found is None:
        raise _unauthorized("this API token is not valid (unknown or revoked)")
    if found.stale:
        with state.store.write_session() as session:
            token = session.get(ApiToken, found.principal.token_id)
            if token is not None:
                token.last_used_at = utcnow()
    return found.principal


Caller = Annotated[Principal, Depends(principal)]


def admin(caller: Caller) -> Principal:
    if not caller.is_admin:
        raise HTTPException(403, "this needs an admin token (`intacct-bridge token create --admin`)")
    return caller


Admin = Annotated[Principal, Depends(admin)]


def find_workspace(session: Session, ref: str) -> Workspace | None:
    """By slug, or by id when `ref` is a plain number."""
    query = select(Workspace).where(Workspace.slug == ref.lower())
    if _SMALL_ID.match(ref):
        query = select(Workspace).where((Workspace.slug == ref) | (Workspace.id == int(ref)))
    return session.scalars(query.order_by(Workspace.id)).first()


def workspace_id(state: State, caller: Caller,
                 workspace: Annotated[str, Path(min_length=1, max_length=100, description="Slug or id.")]) -> int:
    """The id of the workspace in the path, if the caller may see it; 404 otherwise."""
    with state.store.session() as session:
        found = find_workspace(session, workspace)
    if found is None or not caller.may_see(found.id):
        raise HTTPException(404, f"no workspace {workspace!r}")
    return found.id


WorkspaceId = Annotated[int, Depends(workspace_id)]
PathId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def read_session(state: State) -> Iterator[Session]:
    """A unit of work for reading; it ends when the route returns, before the response is sent."""
    with state.store.session() as session:
        yield session


def write_session(state: State) -> Iterator[Session]:
    """A unit of work that writes: committed when the route returns, rolled back if it raises."""
    with state.store.write_session() as session:
        yield session


ReadSession = Annotated[Session, Depends(read_session, scope="function")]
WriteSession = Annotated[Session, Depends(write_session, scope="function")]

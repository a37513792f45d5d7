"""Workspaces and their API tokens. Creating, deleting and minting tokens needs an admin token."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy import select

from intacct_bridge.store.models import Workspace
from intacct_bridge.store.repositories.workspaces import create_workspace, list_workspaces
from intacct_bridge.web.access import create_token, revoke_token
from intacct_bridge.web.api.convert import workspace_out
from intacct_bridge.web.api.deps import Admin, Caller, PathId, ReadSession, WorkspaceId, WriteSession
from intacct_bridge.web.api.schemas_workspace import TokenCreated, TokenIn, WorkspaceIn, WorkspaceOut

router = APIRouter(prefix="/workspaces", tags=["workspaces"])


@router.get("", summary="List the workspaces this token may see")
def list_all(caller: Caller, session: ReadSession) -> list[WorkspaceOut]:
    if caller.is_admin:
        return [workspace_out(w) for w in list_workspaces(session)]
    return [workspace_out(w) for w in session.scalars(select(Workspace).where(Workspace.id == caller.workspace_id))]


@router.post("", status_code=201, summary="Create a workspace (admin)")
def create(body: WorkspaceIn, _: Admin, session: WriteSession) -> WorkspaceOut:
    return workspace_out(create_workspace(session, body.name, body.slug))


@router.get("/{workspace}", summary="One workspace")
def get(workspace_id: WorkspaceId, session: ReadSession) -> WorkspaceOut:
    found = session.get(Workspace, workspace_id)
    assert found is not None
    return workspace_out(found)


@router.delete("/{workspace}", status_code=204, summary="Delete a workspace and everything in it (admin)")
def delete(workspace_id: WorkspaceId, _: Admin, session: WriteSession) -> Response:
    found = session.get(Workspace, workspace_id)
    if found is not None:
        session.delete(found)
    return Response(status_code=204)


@router.post("/{workspace}/tokens", status_code=201, summary="Mint an API token for the workspace (admin)")
def mint_token(workspace_id: WorkspaceId, body: TokenIn, _: Admin, session: WriteSession) -> TokenCreated:
    plaintext, row = create_token(session, workspace_id, body.name)
    slug = session.get(Workspace, workspace_id).slug  # type: ignore[union-attr]
    return TokenCreated(id=row.id, name=row.name, workspace=slug, token=plaintext)


@router.delete("/{workspace}/tokens/{token_id}", status_code=204, summary="Revoke one of the workspace's tokens")
def revoke(workspace_id: WorkspaceId, token_id: PathId, _: Admin, session: WriteSession) -> Response:
    if not revoke_token(session, token_id, workspace_id):
        raise HTTPException(404, f"no active token {token_id} in this workspace")
    return Response(status_code=204)

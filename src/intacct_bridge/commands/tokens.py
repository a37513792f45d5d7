"""`intacct-bridge token create|list|revoke`: API tokens, shown once and stored hashed."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import WorkspaceOption, cli_store, console, fail, user_errors, when

token_app = typer.Typer(help="API tokens for the REST API (Bearer tokens).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")


@token_app.command("create")
def create(
    workspace: WorkspaceOption = None,
    admin: Annotated[bool, typer.Option("--admin", help="A token that manages every workspace.")] = False,
    name: Annotated[str, typer.Option(help="A note to tell tokens apart, e.g. the client's name.")] = "",
) -> None:
    """Create a token for one workspace (--workspace W) or an admin token (--admin); it is printed once."""
    from intacct_bridge.store.repositories.workspaces import resolve_workspace
    from intacct_bridge.web.access import create_token

    if admin and workspace:
        fail("choose either --workspace or --admin")
    store = cli_store()
    try:
        with user_errors(), store.write_session() as session:
            scoped = None if admin else resolve_workspace(session, workspace)
            plaintext, row = create_token(session, scoped.id if scoped else None, name)
            scope = f"workspace {scoped.slug}" if scoped else "admin"
            token_id = row.id
    finally:
        store.dispose()
    console.print(f"Created {scope} token {token_id}. Copy it now; it will not be shown again:", highlight=False)
    print(plaintext)


@token_app.command("list")
def list_() -> None:
    """List tokens (their first characters only) with their scope and last use."""
    from sqlalchemy import select

    from intacct_bridge.store.models import ApiToken, Workspace

    store = cli_store()
    try:
        with store.session() as session:
            rows = session.execute(select(ApiToken, Workspace.slug).outerjoin(Workspace, Workspace.id ==
                                                                              ApiToken.workspace_id)
                                   .order_by(ApiToken.id)).all()
    finally:
        store.dispose()
    table = Table("id", "scope", "name", "starts with", "created", "last used", "revoked")
    for token, slug in rows:
        table.add_row(str(token.id), slug or "admin", token.name, token.prefix + "…", when(token.created_at),
                      when(token.last_used_at), when(token.revoked_at) if token.revoked_at else "")
    console.print(table)


@token_app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(help="The token's id (see `token list`).")],
           workspace: WorkspaceOption = None,
           admin: Annotated[bool, typer.Option("--admin", help="The token is an admin token.")] = False) -> None:
    """Revoke a token: requests carrying it are refused from now on."""
    from intacct_bridge.store.repositories.workspaces import resolve_workspace
    from intacct_bridge.web.access import revoke_token

    store = cli_store()
    try:
        with user_errors(), store.write_session() as session:
            workspace_id = None if admin else resolve_workspace(session, workspace).id
            if not revoke_token(session, token_id, workspace_id):
                fail(f"no active token {token_id} with that scope")
    finally:
        store.dispose()
    console.print(f"Revoked token {token_id}.")

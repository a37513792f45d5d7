"""`workspace create|list` and `connect`: set up an organization and its Intacct sign-in."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import (
    WorkspaceOption,
    console,
    fail,
    store_session,
    user_errors,
    when,
    workspace_session,
)

if TYPE_CHECKING:  # pydantic and the store load when a command runs, not for `--help`
    from pydantic import SecretStr

workspace_app = typer.Typer(help="Create and list workspaces (one organization, one Intacct company each).",
                            no_args_is_help=True)


@workspace_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The organization's name.")],
    slug: Annotated[str | None, typer.Option(help="Short name for --workspace (default: from the name).")] = None,
) -> None:
    """Create a workspace."""
    from intacct_bridge.store.repositories.workspaces import create_workspace

    with store_session(write=True) as (_, session):
        workspace = create_workspace(session, name, slug)
        console.print(f"Created workspace [bold]{workspace.name}[/] ({workspace.slug}).")
    console.print(f"Next: intacct-bridge connect --workspace {workspace.slug} --company-id ... --user-id ...")


@workspace_app.command("list")
def list_() -> None:
    """List workspaces with their Intacct company and last sync."""
    from sqlalchemy import func, select

    from intacct_bridge.store.models import Action, Connection
    from intacct_bridge.store.repositories.workspaces import list_workspaces

    with store_session() as (_, session):
        workspaces = list_workspaces(session)
        companies = dict(session.execute(select(Connection.workspace_id, Connection.company_id)).all())
        counts = dict(session.execute(select(Action.workspace_id, func.count()).group_by(Action.workspace_id)).all())
    if not workspaces:
        console.print("No workspace yet: create one with `intacct-bridge workspace create NAME`.")
        return
    table = Table("id", "slug", "name", "Intacct company", "actions", "last sync")
    for w in workspaces:
        table.add_row(str(w.id), w.slug, w.name, companies.get(w.id, "not connected"), str(counts.get(w.id, 0)),
                      when(w.last_sync_at))
    console.print(table)


def _read_password(from_stdin: bool, prompt: str = "Intacct user password", what: str = "the password") -> SecretStr:
    """A secret from the first line of stdin, or a prompt that does not echo it."""
    from pydantic import SecretStr

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(prompt, hide_input=True)
    if not password:
        fail(f"{what} cannot be empty")
    return SecretStr(password)


def connect(
    company_id: Annotated[str, typer.Option("--company-id", help="Intacct company id.")],
    user_id: Annotated[str, typer.Option("--user-id", help="Web Services user id.")],
    workspace: WorkspaceOption = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Entity (location) id to sign in to.")] = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="XML gateway URL (default: INTACCT_ENDPOINT or Intacct's); "
                                                     "must be allowed by INTACCT_BRIDGE_ALLOWED_ENDPOINTS.")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
    ] = False,
) -> None:
    """Save the workspace's Intacct credentials (the password is asked for, never echoed, stored encrypted)."""
    from intacct_bridge.crypto import SecretBox
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.repositories.connections import allowed_endpoint, save_connection

    with workspace_session(workspace) as (_, _session, ws):  # a wrong --workspace fails before the prompt
        slug = ws.slug
    with user_errors():
        operator = OperatorSettings()
        box = SecretBox.from_settings(operator)
        allowed = operator.endpoint_policy()
        allowed_endpoint(endpoint, allowed)  # a refused endpoint fails before the password prompt
    password = _read_password(password_stdin)
    with workspace_session(slug, write=True) as (_, session, ws):
        save_connection(session, ws.id, box, company_id=company_id, user_id=user_id, password=password,
                        entity_id=entity, endpoint=endpoint, allowed=allowed)
        console.print(f"Saved the Intacct connection of [bold]{ws.name}[/]: company {company_id}, user {user_id}"
                      + (f", entity {entity}" if entity else "") + ".")
    console.print("Check it with `intacct-bridge test-connection`.")


def connect_rest(
    client_id: Annotated[str, typer.Option("--client-id", help="OAuth client id of the app (Sage App Registry).")],
    workspace: WorkspaceOption = None,
    company_id: Annotated[str | None, typer.Option("--company-id", help="Intacct company id (kept if omitted).")] = None,
    user_id: Annotated[str | None, typer.Option("--user-id", help="Web Services user id (kept if omitted).")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Entity id the requests work in.")] = None,
    secret_stdin: Annotated[
        bool, typer.Option("--secret-stdin", help="Read the client secret from the first line of standard input.")
    ] = False,
    keep_xml: Annotated[bool, typer.Option("--keep-xml", help="Save the client but keep speaking the XML API.")] = False,
) -> None:
    """Save the REST API's OAuth client (the secret is asked for, never echoed, stored encrypted) and use REST."""
    from intacct_bridge.crypto import SecretBox
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.repositories.connections import save_rest_client, set_api

    with workspace_session(workspace) as (_, _session, ws):
        slug = ws.slug
    secret = _read_password(secret_stdin, "OAuth client secret", "the client secret")
    with user_errors():
        box = SecretBox.from_settings(OperatorSettings())
        with workspace_session(slug, write=True) as (_, session, ws):
            save_rest_client(session, ws.id, box, client_id=client_id, client_secret=secret,
                             company_id=company_id, user_id=user_id, entity_id=entity)
            if not keep_xml:
                set_api(session, ws.id, "rest")
            console.print(f"Saved the REST API client of [bold]{ws.name}[/]: client {client_id}; "
                          f"it speaks the {'XML' if keep_xml else 'REST'} API.")
    console.print("Check it with `intacct-bridge test-connection`.")


def register(app: typer.Typer) -> None:
    app.add_typer(workspace_app, name="workspace")
    app.command("connect")(connect)
    app.command("connect-rest")(connect_rest)

"""`campaigns list`: the tags an action can carry, Intacct-backed ones with their side and value."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import WorkspaceOption, console, workspace_session
from intacct_bridge.domain.vocabulary import CATEGORY_PREFIX

campaigns_app = typer.Typer(help="Campaigns: tags on actions; Intacct ones say which account or dimension.",
                            no_args_is_help=True)


@campaigns_app.command("list")
def list_(
    workspace: WorkspaceOption = None,
    category: Annotated[str | None, typer.Option(help="e.g. Accounts, Locations, or a full category name.")] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive", show_default=False)] = None,
    search: Annotated[str | None, typer.Option(help="Text in the campaign name.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 500,
) -> None:
    """List campaigns with how many actions carry each."""
    from intacct_bridge.store.repositories.campaigns import list_campaigns

    with workspace_session(workspace) as (_, session, ws):
        rows = list_campaigns(session, ws.id, category=category, active=active, search=search, limit=limit)
        table = Table("category", "campaign", "side", "Intacct value", "active", "actions")
        for row in rows:
            c = row.campaign
            table.add_row(row.category.removeprefix(CATEGORY_PREFIX), c.name, c.side or "—", c.intacct_value_id or "—",
                          "yes" if c.active else "[red]no[/]", str(row.actions))
    if not rows:
        console.print("No campaigns match. Intacct campaigns appear after `intacct-bridge pull`.")
        return
    console.print(table)


@campaigns_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The campaign's name, e.g. Spring Gala 2025.")],
    category: Annotated[str, typer.Option(help="Your own category, e.g. Events (created if new).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Add one of your organization's own campaigns, so imports and `actions tag` can use it."""
    from intacct_bridge.store.repositories.campaigns import create_campaign

    with workspace_session(workspace, write=True) as (_, session, ws):
        campaign = create_campaign(session, ws.id, name, category)
        console.print(f"Added campaign [bold]{campaign.name}[/] in {category}.")


@campaigns_app.command("create-value")
def create_value(
    dimension: Annotated[str, typer.Argument(help="location, department, class or custom.")],
    value_id: Annotated[str, typer.Argument(metavar="ID", help="The value's id in Intacct, e.g. L-300.")],
    name: Annotated[str, typer.Argument(help="Its name, e.g. 'West Region'.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Create a dimension value in Sage Intacct at the next sync (then its CR and DR campaigns)."""
    from intacct_bridge.store.repositories.dimension_values import request_value

    with workspace_session(workspace, write=True) as (_, session, ws):
        row = request_value(session, ws.id, dimension, value_id, name)
    console.print(f"{row.object_name} {row.value_id} ({row.name}) is created in Sage Intacct at the next sync: "
                  "`intacct-bridge sync --kind dimension-values` to create it now.", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(campaigns_app, name="campaigns")

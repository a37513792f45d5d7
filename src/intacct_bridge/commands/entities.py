"""`entities pull|list|show|reference|level`: a multi-entity company's entities and the reference data
settings offer (journals, AR terms, tax details), pulled from Intacct, and the workspace's posting level."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import WorkspaceOption, console, err_console, fail
from intacct_bridge.commands.sync import opened
from intacct_bridge.domain.reference_lists import LABELS, LISTS
from intacct_bridge.domain.vocabulary import PostingLevel

entities_app = typer.Typer(help="Entities, journals, AR terms and tax details from Intacct; the posting level.",
                           no_args_is_help=True)


@entities_app.command("pull")
def pull(workspace: WorkspaceOption = None) -> None:
    """Read the entities (and their `[Sage Intacct] Entities` campaigns), journals, AR terms and tax details."""
    from intacct_bridge.intacct.errors import IntacctError

    with opened(workspace) as bridge:
        try:
            pulled = bridge.pull_reference()
        except IntacctError as exc:
            fail(str(exc))
        console.print(f"Pulled {pulled.describe()}; {pulled.campaigns_created} entity campaign(s) created.")


@entities_app.command("list")
def list_entities(workspace: WorkspaceOption = None) -> None:
    """The entities last pulled, with the values each one owns (locations, departments...)."""
    with opened(workspace) as bridge:
        entities = bridge.entities()
        if not entities:
            console.print("No entities pulled (a single-entity company has none): run `intacct-bridge entities pull`.")
            return
        table = Table("entity", "name", "status", "values it owns")
        for entity in entities:
            owned = ", ".join(f"{count} {name}" for name, count in sorted(entity.owned.items())) or "none"
            table.add_row(entity.entity_id, entity.name or "", entity.status, owned)
        console.print(table)


@entities_app.command("show")
def show(entity: Annotated[str, typer.Argument(help="The entity id, e.g. E100.")],
         workspace: WorkspaceOption = None) -> None:
    """One entity and every value it owns: only it (and the top level) may use them."""
    with opened(workspace) as bridge:
        summary, values = bridge.entity(entity)
        console.print(f"[bold]{summary.entity_id}[/] {summary.name or ''} ({summary.status})")
        table = Table("object", "id", "name", "status")
        for value in values:
            table.add_row(value.object_name, value.value_id, value.name or "", value.status)
        console.print(table if values else "It owns no pulled value.")


@entities_app.command("reference")
def reference_list(which: Annotated[str, typer.Argument(help=f"One of {', '.join(LISTS)}.")],
                   workspace: WorkspaceOption = None) -> None:
    """A pulled list the settings offer (what `settings set --journal` / `--default-entity` accept)."""
    if which not in LISTS:
        fail(f"unknown list {which!r}: use one of {', '.join(LISTS)}")
    with opened(workspace) as bridge:
        values = bridge.reference_values(which)
        if not values:
            console.print(f"No {LABELS[LISTS[which]]} pulled yet: run `intacct-bridge entities pull`.")
            return
        table = Table("id", "name", "status", "entity")
        for value in values:
            table.add_row(value.value_id, value.name or "", value.status, value.owner_entity or "top level")
        console.print(table)


@entities_app.command("level")
def level(posting_level: Annotated[PostingLevel, typer.Argument(case_sensitive=False, help="top or entity")],
          default_entity: Annotated[str | None, typer.Option(help="The entity of records naming none.")] = None,
          workspace: WorkspaceOption = None) -> None:
    """Post at the top level or at each record's entity, from the next run on (posted records keep theirs)."""
    with opened(workspace) as bridge:
        warning = bridge.set_posting_level(posting_level, default_entity)
        if warning:
            err_console.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
        console.print(f"Posting level: {posting_level.value}.")


def register(app: typer.Typer) -> None:
    app.add_typer(entities_app, name="entities")

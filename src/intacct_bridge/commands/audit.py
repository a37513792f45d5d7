"""`intacct-bridge audit list`: who changed what and when (settings, tagging, retries, tokens, users, syncs)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from intacct_bridge.commands._support import JsonOption, WorkspaceOption, console, fail, print_json_lines, when

audit_app = typer.Typer(help="The audit log: who changed what, and when.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


Day = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"], show_default=False)]


@audit_app.command("list")
def list_(
    workspace: WorkspaceOption = None,
    everything: Annotated[bool, typer.Option("--all", help="Every workspace's entries, and users' and tokens'.")]
    = False,
    actor: Annotated[str | None, typer.Option(help="Only entries by someone whose name contains this.")] = None,
    action: Annotated[str | None, typer.Option(help="Only this kind, or kinds starting with it (settings, "
                                                     "actions.tagged, errors, token, user, sync).")] = None,
    via: Annotated[str | None, typer.Option(help="console, api, cli, python or schedule.")] = None,
    since: Day = None,
    until: Day = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many, newest first.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Audit entries, newest first (UTC times)."""
    from datetime import UTC

    from intacct_bridge.commands.sync import opened

    aware = [m.replace(tzinfo=UTC) if m and m.tzinfo is None else m for m in (since, until)]
    with opened(workspace) as bridge:
        try:
            entries, total = bridge.audit(limit=limit, actor=actor, action=action, via=via, since=aware[0],
                                          until=aware[1], everything=everything)
        except ValueError as exc:
            fail(str(exc))
    if as_json:
        print_json_lines([{"id": e.id, "at": e.at.isoformat(), "workspace_id": e.workspace_id, "actor": e.actor,
                           "via": e.via, "action": e.action, "target": e.target, "detail": e.detail}
                          for e in entries])
        return
    if not entries:
        console.print("No audit entries match.")
        return
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("when", no_wrap=True)
    table.add_column("who")
    table.add_column("via", no_wrap=True)
    table.add_column("what")
    table.add_column("detail")
    for e in entries:
        detail = ", ".join(f"{k}: {v}" for k, v in (e.detail or {}).items())
        table.add_row(when(e.at), e.actor, e.via, f"{e.action} {e.target or ''}".strip(), detail)
    console.print(table)
    if total > len(entries):
        console.print(f"{len(entries)} of {total} entries: --limit shows more.", highlight=False)

"""`summaries list|show`: the summary entries of summary posting, their lines and the actions they hold.

    intacct-bridge summaries list [--status posted] [--json]
    intacct-bridge summaries show 7 [--json]
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import (JsonOption, WorkspaceOption, console, money, user_errors, when,
                                             workspace_session)

summaries_app = typer.Typer(help="Summary entries: actions of the summarized types posted as one entry per day or run.",
                            no_args_is_help=True)


@summaries_app.command("list")
def list_(
    workspace: WorkspaceOption = None,
    status: Annotated[str | None, typer.Option(help="unposted, posted, failed or dissolved.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 100,
    as_json: JsonOption = False,
) -> None:
    """The summaries, oldest first: reference, date, journal, entity, how many actions, totals, status."""
    from intacct_bridge.store.repositories.summaries import list_summaries

    with workspace_session(workspace) as (_, session, ws):
        rows = list_summaries(session, ws.id, status=status, limit=limit)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row.as_dict()))
        return
    table = Table("id", "reference", "date", "journal", "entity", "actions", "total", "status", "Intacct record",
                  title="summaries")
    for row in rows:
        table.add_row(str(row.id), row.reference, when(row.posting_date), row.journal, row.entity or "—",
                      str(row.action_count), money(row.debit_total), row.status, row.intacct_recordno or "—")
    console.print(table)


@summaries_app.command("show")
def show(
    summary_id: Annotated[int, typer.Argument(help="The summary's id (`summaries list`).")],
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """One summary: its lines (account, side, dimensions, amount) and every action it holds."""
    from intacct_bridge.store.repositories.summaries import get_summary

    with user_errors(), workspace_session(workspace) as (_, session, ws):
        info = get_summary(session, ws.id, summary_id)
    if as_json:
        typer.echo(json.dumps(info.as_dict()))
        return
    console.print(f"summary {info.id}: {info.reference} — {info.status}"
                  f"{f' (Intacct record {info.intacct_recordno})' if info.intacct_recordno else ''}", highlight=False)
    console.print(f"{info.description}\nperiod {info.period}, dated {info.posting_date}, journal {info.journal}"
                  f"{f', entity {info.entity}' if info.entity else ''}", highlight=False)
    lines = Table("account", "side", "dimensions", "amount", title="lines")
    for line in info.lines:
        dims = ", ".join(f"{k}={v}" for k, v in sorted(line["dimensions"].items())) or "—"
        lines.add_row(line["account"], line["side"], dims, line["amount"])
    console.print(lines)
    held = Table("action", "external id", "version", "amount", "status now", title="actions it holds")
    for action in info.actions:
        note = "" if action.still_held else " (share reversed)"
        held.add_row(str(action.action_id), action.external_id, str(action.version), money(action.amount),
                     action.status + note)
    console.print(held)


def register(app: typer.Typer) -> None:
    app.add_typer(summaries_app, name="summaries")

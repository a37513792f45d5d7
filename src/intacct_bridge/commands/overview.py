"""`intacct-bridge overview`: the dashboard in a terminal — setup checklist, next scheduled sync, money posted."""

from __future__ import annotations

from decimal import Decimal

import typer
from rich import box
from rich.table import Table

from intacct_bridge.commands._support import JsonOption, WorkspaceOption, console, print_json_lines


def register(app: typer.Typer) -> None:
    app.command("overview")(overview)


def overview(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Setup checklist, next scheduled sync, and money posted by period, account and fund."""
    from intacct_bridge.commands.sync import opened

    with opened(workspace) as bridge:
        found = bridge.overview()
    if as_json:
        print_json_lines([found])
        return
    steps = found["checklist"]
    done = sum(1 for s in steps if s["done"])
    if done < len(steps):
        console.print(f"Setup: {done} of {len(steps)} done", highlight=False)
        for number, step in enumerate(steps, 1):
            console.print(f"  {'✓' if step['done'] else number} {step['label']}"
                          + ("" if step["done"] else f" — {step['hint']}"), highlight=False)
    console.print(f"Next scheduled sync: {found['next_sync'] or 'none (settings set --schedule HH:MM)'}",
                  highlight=False)
    posted = found["posted"]
    console.print(f"Posted: {Decimal(posted['total']):,.2f} in {posted['records']} records", highlight=False)
    for key, title in (("by_period", "period"), ("by_account", "account"), ("by_fund", posted["fund_label"])):
        if posted[key]:
            table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
            table.add_column(title or key)
            table.add_column("side" if key == "by_account" else "", no_wrap=True)
            table.add_column("amount", justify="right", no_wrap=True)
            for bar in posted[key]:
                table.add_row(bar["label"], bar["detail"], f"{Decimal(bar['amount']):,.2f}")
            console.print(table)

"""`intacct-bridge stock`: quantity on hand per item and warehouse, pulled from Intacct (seed 003, Connex)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import WorkspaceOption, console, fail
from intacct_bridge.commands.sync import opened
from intacct_bridge.intacct.errors import IntacctError

stock_app = typer.Typer(help="Stock levels per item and warehouse, as Intacct holds them.", no_args_is_help=True)


@stock_app.command("pull")
def pull(workspace: WorkspaceOption = None) -> None:
    """Read quantity on hand from Intacct now (what a shop pushes to its selling channels)."""
    with opened(workspace) as bridge:
        try:
            totals = bridge.pull_stock()
        except IntacctError as exc:
            fail(str(exc))
        console.print(f"Pulled {totals.levels} stock levels; {totals.changed} changed since the last pull.")


@stock_app.command("list")
def list_levels(
    workspace: WorkspaceOption = None,
    item: Annotated[str | None, typer.Option(help="Only this item id (SKU).")] = None,
    warehouse: Annotated[str | None, typer.Option(help="Only this warehouse id.")] = None,
) -> None:
    """The levels last pulled (run `stock pull` first)."""
    with opened(workspace) as bridge:
        levels = bridge.stock(item, warehouse)
        if not levels:
            console.print("No stock levels yet: run `intacct-bridge stock pull`.")
            return
        table = Table("item", "warehouse", "on hand", "changed", "pulled")
        for level in levels:
            table.add_row(level.item_id, level.warehouse_id, f"{level.on_hand.normalize():f}",
                          level.modified_at.strftime("%Y-%m-%d %H:%M") if level.modified_at else "",
                          level.pulled_at.strftime("%Y-%m-%d %H:%M"))
        console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(stock_app, name="stock")

"""What Intacct holds, pulled back: `stock` (quantity on hand per item and warehouse, seed 003) and
`intacct-invoices` (AR invoices that exist only in Intacct, what a payment portal collects on, seed 004)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import WorkspaceOption, console, fail
from intacct_bridge.commands.sync import opened

stock_app = typer.Typer(help="Stock levels per item and warehouse, as Intacct holds them.", no_args_is_help=True)


@stock_app.command("pull")
def pull(workspace: WorkspaceOption = None) -> None:
    """Read quantity on hand from Intacct now (what a shop pushes to its selling channels)."""
    from intacct_bridge.intacct.errors import IntacctError

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


intacct_invoices_app = typer.Typer(help="AR invoices that exist only in Intacct (pulled by `sync` and `pull`).",
                                   no_args_is_help=True)


@intacct_invoices_app.command("list")
def list_intacct_invoices(
    workspace: WorkspaceOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only those with something still due.")] = False,
    limit: Annotated[int, typer.Option(help="How many, oldest first.")] = 100,
) -> None:
    """Invoices Intacct holds that this workspace did not post, with their balance and state."""
    with opened(workspace) as bridge:
        rows = bridge.intacct_only_invoices(open_only=open_only, limit=limit)
        if not rows:
            console.print("None pulled yet (they come with `intacct-bridge pull` or a sync of order-to-cash records).")
            return
        table = Table("RECORDNO", "number", "customer", "date", "due", "total", "due now", "state")
        for r in rows:
            table.add_row(r.recordno, r.number or "", r.customer_id or "", str(r.invoice_date or ""),
                          str(r.due_date or ""), f"{r.total or 0:,.2f}", f"{r.total_due or 0:,.2f}", r.state or "")
        console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(stock_app, name="stock")
    app.add_typer(intacct_invoices_app, name="intacct-invoices")

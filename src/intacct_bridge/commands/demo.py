"""`intacct-bridge demo`: the whole story on a fresh machine, against the bundled emulator.

Starts the emulator on a free port, creates a sample workspace in a temporary
database, tests the connection, pulls, imports a small nonprofit's actions,
runs a sync that halts on the deliberately invalid ones, fixes them the way a
person would (tagging campaigns), syncs again, and reconciles local totals with
the emulator's ledger. Exit 0 only when every total matches.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    actions: Annotated[int, typer.Option(help="How many sample actions.")] = 300,
    keep_running: Annotated[bool, typer.Option(help="Leave the emulator running afterwards (Ctrl-C stops).")] = False,
    serve: Annotated[bool, typer.Option("--serve", help="Afterwards, serve the web console on the demo workspace "
                                                         "(Ctrl-C stops).")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the sample data.")] = 7,
) -> None:
    """Run the whole sync story against a local Intacct emulator (no arguments needed)."""
    from intacct_emulator.harness import start_emulator  # the product needs the emulator only here

    from intacct_bridge.commands._demo_story import (
        COMPANY,
        configure_environment,
        console,
        open_workspace,
        serve_console_on,
        tell_story,
        wait_for_ctrl_c,
    )

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="intacct-bridge-demo-") as scratch, start_emulator(seed="demo") as emu:
        configure_environment(emu.credentials, Path(scratch))
        database_url = f"sqlite:///{Path(scratch) / 'demo.db'}"
        console.print(Rule("1. An Intacct company (the emulator)"))
        console.print(f"Emulator at {emu.url}, company [bold]{COMPANY}[/], Web Services user ws_bridge.")
        bridge = open_workspace(database_url, emu.credentials)
        ok = tell_story(bridge, emu, actions, seed)
        console.print(Rule())
        console.print(f"Demo finished in {time.monotonic() - started:.1f}s.")
        if serve:
            serve_console_on(bridge)
        elif keep_running:
            wait_for_ctrl_c(emu.url, database_url)
        bridge.close()
    if not ok:
        raise typer.Exit(1)

"""`intacct-bridge demo`: the whole story on a fresh machine, against the bundled emulator."""

from __future__ import annotations

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo() -> None:
    """Start the Intacct emulator with its demo company and show how to reach it."""
    from intacct_emulator.harness import start_emulator

    console = Console()
    with start_emulator(seed="demo") as emu:
        console.print(f"[bold]Intacct emulator[/] running at {emu.url} with the demo company:")
        for name, value in emu.credentials.items():
            console.print(f"  {name}={value}")
        ledger = emu.admin.ledger("helping-hands", "GLACCOUNT")
        console.print(f"helping-hands has {len(ledger)} GL accounts. Run `intacct-bridge emulator --seed demo` "
                      "to keep one running.")

"""`intacct-bridge demo`: the whole story on a fresh machine, against the bundled emulator.

The story itself (`_demo_story` and its chapters `_demo_*`) loads the store, the client and the emulator, so it
is imported only when the command runs: `--help` stays light.
"""

from __future__ import annotations

from typing import Annotated

import typer


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
    from intacct_bridge.commands._demo_story import run_demo

    run_demo(actions, keep_running, serve, seed)

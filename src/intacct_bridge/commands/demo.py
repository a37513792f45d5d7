"""`intacct-bridge demo`: the whole story on a fresh machine, against the bundled emulator.

Starts the emulator on a free port, creates a sample workspace in a temporary
database, tests the connection, pulls, imports a small nonprofit's actions,
runs a sync that halts on the deliberately invalid ones, fixes them the way a
person would (tagging campaigns), syncs again, and reconciles what was posted with
what Intacct holds (no drift); then edits and deletes entries through the emulator's
admin endpoints (the reconciliation names them), and edits a posted donation at the
source (a reversal, then the corrected entry); posts at the entity level of a multi-entity company
(`_demo_entities`); pushes vendors and items and posts AP bills (`_demo_payables`); moves a donation out of a
closed period (`_demo_closed_period`); posts the day's donations as one summary entry, then reverses the shares
of an edited and a deleted one and reconciles the day with no drift (`_demo_summaries`). Exit 0 only when each
step shows what it should.

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

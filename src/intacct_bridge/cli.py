"""The `intacct-bridge` command line: one Typer app; each area adds its commands here."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="intacct-bridge",
    help="Sync an organization's transactions and master data into Sage Intacct.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """intacct-bridge command line."""

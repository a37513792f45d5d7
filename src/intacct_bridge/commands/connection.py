"""`test-connection`: is the workspace's Intacct connection usable, and if not, what to fix."""

from __future__ import annotations

import typer
from rich.table import Table

from intacct_bridge.commands.sync import EXIT_FAILED, WorkspaceOption, console, opened


def register(app: typer.Typer) -> None:
    app.command("test-connection")(test_connection)


def test_connection(workspace: WorkspaceOption = None) -> None:
    """Sign in to Intacct and try every read a sync needs; print the fix for anything that fails (exit 1)."""
    with opened(workspace) as bridge:
        report = bridge.test_connection()
    table = Table("check", "result")
    for check in report.checks:
        table.add_row(check.name, "[green]ok[/]" + (f" ({check.detail})" if check.detail else "") if check.ok
                      else f"[red]{check.diagnosis.title if check.diagnosis else 'failed'}[/]")
    console.print(table)
    for problem in report.problems:
        console.print(f"[bold red]{problem.title}.[/]\n  Fix: {problem.fix}")
        if problem.intacct_message:
            console.print(f"  Intacct said: {problem.intacct_message}")
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
    console.print("[green]Connection OK.[/]")

"""Importing a CSV or JSON-lines file into the store, all or nothing, for any kind of record.

`import_file` opens the workspace's store, reads the file in its format, and hands the rows
to the kind's importer; a rejected file prints its bad rows (line, field, problem) and exits 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from intacct_bridge.commands._support import USER_ERROR, err_console, fail, workspace_session
from intacct_bridge.domain.intake import Row, format_of, read_rows

if TYPE_CHECKING:
    pass

    from intacct_bridge.store.repositories.intake import ImportRejected, ImportResult

Importer = Callable[["Session", int, Iterable[Row], ZoneInfo], "ImportResult"]


def file_format(path: Path, given: str | None) -> str:
    chosen = format_of(path.name, given)
    if chosen is None:
        fail(f"cannot tell the format of {path.name}: pass --format csv or --format jsonl")
    return chosen


def print_rejection(path: Path, rejected: ImportRejected) -> None:
    table = Table("line", "field", "problem", title=f"{path.name}: bad rows", title_justify="left")
    for error in rejected.errors:
        table.add_row(str(error.line), error.field, error.message)
    err_console.print(table)
    if rejected.more:
        err_console.print(f"... and {rejected.more} more.")
    err_console.print(f"[bold red]error:[/] {rejected}; fix the rows above and import the file again.")


def import_file(file: Path, format_: str | None, workspace: str | None, importer: Importer) -> ImportResult:
    """Import `file` into the workspace with `importer`; exits 1 (nothing imported) when a row is bad."""
    from intacct_bridge.store.repositories.intake import ImportRejected
    from intacct_bridge.store.repositories.settings import load_sync_settings

    chosen = file_format(file, format_)
    try:
        with (
            workspace_session(workspace, write=True) as (_, session, ws),
            file.open(encoding="utf-8-sig", newline="") as handle,
        ):
            zone = load_sync_settings(session, ws.id).zone()
            return importer(session, ws.id, read_rows(handle, chosen), zone)
    except ImportRejected as rejected:
        print_rejection(file, rejected)
        raise typer.Exit(USER_ERROR) from None
    except UnicodeDecodeError:
        fail(f"{file.name} is not UTF-8 text: save it as UTF-8 and import again")

"""Importing a CSV or JSON-lines file into the store, all or nothing, for any kind of record.

`import_file` opens the workspace's store, reads the file in its format, and hands the rows
to the kind's importer; a rejected file prints its bad rows (line, field, problem) and exits 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from intacct_bridge.commands._support import USER_ERROR, console, err_console, fail, workspace_session
from intacct_bridge.domain.intake import Row, format_of, read_rows

if TYPE_CHECKING:
    from intacct_bridge.domain.receivables import RecordKind
    from intacct_bridge.store.repositories.intake import ImportRejected, ImportResult

Importer = Callable[["sqlalchemy.orm.Session", int, Iterable[Row], ZoneInfo], "ImportResult"]


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
    if any(error.field == "campaigns" for error in rejected.errors):  # the store's words fit every place; this fits here
        err_console.print("The campaigns: `intacct-bridge campaigns list`; pull accounts and dimensions with "
                          "`intacct-bridge pull`, add your own with `intacct-bridge campaigns add`.")
    err_console.print(f"[bold red]error:[/] {rejected}; fix the rows above and import the file again.")


PreviewOption = Annotated[bool, typer.Option(
    "--dry-run", "--preview", help="Check every row and list the bad ones (line, field, reason); import nothing.")]


def import_file(file: Path, format_: str | None, workspace: str | None, importer: Importer, *,
                preview: bool = False) -> ImportResult:
    """Import `file` into the workspace with `importer`; exits 1 (nothing imported) when a row is bad.

    With `preview` every row is checked and written inside the transaction as an import would, then the
    transaction is rolled back: the counts are what the import would do, and nothing is kept."""
    from intacct_bridge.store.repositories.intake import ImportRejected
    from intacct_bridge.store.repositories.settings import load_sync_settings

    chosen = file_format(file, format_)
    try:
        with (
            workspace_session(workspace, write=True) as (_, session, ws),
            file.open(encoding="utf-8-sig", newline="") as handle,
        ):
            zone = load_sync_settings(session, ws.id).zone()
            result = importer(session, ws.id, read_rows(handle, chosen), zone)
            if preview:
                session.rollback()
            return result
    except ImportRejected as rejected:
        print_rejection(file, rejected)
        raise typer.Exit(USER_ERROR) from None
    except UnicodeDecodeError:
        fail(f"{file.name} is not UTF-8 text: save it as UTF-8 and import again")


def print_outcome(file: Path, result: ImportResult, plural: str, *, preview: bool) -> None:
    """What an import did, or (preview) would do."""
    counts = f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged"
    if preview:
        console.print(f"Preview of {file.name}: every row is good; importing it would give {result.total} "
                      f"{plural} ({counts}). Nothing was imported.")
    else:
        console.print(f"Imported {result.total} {plural} from {file.name}: {counts}.")


def write_template(kind: RecordKind, out: Path | None) -> None:
    """The kind's CSV template (header row and an example row to replace) to `out`, or to the terminal."""
    from intacct_bridge.domain.import_columns import template_csv

    text = template_csv(kind)
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.exists():
        fail(f"{out} exists already: name a new file")
    out.write_text(text, encoding="utf-8")
    err_console.print(f"Wrote the template to {out}: replace the example row with your own and import it.")


TemplateFile = Annotated[Path | None, typer.Argument(
    dir_okay=False, help="Where to write it (default: print it).", show_default=False)]

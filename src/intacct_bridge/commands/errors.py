"""`errors`: the error queue — list failed records by class with their fix, retry them, or resolve (ignore) them.

    intacct-bridge errors list --class closed_period --kind invoices
    intacct-bridge errors retry 12 13            # or --class rate_limit, or --all; --sync runs a sync right after
    intacct-bridge errors resolve 14 --reason "entered by hand in Intacct"
"""

from __future__ import annotations

import getpass
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import (
    CsvOption,
    JsonOption,
    WorkspaceOption,
    console,
    fail,
    print_json_lines,
    step_hint,
)
from intacct_bridge.commands.sync import opened, print_report
from intacct_bridge.domain.error_classes import LABELS, ErrorClass

errors_app = typer.Typer(help="The error queue: failed records by class, with the fix; retry or resolve them.",
                         no_args_is_help=True)

ClassOption = Annotated[list[str] | None, typer.Option(
    "--class", help="Only this class (repeatable): " + ", ".join(c.value for c in ErrorClass) + ".")]
KindOption = Annotated[list[str] | None, typer.Option(
    "--kind", help="Only this record kind (repeatable): journal_entry, customer, invoice, payment, credit_memo.")]
IdsArgument = Annotated[list[int] | None, typer.Argument(help="Error ids (from `errors list`).", show_default=False)]
AllOption = Annotated[bool, typer.Option("--all", help="Every open error matching --class/--kind (or every one).")]


def _selection_words(ids: list[int] | None, classes: list[str] | None, kinds: list[str] | None,
                     every: bool) -> tuple[list[int] | None, list[str], list[str]]:
    if not ids and not classes and not kinds and not every:
        fail("name the errors by id, or choose them with --class / --kind, or pass --all")
    if ids and (classes or kinds or every):
        fail("give either error ids or --class/--kind/--all, not both")
    return ids or None, classes or [], kinds or []


@errors_app.command("list")
def list_errors(
    workspace: WorkspaceOption = None,
    classes: ClassOption = None,
    kinds: KindOption = None,
    state: Annotated[str, typer.Option(help="open, resolved or all.")] = "open",
    limit: Annotated[int, typer.Option(help="How many, oldest first.")] = 100,
    date_from: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"],
                                                       help="Last failed on or after this day.")] = None,
    date_to: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"],
                                                     help="Last failed on or before this day.")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Failed records with their class and the fix that fits it; `retry` or `resolve` them by id."""
    days = {"date_from": date_from.date() if date_from else None, "date_to": date_to.date() if date_to else None}
    with opened(workspace) as bridge:
        if as_csv:
            try:
                bridge.export_csv("errors", sys.stdout, classes=classes or [], kinds=kinds or [], state=state,
                                  **days)
            except ValueError as exc:
                fail(str(exc))
            return
        try:
            items = bridge.errors(classes=classes or [], kinds=kinds or [], state=state, limit=limit, **days)
            counts = bridge.error_counts()
        except ValueError as exc:
            fail(str(exc))
    if as_json:
        print_json_lines([item.as_dict() for item in items])
        return
    if not items:
        console.print("No errors in the queue." if state == "open" else "No errors match.")
        return
    console.print("Open: " + ", ".join(f"{LABELS[ErrorClass(name)]} {count}" for name, count in counts.items()
                                       if count), highlight=False)
    for error_class in ErrorClass:
        group = [i for i in items if i.error_class == error_class.value]
        if not group:
            continue
        table = Table("id", "record", "status", "tries", "what happened", title=LABELS[error_class],
                      caption=f"Fix: {group[0].fix}", caption_justify="left")
        for item in group:
            status = item.status + (f" (next try {item.next_attempt_at:%Y-%m-%d %H:%M} UTC)"
                                    if item.status == "retrying" and item.next_attempt_at else "")
            if item.resolved_at:
                status = f"resolved by {item.resolved_by}: {item.resolution}"
            table.add_row(str(item.id), f"{item.record_kind} {item.record_id}", status, str(item.attempts),
                          "; ".join(r.get("message", "") + step_hint(r) for r in item.reasons))
        console.print(table)


@errors_app.command("retry")
def retry(
    ids: IdsArgument = None,
    workspace: WorkspaceOption = None,
    classes: ClassOption = None,
    kinds: KindOption = None,
    every: AllOption = False,
    sync: Annotated[bool, typer.Option("--sync/--no-sync", help="Run a sync right after (default).")] = True,
) -> None:
    """Release errors so the records are sent again: now with a sync (default), or at the next run."""
    chosen = _selection_words(ids, classes, kinds, every)
    with opened(workspace) as bridge:
        try:
            done = bridge.retry_errors(chosen[0], classes=chosen[1], kinds=chosen[2])
        except ValueError as exc:
            fail(str(exc))
        console.print(f"Released {done.count} errors.")
        if sync and done.count:
            report = bridge.sync(trigger="retry")
            print_report(report)


@errors_app.command("resolve")
def resolve(
    ids: IdsArgument = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with who and when).")] = "",
    workspace: WorkspaceOption = None,
    classes: ClassOption = None,
    kinds: KindOption = None,
    every: AllOption = False,
) -> None:
    """Ignore errors with a reason: no run sends those records again until they are retried."""
    chosen = _selection_words(ids, classes, kinds, every)
    with opened(workspace) as bridge:
        try:
            done = bridge.resolve_errors(chosen[0], reason=reason, by=f"cli:{getpass.getuser()}",
                                         classes=chosen[1], kinds=chosen[2])
        except ValueError as exc:
            fail(str(exc))
        console.print(f"Resolved {done.count} errors.")


def register(app: typer.Typer) -> None:
    app.add_typer(errors_app, name="errors")


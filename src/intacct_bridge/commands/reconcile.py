"""`reconcile`: read back what Intacct holds for what the workspace posted; report drift. Changes nothing.

    intacct-bridge reconcile                       # every kind: actions, customers, invoices, payments, credit memos,
                                                   # vendors, items, bills, AP adjustments
    intacct-bridge reconcile --since 2026-01-01 --kind invoices --kind bills --json

Exit code 0 when Intacct holds exactly what was posted, 6 when anything drifted, 1 when it could not run.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import JsonOption, WorkspaceOption, console, fail
from intacct_bridge.commands.sync import EXIT_FAILED, opened
from intacct_bridge.domain.reconciliation import HeldEntry, ReconcileReport


def reconcile(
    workspace: WorkspaceOption = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"],
                                                   help="Only records posted on or after this date (YYYY-MM-DD).")] = None,
    kinds: Annotated[list[str] | None, typer.Option("--kind", help="Only this record kind (repeatable): actions, customers, "
                                                     "invoices, payments, credit-memos, vendors, items, bills, "
                                                     "ap-adjustments.")] = None,
    all_totals: Annotated[bool, typer.Option("--all-totals", help="Show every total, not only those that differ.")] = False,
    recorded: Annotated[bool, typer.Option("--recorded", help="List the reconciliations that ran by themselves "
                                                              "(settings set --reconcile) instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Compare what this workspace posted with what Intacct holds now: missing, changed, unrecorded, totals."""
    from intacct_bridge.intacct.errors import IntacctError
    from intacct_bridge.sync.readback import DRIFT_EXIT_CODE

    if recorded:
        print_recorded(workspace, as_json)
        return
    with opened(workspace) as bridge:
        try:
            report = bridge.reconcile(since=since.date() if since else None, kinds=kinds)
        except ValueError as exc:
            fail(str(exc))
        except IntacctError as exc:
            fail(str(exc), EXIT_FAILED)
    if as_json:
        typer.echo(json.dumps(report.as_dict()))
    else:
        print_report(report, all_totals=all_totals)
    if report.drift:
        raise typer.Exit(DRIFT_EXIT_CODE)


def print_report(report: ReconcileReport, *, all_totals: bool = False) -> None:
    scope = f" posted since {report.since}" if report.since else ""
    console.print(f"Compared {report.compared} records{scope} with Intacct: {report.matched} match, "
                  f"{len(report.missing)} missing there, {len(report.changed)} changed there, "
                  f"{len(report.unrecorded)} there but not recorded as posted here "
                  f"({report.requests} requests, {report.api_transactions} API transactions).", highlight=False)
    table = Table("kind", "compared", "match", "missing", "changed", "unrecorded", title="By kind")
    for kind, counts in report.by_kind().items():
        table.add_row(kind, *(str(counts[k]) for k in ("compared", "matched", "missing", "changed", "unrecorded")))
    console.print(table)
    if report.missing:
        table = Table("kind", "reference", "record", "date", "what was posted", title="Missing in Intacct (deleted there?)")
        for entry in report.missing:
            table.add_row(entry.kind, entry.reference, str(entry.record_id), _day(entry.posting_date), _what(entry))
        console.print(table)
    if report.changed:
        table = Table("kind", "reference", "record", "Intacct key", "what", "posted", "in Intacct",
                      title="Changed in Intacct")
        for change in report.changed:
            for difference in change.differences:
                table.add_row(change.ours.kind, change.ours.reference, str(change.ours.record_id),
                              change.theirs.key or "", difference.field, difference.ours, difference.theirs)
        console.print(table)
    if report.unrecorded:
        table = Table("kind", "reference", "Intacct key", "date", "what Intacct holds",
                      title="In Intacct under our reference, not recorded as posted here")
        for entry in report.unrecorded:
            table.add_row(entry.kind, entry.reference, entry.key or "", _day(entry.posting_date), _what(entry))
        console.print(table)
    rows = report.totals_rows(only_different=not all_totals)
    if rows:
        table = Table("kind", "period", "account / party", "side", "dimensions", "posted", "in Intacct", "difference",
                      title="Totals" if all_totals else "Totals that differ")
        for row in rows:
            table.add_row(row["kind"], row["period"], row["account"], row["side"],
                          ", ".join(f"{k}={v}" for k, v in row["dimensions"].items()), row["ours"], row["theirs"],
                          row["difference"])
        console.print(table)
    console.print("[red]Drift found.[/]" if report.drift else "[green]No drift: Intacct holds what was posted.[/]")


def print_recorded(workspace: str | None, as_json: bool) -> None:
    """The reconciliations that ran by themselves, newest first (changes nothing, reads nothing from Intacct)."""
    with opened(workspace) as bridge:
        rows = bridge.reconciliations()
    if as_json:
        typer.echo(json.dumps([{"id": r.id, "trigger": r.trigger, "sync_run_id": r.sync_run_id, "status": r.status,
                                "drift": r.drift, "started_at": r.started_at.isoformat(), "summary": r.summary,
                                "message": r.message} for r in rows]))
        return
    table = Table("id", "started (UTC)", "when", "outcome", title="Reconciliations that ran by themselves")
    for r in rows:
        s = r.summary or {}
        outcome = ("could not finish: " + (r.message or "")) if r.status == "failed" else (
            f"drift: {s.get('missing')} missing, {s.get('changed')} changed, {s.get('unrecorded')} unrecorded"
            if r.drift else "no drift" if r.status == "done" else r.status)
        table.add_row(str(r.id), r.started_at.strftime("%Y-%m-%d %H:%M"),
                      "daily" if r.trigger == "schedule" else f"after sync run {r.sync_run_id}", outcome)
    console.print(table)


def _what(entry: HeldEntry) -> str:
    """An entry in words: its lines, or a master record's fields."""
    if entry.fields:
        return "; ".join(f"{k}={v}" for k, v in entry.fields if v)
    return "; ".join(line.label() for line in entry.lines)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def register(app: typer.Typer) -> None:
    app.command("reconcile")(reconcile)

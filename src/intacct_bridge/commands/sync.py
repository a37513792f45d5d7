"""`pull`, `sync`, `runs list|show`, `status`: running the journal-entry sync from a terminal.

Exit codes scripts can trust: 0 done, 1 failed, 3 halted (actions need review),
4 completed with errors (some entries rejected or unconfirmed), 5 another run
holds the workspace.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from intacct_bridge.commands._support import (
    USER_ERROR,
    CsvOption,
    WorkspaceOption,
    console,
    fail,
    fix_hints,
    user_errors,
)
from intacct_bridge.commands._dry_run_table import EntryPreview
from intacct_bridge.domain.vocabulary import RunStatus
from intacct_bridge.sync.progress import Phase, ProgressEvent

if TYPE_CHECKING:  # the engine, the store, the client and the workers load when a command runs, not for `--help`
    from intacct_bridge.api import Bridge
    from intacct_bridge.sync.engine import RunReport

EXIT_FAILED, EXIT_HALTED, EXIT_WITH_ERRORS, EXIT_LOCKED = USER_ERROR, 3, 4, 5
QUEUED_WAIT_SECONDS = 5.0
EXIT_CODES = {
    RunStatus.SUCCEEDED: 0,
    RunStatus.FAILED: EXIT_FAILED,
    RunStatus.HALTED: EXIT_HALTED,
    RunStatus.COMPLETED_WITH_ERRORS: EXIT_WITH_ERRORS,
}
DRY_RUN_WORDS = {RunStatus.SUCCEEDED: "would succeed", RunStatus.HALTED: "would halt for review"}
PHASE_LABELS = {Phase.RECOVER: "Settling earlier posts", Phase.PULL: "Pulling from Intacct",
                Phase.VALIDATE: "Validating actions", Phase.POST: "Posting journal entries"}
DRY_RUN_LABELS = {**PHASE_LABELS, Phase.POST: "Building entries (not sent)"}


def register(app: typer.Typer) -> None:
    app.command("pull")(pull)
    app.command("sync")(sync)
    app.command("status")(status)
    runs = typer.Typer(help="The sync log: past runs and every action's outcome.", no_args_is_help=True)
    runs.command("list")(runs_list)
    runs.command("show")(runs_show)
    app.add_typer(runs, name="runs")


@contextmanager
def opened(workspace: str | None) -> Iterator[Bridge]:
    """Open the workspace; turn the errors a user can fix into a message and an exit code."""
    from intacct_bridge.api import Bridge
    from intacct_bridge.store.errors import RunLocked
    from intacct_bridge.sync.candidates import UnknownAction
    from intacct_bridge.sync.context import NotConfigured

    with user_errors():
        bridge = Bridge.open(workspace)
    try:
        with user_errors():
            try:
                yield bridge
            except RunLocked as exc:  # a StoreError, but with its own exit code
                fail(str(exc), EXIT_LOCKED)
            except (NotConfigured, UnknownAction) as exc:
                fail(str(exc), EXIT_FAILED)
    finally:
        bridge.close()


class ProgressBars:
    """A Rich progress bar per phase, fed by the engine's progress callback."""

    def __init__(self, progress: Progress, labels: dict[Phase, str]) -> None:
        self._progress = progress
        self._labels = labels
        self._tasks: dict[Phase, TaskID] = {}

    def __call__(self, event: ProgressEvent) -> None:
        task = self._tasks.get(event.phase)
        if task is None:
            task = self._progress.add_task(self._labels[event.phase], total=event.total)
            self._tasks[event.phase] = task
        self._progress.update(task, completed=event.done, total=event.total or None)


@contextmanager
def progress_bars(out: Console = console, *, dry_run: bool = False) -> Iterator[ProgressBars]:
    """A dry run sends nothing, so its last phase is not called posting."""
    columns = (TextColumn("{task.description:<26}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=False) as progress:
        yield ProgressBars(progress, DRY_RUN_LABELS if dry_run else PHASE_LABELS)


def pull(workspace: WorkspaceOption = None) -> None:
    """Pull accounts, locations, departments, classes and the custom field from Intacct; refresh campaigns."""
    from intacct_bridge.intacct.errors import IntacctError
    from intacct_bridge.sync.pull import PreflightError

    with opened(workspace) as bridge:
        try:
            with progress_bars() as bars:
                totals = bridge.pull(bars)
        except PreflightError as exc:
            fail(str(exc.diagnosis), EXIT_FAILED)
        except IntacctError as exc:
            fail(str(exc), EXIT_FAILED)
        console.print(f"Pulled {totals.values} values from {totals.streams} objects: "
                      f"{totals.created} campaigns created, {totals.deactivated} marked inactive.")
        if totals.receivables is not None:
            r = totals.receivables
            console.print(f"AR invoices changed in Intacct: {r.invoices} ({r.matched} of ours updated, "
                          f"{r.only_in_intacct} only in Intacct); AR payments recorded: {r.payments}.")


def sync(
    workspace: WorkspaceOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be posted; send nothing.")] = False,
    action: Annotated[str | None, typer.Option(
        "--action", help="Post this one action now (its id or external id).")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="Only these kinds (repeatable): actions, customers, invoices, payments, credit-memos, "
                       "vendors, items, bills, ap-adjustments.")] = None,
    show: Annotated[int, typer.Option(help="Dry run: how many entries to print.")] = 50,
    queue: Annotated[bool, typer.Option("--queue", help="Hand the run to the workers (`intacct-bridge worker`) "
                                        "instead of running it here; needs INTACCT_BRIDGE_BROKER_URL.")] = False,
) -> None:
    """Pull, validate and post every waiting record, kind by kind in dependency order: customers before their
    invoices, invoices before their payments and credit memos (exit 3 if a halting kind needs review)."""
    from intacct_bridge.store.repositories.actions import get_action
    from intacct_bridge.sync.registry import UnknownKind, kind_of

    with opened(workspace) as bridge:
        if queue:
            queue_run(bridge, dry_run=dry_run, action=action, kind=kind)
            return
        preview = EntryPreview(show) if dry_run else None
        try:
            kinds = [kind_of(k) for k in kind] if kind else None
        except UnknownKind as exc:
            fail(str(exc), 2)  # a usage error, like Typer's own
        action_id = None
        if action is not None:  # the id or the external id, as `actions show` and `actions tag` take it
            with bridge.store.session() as session:
                action_id = get_action(session, bridge.workspace_id, action).id
        with progress_bars(dry_run=dry_run) as bars:
            report = bridge.sync(dry_run=dry_run, action_id=action_id, progress=bars, on_entry=preview, kinds=kinds)
        if preview is not None:
            preview.print()
        print_report(report)
        if report.tally.invalid:
            print_review(bridge, report.run_id if dry_run else None)
    raise typer.Exit(EXIT_CODES[report.status])


def queue_run(bridge: Bridge, *, dry_run: bool, action: int | None, kind: list[str] | None) -> None:
    """`sync --queue`: enqueue, say so, and name the run if a worker opens it within a few seconds."""
    from intacct_bridge.sync.registry import UnknownKind
    from intacct_bridge.workers.broker import BrokerNotConfigured
    from intacct_bridge.workers.queue import RunQueue

    try:
        queued = bridge.queue_sync(dry_run=dry_run, action_id=action, kinds=kind)
    except UnknownKind as exc:
        fail(str(exc), 2)
    except BrokerNotConfigured as exc:
        fail(str(exc))
    run_id = RunQueue(bridge.operator).opened(queued, wait_seconds=QUEUED_WAIT_SECONDS)
    if run_id is None:
        console.print(f"Queued (message {queued.message_id}): a worker will run it; see `intacct-bridge runs list`.")
    else:
        console.print(f"Queued: run {run_id} started on a worker; see `intacct-bridge runs show {run_id}`.")


def print_report(report: RunReport, out: Console = console) -> None:
    t = report.tally
    colour = {RunStatus.SUCCEEDED: "green", RunStatus.HALTED: "yellow",
              RunStatus.COMPLETED_WITH_ERRORS: "yellow"}.get(report.status, "red")
    kind, said = "Run", report.status.value
    if report.dry_run:
        kind, said = "Dry run (nothing sent)", DRY_RUN_WORDS.get(report.status, said)
    out.print(f"{kind} {report.run_id}: [bold {colour}]{said}[/] in {report.seconds:.1f}s, "
              f"{report.api_transactions} API transactions")
    from intacct_bridge.sync.runstate import posted_words

    table = Table(show_header=False, box=None, padding=(0, 2))
    rows: list[tuple[str, int | str]] = [("candidates", t.candidates), ("need review", t.invalid)]
    if t.unbuildable:
        rows.append(("could not be sent (flagged)", t.unbuildable))
    if report.dry_run:
        rows.append(("would post", t.would_post))
    else:
        rows += [("posted", posted_words(t.posted + t.already_posted, t.already_posted)),
                 ("rejected by Intacct", t.failed), ("unconfirmed", t.unconfirmed)]
    rows += [("values pulled", t.values_pulled), ("campaigns created", t.campaigns_created),
             ("campaigns made inactive", t.campaigns_deactivated)]
    for label, value in rows:
        table.add_row(label, str(value))
    out.print(table)
    if len(t.by_kind) > 1 or set(t.by_kind) - {"journal_entry"}:
        kinds = Table("kind", "candidates", "posted", "already posted", "need review", "waiting", "rejected",
                      title="By kind", box=None)
        for name, c in t.by_kind.items():
            kinds.add_row(name.replace("_", " "), *(str(c.get(k, 0)) for k in (
                "candidates", "posted", "already_posted", "invalid", "waiting", "failed")))
        out.print(kinds)
    if report.message:
        out.print(report.message)


def print_review(bridge: Bridge, dry_run_id: int | None, out: Console = console, limit: int = 25) -> None:
    """The review queue (or, for a dry run, the invalid records it found) with every reason."""
    rows: list[tuple[str, str, str, str, str]] = []   # (record kind, record, id, summary, reasons)
    remedies: set[str] = set()
    steps: set[str] = set()
    if dry_run_id is not None:
        for line in bridge.run_log(dry_run_id, outcome="invalid", limit=limit):
            rows.append((line.record_kind, _named(line.record_kind, line.external_id), str(line.action_id),
                         line.summary or "", line.message or ""))
    else:
        for entry in bridge.review_queue(limit):
            remedies |= {r["remedy"] for r in entry.reasons}
            steps |= {r.get("step", "") for r in entry.reasons}
            rows.append((entry.record_kind, _named(entry.record_kind, entry.external_id), str(entry.action_id),
                         entry.summary or "", "\n".join(f"{r['message']}\n  fix: {r['fix']}" for r in entry.reasons)))
    kinds = {row[0] for row in rows}
    only_actions = kinds <= {"journal_entry"}
    table = Table("action" if only_actions else "record", "id", "summary", "reasons",
                  title="Actions that need review" if only_actions else "Records that need review")
    for row in rows:
        table.add_row(*row[1:])
    out.print(table)
    if dry_run_id is not None:
        out.print("Fix each reason as it says, then run `intacct-bridge sync` again.")
        return
    for hint in fix_hints(remedies, steps):
        out.print(hint)
    out.print("Then run `intacct-bridge sync` again.")


def _named(record_kind: str, external_id: str) -> str:
    return external_id if record_kind == "journal_entry" else f"{record_kind.replace('_', ' ')} {external_id}"


def runs_list(workspace: WorkspaceOption = None,
              limit: Annotated[int, typer.Option(help="How many runs, newest first.")] = 20,
              as_csv: CsvOption = False) -> None:
    """Past runs, newest first (API transactions and every record's outcome: `runs show RUN`)."""
    with opened(workspace) as bridge:
        if as_csv:
            bridge.export_csv("runs", sys.stdout)
            return
        # Fits 80 columns: no vertical rules, one-space padding, "posted of candidates" in one column;
        # the status wraps between words ("completed with errors"), ids and times never wrap.
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
        table.add_column("run", justify="right", no_wrap=True)
        table.add_column("started (UTC)", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("status")
        table.add_column("posted", justify="right", no_wrap=True)
        for name in ("failed", "review", "secs"):
            table.add_column(name, justify="right", no_wrap=True)
        for run in bridge.runs(limit):
            kind = "dry run" if run.dry_run else ("one action" if run.only_action_id else run.trigger)
            posted = f"{run.posted} of {run.candidates}"
            table.add_row(str(run.id), f"{run.started_at:%Y-%m-%d %H:%M}", kind, run.status.replace("_", " "),
                          posted, str(run.failed), str(run.invalid),
                          f"{run.seconds:.1f}" if run.seconds is not None else "")
        console.print(table)


def runs_show(run_id: int, workspace: WorkspaceOption = None,
              outcome: Annotated[str | None, typer.Option(help="Only this outcome (posted, failed, invalid…).")] = None,
              limit: Annotated[int, typer.Option(help="How many actions to list.")] = 100) -> None:
    """One run: its counts, message and every action's outcome with Intacct's message."""
    with opened(workspace) as bridge:
        run = bridge.run(run_id)
        if run is None:
            fail(f"no run {run_id} in this workspace: see `intacct-bridge runs list`", EXIT_FAILED)
        console.print(f"Run {run.id}: [bold]{run.status}[/], started {run.started_at:%Y-%m-%d %H:%M:%S} UTC, "
                      f"{run.api_transactions} API transactions")
        for key, value in (run.details or {}).items():
            if key == "seconds" and value:
                console.print("  seconds: " + ", ".join(f"{step} {s:.2f}" for step, s in value.items()))
            elif value:
                console.print(f"  {key.replace('_', ' ')}: {value}")
        if run.message:
            console.print(run.message)
        table = Table("action", "id", "outcome", "message / defaults used")
        for line in bridge.run_log(run_id, outcome, limit):
            extra = "; ".join(d.get("note") or (f"{d.get('campaign', '')} (rule {d['rule']})" if d.get("rule")
                                                else d.get("campaign", "")) for d in line.defaults_used or [])
            table.add_row(line.external_id, str(line.action_id), line.outcome,
                          line.message or (f"defaults: {extra}" if extra else ""))
        console.print(table)


def status(workspace: WorkspaceOption = None) -> None:
    """Connection, last sync and its result, what waits, what needs review."""
    with opened(workspace) as bridge:
        s = bridge.status()
    rows: list[tuple[str, Any]] = [("workspace", s.workspace)]
    if s.connected:
        test = {True: "passed", False: "failed", None: "not run"}[s.last_test_ok]
        rows += [("connected", f"{s.user_id} at {s.company_id}"), ("endpoint", s.endpoint or "operator default"),
                 ("connection test", test + (f" — {s.last_test_message}" if s.last_test_ok is False else ""))]
    else:
        rows.append(("connected", "no — run `intacct-bridge connect`"))
    rows.append(("last sync", f"{s.last_sync_at:%Y-%m-%d %H:%M:%S} UTC" if s.last_sync_at else "never"))
    if s.last_run:
        rows.append(("last run", f"#{s.last_run.id} {s.last_run.status}"
                     + (f" — {s.last_run.message}" if s.last_run.message else "")))
    rows += [("running now", s.running or "no"),
             ("actions", ", ".join(f"{n} {k}" for k, n in sorted(s.actions_by_status.items())) or "none"),
             ("need review", s.needs_review)]
    table = Table(show_header=False, box=None, padding=(0, 2))
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)



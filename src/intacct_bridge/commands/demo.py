"""`intacct-bridge demo`: the whole story on a fresh machine, against the bundled emulator.

Starts the emulator on a free port, creates a sample workspace in a temporary
database, tests the connection, pulls, imports a small nonprofit's actions,
runs a sync that halts on the deliberately invalid ones, fixes them the way a
person would (tagging campaigns), syncs again, and reconciles local totals with
the emulator's ledger. Exit 0 only when every total matches.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from cryptography.fernet import Fernet
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.commands.sync import print_report, print_review, progress_bars
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.vocabulary import PostingState, RunStatus
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import open_store
from intacct_bridge.store.models import Posting, Workspace
from intacct_bridge.sync.sample import SampleData, generate
from intacct_bridge.sync.sample_load import apply_fix, create_connected_workspace, fix_command, load_sample

COMPANY = "helping-hands"
console = Console()


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
    from intacct_emulator.harness import start_emulator  # the product needs the emulator only here

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="intacct-bridge-demo-") as scratch, start_emulator(seed="demo") as emu:
        _configure_environment(emu.credentials, Path(scratch))
        database_url = f"sqlite:///{Path(scratch) / 'demo.db'}"
        console.print(Rule("1. An Intacct company (the emulator)"))
        console.print(f"Emulator at {emu.url}, company [bold]{COMPANY}[/], Web Services user ws_bridge.")
        bridge = _workspace(database_url, emu.credentials)
        ok = _story(bridge, emu, actions, seed)
        console.print(Rule())
        console.print(f"Demo finished in {time.monotonic() - started:.1f}s.")
        if serve:
            _serve(bridge)
        elif keep_running:
            _wait(emu.url, database_url)
        bridge.close()
    if not ok:
        raise typer.Exit(1)


def _configure_environment(credentials: dict[str, str], scratch: Path) -> None:
    """The operator configuration of this process: the emulator's sender, a throwaway key and data dir."""
    for name in ("INTACCT_ENDPOINT", "INTACCT_SENDER_ID", "INTACCT_SENDER_PASSWORD"):
        os.environ[name] = credentials[name]
    os.environ["INTACCT_BRIDGE_SECRET_KEY"] = Fernet.generate_key().decode()
    os.environ["INTACCT_BRIDGE_DATA_DIR"] = str(scratch)


def _workspace(database_url: str, credentials: dict[str, str]) -> Bridge:
    operator = OperatorSettings()
    store = open_store(database_url)
    workspace_id = create_connected_workspace(store, "Helping Hands (demo)", credentials, SecretBox.from_settings(operator),
                                              allowed=operator.endpoint_policy())
    console.print("Workspace [bold]helping-hands-demo[/] connected; locations Require, departments Available, "
                  "classes Exclude, custom field Fund Available; individual posting dates; journal GJ.")
    return Bridge(store, workspace_id, operator)


def _story(bridge: Bridge, emu, actions: int, seed: int) -> bool:
    console.print(Rule("2. Test the connection"))
    connection = bridge.test_connection()
    for check in connection.checks:
        console.print(f"  {'[green]ok[/]' if check.ok else '[red]failed[/]'}  {check.name}")
    if not connection.ok:
        console.print(f"[red]{connection.summary()}[/]")
        return False

    console.print(Rule("3. Pull accounts and dimensions"))
    with progress_bars() as bars:
        totals = bridge.pull(bars)
    console.print(f"{totals.values} values pulled; {totals.created} CR/DR campaigns created.")

    console.print(Rule("4. Import the organization's actions"))
    data = generate(seed, actions=actions)
    load_sample(bridge.store, bridge.workspace_id, data)
    console.print(f"{len(data.actions)} donations, memberships and tickets from {len(data.constituents)} "
                  f"constituents; {sum(a.excluded for a in data.actions)} tagged Exclude from Sage Intacct.")

    console.print(Rule("5. Sync: the gate halts on invalid actions"))
    with progress_bars() as bars:
        halted = bridge.sync(progress=bars)
    print_report(halted)
    if halted.tally.invalid:
        print_review(bridge, None)

    console.print(Rule("6. Fix the flagged actions by tagging campaigns"))
    _fix(bridge, data)

    console.print(Rule("7. Sync again"))
    with progress_bars() as bars:
        done = bridge.sync(progress=bars)
    print_report(done)

    console.print(Rule("8. Reconcile with the Intacct ledger"))
    return _reconcile(bridge, emu) and done.status is RunStatus.SUCCEEDED


def _fix(bridge: Bridge, data: SampleData) -> None:
    fixes = {a.external_id: a.fix for a in data.actions if a.fix}
    for entry in bridge.review_queue():
        fix = fixes.get(entry.external_id)
        if fix is None:
            console.print(f"  {entry.external_id}: no fix known; it stays in review")
            continue
        apply_fix(bridge.store, bridge.workspace_id, entry.external_id, fix)
        console.print(f"  [dim]{entry.reasons[0]['message']}[/]\n  $ {fix_command(entry.external_id, fix)}",
                      highlight=False)


def _reconcile(bridge: Bridge, emu) -> bool:
    """Local totals per account and side (from what was posted) against the emulator's ledger."""
    with bridge.store.session() as session:
        uid = session.get(Workspace, bridge.workspace_id).uid
        posted = list(session.scalars(select(Posting.request_summary).where(
            Posting.workspace_id == bridge.workspace_id, Posting.state == PostingState.POSTED.value)))
    local: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for summary in posted:
        local[(summary["debit"], "debit")] += Decimal(summary["amount"])
        local[(summary["credit"], "credit")] += Decimal(summary["amount"])
    ledger = [e for e in emu.admin.ledger(COMPANY, "GLBATCH") if e.get("REFERENCENO", "").startswith(f"ib-{uid}-")]
    remote: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in ledger:
        for line in entry["ENTRIES"]:
            side = "debit" if line["TR_TYPE"] == "1" else "credit"
            remote[(line["ACCOUNTNO"], side)] += Decimal(line["TRX_AMOUNT"])
    table = Table("account", "side", "local", "Intacct", "", title="Totals per account")
    matched = True
    for key in sorted(set(local) | set(remote)):
        same = local[key] == remote[key]
        matched &= same
        table.add_row(key[0], key[1], f"{local[key]:,.2f}", f"{remote[key]:,.2f}", "[green]✓[/]" if same else "[red]✗[/]")
    console.print(table)
    count_ok = len(posted) == len(ledger)
    total_local = sum(Decimal(s["amount"]) for s in posted)
    total_remote = sum(Decimal(line["TRX_AMOUNT"]) for e in ledger for line in e["ENTRIES"] if line["TR_TYPE"] == "1")
    reconciled = matched and count_ok and total_local == total_remote
    verdict = "[green]reconciled[/]" if reconciled else "[red]MISMATCH[/]"
    console.print(f"Journal entries: {len(posted)} posted locally, {len(ledger)} in Intacct; "
                  f"total {total_local:,.2f} local, {total_remote:,.2f} in Intacct — {verdict}.")
    return reconciled


def _serve(bridge: Bridge) -> None:
    """The web console on the demo's store and workspace, while the emulator still runs."""
    from intacct_bridge.web.server import serve_console

    slug = bridge.status().workspace
    serve_console(bridge.store, workspace=slug, operator=bridge.operator,
                  announce=lambda line: console.print(line, highlight=False, soft_wrap=True))


def _wait(url: str, database_url: str) -> None:
    console.print(f"Emulator still running at {url}; demo database {database_url}. Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass

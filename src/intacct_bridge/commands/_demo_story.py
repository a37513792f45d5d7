"""The story `intacct-bridge demo` tells: the whole story on a fresh machine, against the bundled emulator.

Starts the emulator on a free port, creates a sample workspace in a temporary
database, tests the connection, pulls, imports a small nonprofit's actions,
runs a sync that halts on the deliberately invalid ones, fixes them the way a
person would (tagging campaigns), syncs again, and reconciles what was posted with
what Intacct holds (no drift); then edits and deletes entries through the emulator's
admin endpoints (the reconciliation names them), and edits a posted donation at the
source (a reversal, then the corrected entry); posts at the entity level of a multi-entity company
(`_demo_entities`); pushes vendors and items and posts AP bills (`_demo_payables`). Exit 0 only when each step shows what it should.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import typer
from cryptography.fernet import Fernet
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.commands._demo_closed_period import closed_period_story
from intacct_bridge.commands.reconcile import print_report as print_reconciliation
from intacct_bridge.commands._demo_entities import multi_entity_story
from intacct_bridge.commands._demo_payables import payables_story
from intacct_bridge.commands._demo_summaries import summary_story
from intacct_bridge.commands.sync import print_report, print_review, progress_bars
from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.identifiers import reference_no
from intacct_bridge.domain.vocabulary import ActionStatus, PostedChanges, RunStatus
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import open_store
from intacct_bridge.store.models import Action, Workspace, utcnow
from intacct_bridge.store.repositories.posted_changes import CHANGED, supersede
from intacct_bridge.store.repositories.receivables import update_receivables_settings
from intacct_bridge.store.repositories.settings import SettingsChange, update_settings
from intacct_bridge.sync.receivables.balances import expected_balances
from intacct_bridge.sync.sample import SampleData, generate
from intacct_bridge.sync.sample_shop import INVALID_ORDER, SHOP_SETTINGS, ShopData
from intacct_bridge.sync.sample_shop import generate as shop_sample
from intacct_bridge.sync.sample_load import apply_fix, create_connected_workspace, fix_command, load_sample

COMPANY = "helping-hands"
console = Console()


def run_demo(actions: int, keep_running: bool, serve: bool, seed: int) -> None:
    """The `demo` command's work (see the module's docstring); exits 1 when a step did not show what it should."""
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

    console.print(Rule("4. Import the organization's actions and its shop's orders"))
    data = generate(seed, actions=actions)
    load_sample(bridge.store, bridge.workspace_id, data)
    console.print(f"{len(data.actions)} donations, memberships and tickets from {len(data.constituents)} "
                  f"constituents; {sum(a.excluded for a in data.actions)} tagged Exclude from Sage Intacct.")
    shop = shop_sample(seed)
    _load_shop(bridge, shop)

    console.print(Rule("5. Sync: the journal-entry gate halts on invalid actions; the shop's valid records post"))
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
    journal_ok = _reconcile(bridge)

    console.print(Rule("9. The shop: one order held for review, AR balances per customer"))
    print_review(bridge, None)
    held_ok = _reconcile_receivables(bridge, emu)

    console.print(Rule("10. The shop corrects the order in its system; the next sync posts it"))
    corrected = next(dict(i) for i in shop.invoices if i["external_id"] == INVALID_ORDER)
    corrected["due_date"] = corrected["date"]
    bridge.import_invoices([corrected])
    console.print(f"  {INVALID_ORDER}: due date set to {corrected['date']} and imported again.")
    with progress_bars() as bars:
        last = bridge.sync(progress=bars)
    print_report(last)
    final_ok = _reconcile_receivables(bridge, emu)

    console.print(Rule("11. Someone changes an entry and deletes another in Intacct: reconcile finds the drift"))
    drift_ok, drifted = _drift(bridge, emu)

    console.print(Rule("12. A donation edited after posting: a reversal, then the corrected entry"))
    edit_ok = _edit_after_posting(bridge, emu, drifted)
    entities_ok = multi_entity_story(bridge, emu.credentials, emu, console)
    payables_ok = payables_story(bridge, emu, console, chapter=16)

    console.print(Rule("18. A donation dated in a closed period posts on the first day of the next open period"))
    closed_ok = closed_period_story(bridge, emu, COMPANY, data, console)
    summaries_ok = summary_story(bridge, emu, COMPANY, data, console, chapter=19)
    return (journal_ok and held_ok and final_ok and last.status is RunStatus.SUCCEEDED and drift_ok and edit_ok
            and entities_ok and payables_ok and closed_ok and summaries_ok)


def _load_shop(bridge: Bridge, shop: ShopData) -> None:
    with bridge.store.write_session() as session:
        update_receivables_settings(session, bridge.workspace_id, SHOP_SETTINGS)
    bridge.import_customers(shop.customers)
    bridge.import_invoices(shop.invoices)
    bridge.import_payments(shop.payments)
    bridge.import_credit_memos(shop.credit_memos)
    console.print(f"The shop: {len(shop.customers)} customers ({len(shop.customers) // 2} already in Intacct, matched "
                  f"by name), {len(shop.invoices)} orders with discounts, shipping and tax, {len(shop.payments)} "
                  f"payments (full, partial, one across two orders), {len(shop.credit_memos)} credit memo; order "
                  f"{INVALID_ORDER} is due before it was placed. Customers, invoices and payments are held, not "
                  "halted, when invalid: the valid ones post.")


def _reconcile_receivables(bridge: Bridge, emu) -> bool:
    """Each customer's balance from the local records against the TOTALDUE of its invoices in Intacct."""
    with bridge.store.session() as session:
        local = expected_balances(session, bridge.workspace_id)
        uid = session.get(Workspace, bridge.workspace_id).uid
    remote: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in emu.admin.ledger(COMPANY, "ARINVOICE"):
        if invoice.get("EXTERNALID", "").startswith(f"ib-{uid}-"):
            remote[invoice["CUSTOMERID"]] += Decimal(invoice["TOTALDUE"])
    table = Table("customer", "local balance", "Intacct balance", "", title="AR balance per customer")
    matched = True
    for customer in sorted(set(local) | set(remote)):
        same = local.get(customer, Decimal("0.00")) == remote.get(customer, Decimal("0.00"))
        matched &= same
        table.add_row(customer, f"{local.get(customer, 0):,.2f}", f"{remote.get(customer, 0):,.2f}",
                      "[green]✓[/]" if same else "[red]✗[/]")
    console.print(table)
    console.print(f"AR balances — {'[green]reconciled[/]' if matched else '[red]MISMATCH[/]'}.")
    return matched


def _fix(bridge: Bridge, data: SampleData) -> None:
    fixes = {a.external_id: a.fix for a in data.actions if a.fix}
    for entry in bridge.review_queue():
        if entry.record_kind != "journal_entry":
            continue  # the shop's invalid order is fixed in the shop's own system: it stays held here
        fix = fixes.get(entry.external_id)
        if fix is None:
            console.print(f"  {entry.external_id}: no fix known; it stays in review")
            continue
        apply_fix(bridge.store, bridge.workspace_id, entry.external_id, fix)
        console.print(f"  [dim]{entry.reasons[0]['message']}[/]\n  $ {fix_command(entry.external_id, fix)}",
                      highlight=False)


def _reconcile(bridge: Bridge) -> bool:
    """What was posted against what Intacct holds now, read back page by page (`intacct-bridge reconcile`)."""
    report = bridge.reconcile()
    print_reconciliation(report)
    verdict = "[red]MISMATCH[/]" if report.drift else "[green]reconciled[/]"
    console.print(f"Journal entries: {report.compared} posted, {report.matched} held as posted in Intacct — "
                  f"{verdict}.")
    return not report.drift


def _drift(bridge: Bridge, emu) -> tuple[bool, set[str]]:
    """Someone edits one entry and deletes another in Intacct; the reconciliation names both."""
    with bridge.store.session() as session:
        uid = session.get(Workspace, bridge.workspace_id).uid
    ours = [e for e in emu.admin.ledger(COMPANY, "GLBATCH") if e.get("REFERENCENO", "").startswith(f"ib-{uid}-")]
    changed, deleted = ours[0], ours[1]
    more = str(Decimal(changed["ENTRIES"][0]["TRX_AMOUNT"]) + 10)
    emu.admin.update_record(COMPANY, "GLBATCH", changed["RECORDNO"],
                            lines=[{"line": 0, "fields": {"TRX_AMOUNT": more}}, {"line": 1, "fields": {"TRX_AMOUNT": more}}])
    emu.admin.delete_record(COMPANY, "GLBATCH", deleted["RECORDNO"])
    console.print(f"  In Intacct: {changed['REFERENCENO']} changed to {more}; {deleted['REFERENCENO']} deleted.")
    report = bridge.reconcile()
    print_reconciliation(report)
    found = ([c.ours.reference for c in report.changed] == [changed["REFERENCENO"]]
             and [m.reference for m in report.missing] == [deleted["REFERENCENO"]])
    console.print("Drift found, as expected: exit code 6 from `intacct-bridge reconcile`." if found
                  else "[red]MISMATCH: the drift was not reported as expected[/]")
    return found, {changed["REFERENCENO"], deleted["REFERENCENO"]}


def _edit_after_posting(bridge: Bridge, emu, drifted: set[str]) -> bool:
    """A posted donation's amount changes at the source: a reversal of what was posted, then the corrected entry."""
    with bridge.store.write_session() as session:
        update_settings(session, bridge.workspace_id, SettingsChange(posted_changes=PostedChanges.REVERSE))
        uid = session.get(Workspace, bridge.workspace_id).uid
        action = next(a for a in session.scalars(select(Action).where(
            Action.workspace_id == bridge.workspace_id, Action.status == ActionStatus.POSTED.value,
            Action.type == "donation").order_by(Action.id)) if reference_no(uid, a.id) not in drifted)
        supersede(session, bridge.workspace_id, action, CHANGED, utcnow())
        action.amount = action.amount + Decimal("25.00")
        external_id, action_id = action.external_id, action.id
    console.print(f"  Settings: posted_changes = reverse. Donation {external_id} changed at the source "
                  "(amount + 25.00) after it was posted.")
    with progress_bars() as bars:
        run = bridge.sync(progress=bars)
    print_report(run)
    prefix = reference_no(uid, action_id)
    table = Table("reference", "date", "debit", "description", title=f"Donation {external_id} in Intacct")
    for entry in emu.admin.ledger(COMPANY, "GLBATCH"):
        reference, reverses = entry.get("REFERENCENO", ""), f"{prefix} " in entry.get("BATCH_TITLE", "")
        if reference == prefix or reference.startswith(f"{prefix}-v") or reverses:
            debit = sum(Decimal(line["TRX_AMOUNT"]) for line in entry["ENTRIES"] if line["TR_TYPE"] == "1")
            table.add_row(entry["REFERENCENO"], entry["BATCH_DATE"], f"{debit:,.2f}", entry["BATCH_TITLE"][:70])
    console.print(table)
    report = bridge.reconcile()
    still = {c.ours.reference for c in report.changed} | {m.reference for m in report.missing}
    ok = run.status is RunStatus.SUCCEEDED and still == drifted and not report.unrecorded
    console.print(f"Reconciled again: {report.matched} match, only the two entries changed in Intacct differ — "
                  f"{'[green]as expected[/]' if ok else '[red]MISMATCH[/]'}.")
    return ok


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

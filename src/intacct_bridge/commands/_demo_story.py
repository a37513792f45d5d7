"""The story `intacct-bridge demo` tells, step by step (imported only when the demo runs)."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

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
from intacct_bridge.store.repositories.receivables import update_receivables_settings
from intacct_bridge.sync.receivables.balances import expected_balances
from intacct_bridge.sync.sample import SampleData, generate
from intacct_bridge.sync.sample_shop import INVALID_ORDER, SHOP_SETTINGS, ShopData
from intacct_bridge.sync.sample_shop import generate as shop_sample
from intacct_bridge.sync.sample_load import apply_fix, create_connected_workspace, fix_command, load_sample

COMPANY = "helping-hands"
console = Console()


def configure_environment(credentials: dict[str, str], scratch: Path) -> None:
    """The operator configuration of this process: the emulator's sender, a throwaway key and data dir."""
    for name in ("INTACCT_ENDPOINT", "INTACCT_SENDER_ID", "INTACCT_SENDER_PASSWORD"):
        os.environ[name] = credentials[name]
    os.environ["INTACCT_BRIDGE_SECRET_KEY"] = Fernet.generate_key().decode()
    os.environ["INTACCT_BRIDGE_DATA_DIR"] = str(scratch)


def open_workspace(database_url: str, credentials: dict[str, str]) -> Bridge:
    operator = OperatorSettings()
    store = open_store(database_url)
    workspace_id = create_connected_workspace(store, "Helping Hands (demo)", credentials, SecretBox.from_settings(operator),
                                              allowed=operator.endpoint_policy())
    console.print("Workspace [bold]helping-hands-demo[/] connected; locations Require, departments Available, "
                  "classes Exclude, custom field Fund Available; individual posting dates; journal GJ.")
    return Bridge(store, workspace_id, operator)


def tell_story(bridge: Bridge, emu, actions: int, seed: int) -> bool:
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
    journal_ok = _reconcile(bridge, emu)

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
    return journal_ok and held_ok and final_ok and last.status is RunStatus.SUCCEEDED


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


def _reconcile(bridge: Bridge, emu) -> bool:
    """Local totals per account and side (from what was posted) against the emulator's ledger."""
    with bridge.store.session() as session:
        uid = session.get(Workspace, bridge.workspace_id).uid
        posted = list(session.scalars(select(Posting.request_summary).where(
            Posting.workspace_id == bridge.workspace_id, Posting.record_kind == "journal_entry",
            Posting.state == PostingState.POSTED.value)))
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


def serve_console_on(bridge: Bridge) -> None:
    """The web console on the demo's store and workspace, while the emulator still runs."""
    from intacct_bridge.web.server import serve_console

    slug = bridge.status().workspace
    serve_console(bridge.store, workspace=slug, operator=bridge.operator,
                  announce=lambda line: console.print(line, highlight=False, soft_wrap=True))


def wait_for_ctrl_c(url: str, database_url: str) -> None:
    console.print(f"Emulator still running at {url}; demo database {database_url}. Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass

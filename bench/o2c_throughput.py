"""Sync an order-to-cash load into the emulator (zero added latency) and report throughput and cost.

    python bench/o2c_throughput.py [--orders 1000] [--per-customer 5]

1,000 orders and 1,000 payments (one per order: in full, or in part), plus the customers they need
(one new customer per `--per-customer` orders; a few of them already in Intacct and matched by name).
The emulator runs in its own process; the records are imported before the measured process starts.

Prints `records_per_second` (records written to Intacct: customers created, invoices, payments, per
second of the sync), `sync_cpu_seconds` (the sync process's CPU time), `api_transactions` (what the client counted) and `api_transactions_minimum`:
what any correct run must spend, one per record written plus one per query page the run must read.
Those pages are the pull's (one per 2,000 accounts, and per 2,000 values of each mapped dimension)
and Intacct's customers, read once (one per 2,000) to match before any is created, and the AR balances:
open invoices and payments before the gate, and the invoices and payments that changed after posting
(one page per 2,000 of each). Nothing else
must be read: a payment applies to the RECORDNO each invoice's create answered, which is kept, and
no invoice number is read back when no credit memo needs it. A run that looks records up one by one,
reads a page twice or writes a customer twice spends more, and the two figures differ.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sync_throughput import PAGE, emulator, operator_env, pulled_object_sizes

SYNC = """
import json, resource, sys, time
from intacct_bridge.api import Bridge

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

bridge = Bridge.open(int(sys.argv[2]), database_url=sys.argv[1])
started, cpu_before = time.perf_counter(), cpu()
report = bridge.sync()
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_before
print(json.dumps({"status": report.status.value, "message": report.message, "seconds": seconds,
                  "cpu_seconds": cpu_seconds, "by_kind": report.tally.by_kind,
                  "api_transactions": report.api_transactions}), flush=True)
"""

SETTINGS = {"revenue_account": "4600", "undeposited_account": "1100", "shipping_account": "4500",
            "discount_account": "4600", "tax_account": "2600"}
MATCHED = ("Jane Alvarez", "Maple Street Grocers", "Tom O'Brien")   # customers the demo company already has


def shop(orders: int, per_customer: int) -> tuple[list[dict], list[dict], list[dict]]:
    """Customers, orders (1 to 3 lines, some with shipping) and one payment per order."""
    count = math.ceil(orders / per_customer)
    customers = [{"external_id": f"c{n}", "name": MATCHED[n] if n < len(MATCHED) else f"Bench Customer {n}",
                  "email": f"c{n}@bench.example"} for n in range(count)]
    invoices, payments = [], []
    for n in range(orders):
        lines = [{"gl_account": "4500", "quantity": str(1 + (n + k) % 3), "price": f"{10 + (n * 7 + k) % 90}.00",
                  "description": f"Item {k}"} for k in range(1 + n % 3)]
        total = sum(int(line["quantity"]) * int(line["price"][:-3]) for line in lines) + (5 if n % 4 == 0 else 0)
        invoice = {"external_id": f"o{n}", "customer": f"c{n % count}", "date": "2026-11-02",
                   "due_date": "2026-12-02", "lines": lines}
        if n % 4 == 0:
            invoice["shipping"] = "5.00"
        invoices.append(invoice)
        paid = f"{total}.00" if n % 3 else f"{total // 2}.00"
        payments.append({"external_id": f"p{n}", "customer": f"c{n % count}", "date": "2026-11-20", "amount": paid,
                         "method": "card", "applications": [{"invoice": f"o{n}", "amount": paid}]})
    return customers, invoices, payments


def prepare(database_url: str, credentials: dict[str, str], env: dict[str, str], orders: int,
            per_customer: int) -> int:
    """A connected, pulled workspace with the order-to-cash settings and the shop imported."""
    os.environ.update(env)
    from intacct_bridge.api import Bridge
    from intacct_bridge.crypto import SecretBox
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.database import open_store
    from intacct_bridge.store.repositories.receivables import update_receivables_settings
    from intacct_bridge.sync.sample_load import create_connected_workspace

    store = open_store(database_url)
    operator = OperatorSettings()
    workspace_id = create_connected_workspace(store, "Bench", credentials, SecretBox.from_settings(operator))
    with store.write_session() as session:
        update_receivables_settings(session, workspace_id, SETTINGS)
    bridge = Bridge(store, workspace_id, operator)
    bridge.pull()
    customers, invoices, payments = shop(orders, per_customer)
    bridge.import_customers(customers)
    bridge.import_invoices(invoices)
    bridge.import_payments(payments)
    store.dispose()
    return workspace_id


def intacct_customers(credentials: dict[str, str]) -> int:
    return ledger_size(credentials, "CUSTOMER")


OPEN = ("Posted", "Partially Paid")


def ledger_size(credentials: dict[str, str], object_name: str, states: tuple[str, ...] | None = None) -> int:
    """How many records of `object_name` the emulator holds for the company (only in `states`, if given)."""
    from intacct_emulator.harness import AdminClient

    admin = AdminClient(credentials["INTACCT_ENDPOINT"].split("/ia/")[0])
    try:
        rows = admin.ledger(credentials["INTACCT_COMPANY_ID"], object_name)
        return sum(1 for r in rows if states is None or r.get("STATE") in states)
    finally:
        admin.close()


def bench(orders: int, per_customer: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-o2c-") as tmp:
        scratch = Path(tmp)
        with emulator(scratch) as credentials:
            env = operator_env(credentials, scratch)
            database_url = f"sqlite:///{scratch / 'bridge.db'}"
            workspace_id = prepare(database_url, credentials, env, orders, per_customer)
            customers_before = intacct_customers(credentials)
            open_before, payments_before = ledger_size(credentials, "ARINVOICE", OPEN), ledger_size(credentials, "ARPYMT")
            done = subprocess.run([sys.executable, "-c", SYNC, database_url, str(workspace_id)], env=env,
                                  capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["pages"] = [max(1, math.ceil(n / PAGE))
                               for n in pulled_object_sizes(database_url, workspace_id, credentials)]
            result["pages"].append(max(1, math.ceil(customers_before / PAGE)))
            # AR balances read before the gate (open invoices, payments) and after posting (what changed: every
            # invoice and payment of this fresh company moved within the run)
            after = (ledger_size(credentials, "ARINVOICE"), ledger_size(credentials, "ARPYMT"))
            result["pages"] += [max(1, math.ceil(n / PAGE)) for n in (open_before, payments_before, *after)]
    kinds = result["by_kind"]
    if result["status"] != "succeeded" or kinds["invoice"]["posted"] != orders or kinds["payment"]["posted"] != orders:
        raise SystemExit(f"the sync did not post everything: {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--per-customer", type=int, default=5)
    args = parser.parse_args()
    result = bench(args.orders, args.per_customer)
    written = {kind: counts["posted"] for kind, counts in result["by_kind"].items()}
    records = sum(written.values())
    print(f"customers_created: {written.get('customer', 0)}")
    print(f"invoices: {written['invoice']}")
    print(f"payments: {written['payment']}")
    print(f"seconds: {result['seconds']:.2f}")
    print(f"records_per_second: {records / result['seconds']:.0f}")
    print(f"sync_cpu_seconds: {result['cpu_seconds']:.2f}")  # the rest of `seconds` is waiting on the gateway
    print(f"api_transactions: {result['api_transactions']}")
    print(f"api_transactions_minimum: {records + sum(result['pages'])}")


if __name__ == "__main__":
    main()

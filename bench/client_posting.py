"""Post 1,000 journal entries to the emulator three ways and compare.

The emulator answers each request after 50 ms plus 5 ms per function and lets
a company run 2 requests at once, roughly like a tier-1 Intacct company.

    sequential  one function per request, one request at a time (what public clients do)
    batched     100 functions per request, one request at a time
    client      the full client: 100 per request, 2 requests at once, adaptive limiter

Each way runs against a fresh emulator, so its counters and ledger are its own.
Prints `W_seconds`, `W_requests`, `W_api_transactions` (the emulator's counters,
sign-in included) for each way W, then `speedup_vs_sequential` (sequential
time / client time) and `entries_in_ledger` (the client way's GLBATCH count).

    .venv/bin/python bench/client_posting.py [--entries 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal

from intacct_emulator.harness import start_emulator

from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient, functions as fn
from intacct_bridge.intacct.errors import FunctionError

COMPANY = "helping-hands"
WAYS = {  # way -> (functions per request, concurrent requests)
    "sequential": (1, 1),
    "batched": (100, 1),
    "client": (100, 2),
}


def entries(count: int, way: str) -> list[fn.Create]:
    today = datetime.now(timezone.utc).date()
    out = []
    for i in range(count):
        amount = Decimal("25.00") + Decimal(i % 100)
        ref = f"BENCH-{way}-{i:05d}"
        out.append(fn.Create("GLBATCH", {
            "JOURNAL": "GJ", "BATCH_DATE": today, "BATCH_TITLE": f"Donation {ref}", "REFERENCENO": ref,
            "ENTRIES": {"GLENTRY": [
                {"ACCOUNTNO": "1000", "TR_TYPE": 1, "TRX_AMOUNT": amount},
                {"ACCOUNTNO": "4000", "TR_TYPE": -1, "TRX_AMOUNT": amount},
            ]},
        }, controlid=f"bench-{way}-{i:05d}"))
    return out


def run_way(way: str, count: int) -> dict[str, float]:
    batch_size, concurrency = WAYS[way]
    with start_emulator(seed="demo", latency_ms=50, per_function_ms=5, concurrency=2) as emu:
        creds = Credentials.from_env(emu.credentials)
        config = ClientConfig(endpoint=emu.url, batch_size=batch_size, max_concurrency=concurrency)
        work = entries(count, way)
        with IntacctClient(creds, config) as client:
            started = time.perf_counter()
            outcomes = client.execute_many(work)  # batch_size and max_concurrency make it sequential or not
            seconds = time.perf_counter() - started
        failed = [o for o in outcomes if isinstance(o, FunctionError)]
        if failed:
            print(f"{way}: {len(failed)} entries failed, first: {failed[0]}", file=sys.stderr)
        usage = emu.admin.usage()[COMPANY]
        ledger = [r for r in emu.admin.ledger(COMPANY, "GLBATCH") if r.get("REFERENCENO", "").startswith(f"BENCH-{way}-")]
        return {"seconds": seconds, "requests": usage["requests"], "api_transactions": usage["api_transactions"],
                "ledger": len(ledger), "violations": usage["concurrency_violations"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    figures = {}
    for way in WAYS:
        figures[way] = run_way(way, args.entries)
        f = figures[way]
        print(f"{way}_seconds: {f['seconds']:.2f}")
        print(f"{way}_requests: {f['requests']}")
        print(f"{way}_api_transactions: {f['api_transactions']}", flush=True)
        if f["ledger"] != args.entries or f["violations"]:
            print(f"{way}: ledger holds {f['ledger']} entries, {f['violations']} concurrency violations", file=sys.stderr)
    print(f"speedup_vs_sequential: {figures['sequential']['seconds'] / figures['client']['seconds']:.1f}")
    print(f"entries_in_ledger: {figures['client']['ledger']}")


if __name__ == "__main__":
    main()

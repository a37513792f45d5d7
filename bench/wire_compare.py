"""Post 1,000 journal entries over each wire (XML gateway, REST API) on the same emulator and compare.

    python bench/wire_compare.py [--entries 1000] [--latency-ms 50] [--per-record-ms 5] [--concurrency 2]

The emulator answers each request after `latency_ms` plus `per_record_ms` per function
(XML) or per record / subrequest (REST), and serves at most `concurrency` requests of the
company at once, across both wires. Each wire's client posts the same entries (fresh
controlids, so nothing is replayed) with its defaults: XML sends 100 functions a request
with uniqueid; REST sends composite requests of 10 writes, each under its own
Idempotency-Key. `rest_batch_*` is the REST client's other mode (one batch request of up
to 100 records of one object, one key derived from their controlids), for reference.
`*_requests` and `*_api_transactions` are the emulator's own counters (sign-in included).
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from decimal import Decimal
from typing import Any

from intacct_bridge.intacct import ClientConfig, Credentials, IntacctClient
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.oauth import RestCredentials
from intacct_bridge.intacct.rest_client import RestClient
from intacct_emulator.harness import start_emulator

COMPANY = "helping-hands"


def entries(prefix: str, count: int) -> list[fn.Function]:
    def payload(n: int) -> dict[str, Any]:
        lines = [{"ACCOUNTNO": account, "TR_TYPE": side, "TRX_AMOUNT": Decimal("12.34"), "LOCATION": "100",
                  "DESCRIPTION": f"bench {n}"} for account, side in (("1100", 1), ("4000", -1))]
        return {"JOURNAL": "GJ", "BATCH_DATE": date(2026, 11, 2), "BATCH_TITLE": f"bench {n}",
                "REFERENCENO": f"{prefix}{n}", "STATE": "Posted", "ENTRIES": {"GLENTRY": lines}}
    return [fn.Create("GLBATCH", payload(n), controlid=f"{prefix}{n}") for n in range(count)]


def run(emu: Any, make_client: Any, functions: list[fn.Function]) -> dict[str, float]:
    emu.admin.reset_usage()
    started = time.perf_counter()
    with make_client() as client:
        outcomes = client.execute_many(functions)
    seconds = time.perf_counter() - started
    failed = [o for o in outcomes if not getattr(o, "ok", False)]
    if failed:
        raise SystemExit(f"{len(failed)} entries failed, e.g. {failed[0]}")
    usage = emu.admin.usage().get(COMPANY, {})
    return {"seconds": seconds, "requests": usage.get("requests", 0),
            "api_transactions": usage.get("api_transactions", 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--per-record-ms", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    with start_emulator(seed="demo", concurrency=args.concurrency) as emu:
        emu.admin.set_config(latency_ms=args.latency_ms, per_function_ms=args.per_record_ms,
                             concurrency=args.concurrency)
        allowed = (emu.base_url,)
        rest_creds = RestCredentials(emu.client_id, emu.client_secret, COMPANY, emu.credentials["INTACCT_USER_ID"])

        def xml() -> IntacctClient:
            return IntacctClient(Credentials.from_env(emu.credentials),
                                 ClientConfig(endpoint=emu.url, allowed_endpoints=allowed,
                                              max_concurrency=args.concurrency))

        def rest(mode: str = "composite") -> Any:
            return lambda: RestClient(rest_creds, ClientConfig(endpoint=emu.rest_base_url, allowed_endpoints=allowed,
                                                               max_concurrency=args.concurrency, rest_writes=mode))

        figures = {"xml": run(emu, xml, entries("bx-", args.entries)),
                   "rest": run(emu, rest(), entries("br-", args.entries)),
                   "rest_batch": run(emu, rest("batch"), entries("bb-", args.entries))}
    print(f"entries: {args.entries}")
    for name in ("seconds", "requests", "api_transactions"):
        for wire in ("xml", "rest"):
            value = figures[wire][name]
            print(f"{wire}_{name}: {value:.2f}" if name == "seconds" else f"{wire}_{name}: {value}")
    for name, value in figures["rest_batch"].items():
        print(f"rest_batch_{name}: {value:.2f}" if name == "seconds" else f"rest_batch_{name}: {value}")


if __name__ == "__main__":
    main()

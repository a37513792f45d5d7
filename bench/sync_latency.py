"""Sync 1,000 actions through a gateway with latency and report how close it comes to the modelled floor.

    python bench/sync_latency.py [--actions 1000] [--latency-ms 50] [--per-function-ms 5] [--concurrency 2]

The emulator (in its own process) answers each request after `latency_ms` plus
`per_function_ms` per function, and serves at most `concurrency` requests of a
company at once. Posting N journal entries in requests of 100 functions cannot
take less than the issue's floor

    floor_seconds = N * per_function_ms / C + ceil(N / 100) * latency_ms / C

and `over_floor` = seconds / floor_seconds. That floor counts only the posting
requests. A run also makes other requests it cannot skip (sign-in, one page per
pulled dimension, lookups when something needs settling); they are counted from
the emulator's own usage counters and printed as `other_requests` and
`other_functions`, with `floor_all_seconds` — the floor of every request the run
made, as if they too ran `concurrency` at a time — and `over_floor_all`, so the
figure stays honest. `phase_*` lines are the run's own wall time per step.

The floor also assumes the gateway does its work in no time. Two figures, taken
from the sync process's own request timings, tell the two causes of the gap
apart: `post_slots_busy` is the mean number of posting requests on the wire
from the first one's start to the last one's end, divided by `concurrency` (1.0:
no slot ever waited on the engine), and `post_request_seconds` is the mean time
one posting request took, against `post_request_model_seconds` (latency plus
100 functions): the difference is the emulator's own processing, which the
floor does not model and which grows when the machine is busy.
The actions are loaded (and a first pull done) at zero latency before the
latency is switched on and the measured sync starts in a fresh process.
"""

from __future__ import annotations

import argparse
import math

from sync_throughput import SYNC, check_all_posted, measure, prepared

from intacct_emulator.harness import AdminClient

BATCH = 100  # functions per request: the client's default batch size

# The measured sync, with each request's start and end noted (seconds, and how many functions it held).
TIMED_SYNC = """
import json, time
from intacct_bridge.intacct import transport
_spans, _post = [], transport.SyncTransport.post
def _timed(self, url, body, context):
    began = time.perf_counter()
    try:
        return _post(self, url, body, context)
    finally:
        _spans.append((began, time.perf_counter(), body.count(b"<function ")))
transport.SyncTransport.post = _timed
""" + SYNC + """
print(json.dumps({"spans": _spans}), flush=True)
"""


def bench(count: int, latency_ms: float, per_function_ms: float, concurrency: int) -> dict:
    with prepared(count, "bench-latency-") as (credentials, env, database_url, workspace_id):
        admin = AdminClient(credentials["INTACCT_ENDPOINT"].split("/ia/")[0])
        try:
            admin.set_config(latency_ms=latency_ms, per_function_ms=per_function_ms, concurrency=concurrency)
            admin.reset_usage()
            result = measure(database_url, workspace_id, env, TIMED_SYNC)
            result["usage"] = admin.usage().get(credentials["INTACCT_COMPANY_ID"], {})
        finally:
            admin.close()
    check_all_posted(result, count)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--per-function-ms", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    result = bench(args.actions, args.latency_ms, args.per_function_ms, args.concurrency)
    n, c = result["posted"], args.concurrency
    posting_requests = math.ceil(n / BATCH)
    floor = (n * args.per_function_ms + posting_requests * args.latency_ms) / c / 1000
    usage = result["usage"]
    functions = sum(usage.get(k, 0) for k in ("functions_succeeded", "functions_failed", "functions_aborted"))
    other_requests = usage.get("requests", 0) - posting_requests
    other_functions = functions - n
    floor_all = floor + (other_functions * args.per_function_ms + other_requests * args.latency_ms) / c / 1000
    print(f"actions: {n}")
    print(f"seconds: {result['seconds']:.2f}")
    print(f"floor_seconds: {floor:.2f}")
    print(f"over_floor: {result['seconds'] / floor:.2f}")
    print(f"posting_requests: {posting_requests}")
    print(f"other_requests: {other_requests}")
    print(f"other_functions: {other_functions}")
    print(f"floor_all_seconds: {floor_all:.2f}")
    print(f"over_floor_all: {result['seconds'] / floor_all:.2f}")
    posts = [(began, ended) for began, ended, functions in result["spans"] if functions == BATCH]
    if posts:
        span = max(e for _, e in posts) - min(b for b, _ in posts)
        print(f"post_slots_busy: {sum(e - b for b, e in posts) / (c * span):.2f}")
        print(f"post_request_seconds: {sum(e - b for b, e in posts) / len(posts):.3f}")
        print(f"post_request_model_seconds: {(args.latency_ms + BATCH * args.per_function_ms) / 1000:.3f}")
    for phase, seconds in result["phases"].items():
        print(f"phase_{phase}_seconds: {seconds:.2f}")
    print(f"sync_cpu_seconds: {result['cpu_seconds']:.2f}")


if __name__ == "__main__":
    main()

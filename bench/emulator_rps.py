"""Requests per second the emulator serves on this machine, with zero added latency.

Starts an in-memory emulator with the demo seed, opens one API session, then
drives it from client threads in a separate load process (each thread with its
own keep-alive httpx client, so clients never share the server's GIL) for
a few seconds with a representative mix: a readByQuery page of GLACCOUNT and a
two-line GLBATCH create. The per-company limit is raised so the figure measures
the server, not its 429s. Prints `name: value` lines.

    python bench/emulator_rps.py [--seconds 5] [--processes 1] [--threads 8] [--write-share 0.5]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import httpx

from intacct_emulator.config import DEMO_CREDENTIALS as DEMO
from intacct_emulator.harness import start_emulator

SENDER = (f"<senderid>{DEMO['INTACCT_SENDER_ID']}</senderid>"
          f"<password>{DEMO['INTACCT_SENDER_PASSWORD']}</password>")
LOGIN = (f"<login><userid>{DEMO['INTACCT_USER_ID']}</userid><companyid>{DEMO['INTACCT_COMPANY_ID']}</companyid>"
         f"<password>{DEMO['INTACCT_USER_PASSWORD']}</password></login>")


def request(auth: str, controlid: str, function: str, uniqueid: str = "false") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><request><control>{SENDER}<controlid>{controlid}</controlid>'
        f"<uniqueid>{uniqueid}</uniqueid><dtdversion>3.0</dtdversion><includewhitespace>false</includewhitespace>"
        f"</control><operation><authentication>{auth}</authentication><content>"
        f'<function controlid="{controlid}">{function}</function></content></operation></request>'
    ).encode()


READ_PAGE = ("<readByQuery><object>GLACCOUNT</object><query>STATUS = 'active'</query>"
             "<fields>RECORDNO,ACCOUNTNO,TITLE,ACCOUNTTYPE,NORMALBALANCE,STATUS</fields>"
             "<pagesize>100</pagesize></readByQuery>")


def glbatch(reference: str) -> str:
    """A balanced two-line journal entry dated today (an open period in the demo company)."""
    today = datetime.now(UTC).date().strftime("%m/%d/%Y")
    return (
        f"<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>{today}</BATCH_DATE>"
        f"<BATCH_TITLE>Bench {reference}</BATCH_TITLE><REFERENCENO>{reference}</REFERENCENO><STATE>Posted</STATE>"
        "<ENTRIES>"
        "<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>125.00</TRX_AMOUNT></GLENTRY>"
        "<GLENTRY><ACCOUNTNO>4000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>125.00</TRX_AMOUNT></GLENTRY>"
        "</ENTRIES></GLBATCH></create>"
    )


def open_session(url: str) -> str:
    answer = httpx.post(url, content=request(LOGIN, "bench-open", "<getAPISession/>"), timeout=30).text
    return answer.split("<sessionid>")[1].split("</sessionid>")[0]


def drive(url: str, auth: str, window: tuple[float, float], write_share: float, first_number: int,
          outcomes: Counter, latencies: list[float], lock: threading.Lock) -> None:
    """One client: a keep-alive connection posting the mix from `window[0]` until `window[1]` (epoch seconds)."""
    local: Counter = Counter()
    local_latencies: list[float] = []
    start, deadline = window
    with httpx.Client(timeout=30) as client:
        time.sleep(max(0.0, start - time.time()))
        for n in itertools.count(first_number):
            if time.time() >= deadline:
                break
            # Evenly interleaved: exactly `write_share` of any run of requests are writes.
            kind = "write" if int((n + 1) * write_share) > int(n * write_share) else "read"
            body = request(auth, f"bench-{n}", glbatch(f"B{n}") if kind == "write" else READ_PAGE,
                           "true" if kind == "write" else "false")
            started = time.monotonic()
            response = client.post(url, content=body)
            local_latencies.append(time.monotonic() - started)
            ok = response.status_code == 200 and b"<status>failure</status>" not in response.content
            local[f"{kind}_{'ok' if ok else 'failed'}"] += 1
            if response.status_code == 429:
                local["http_429"] += 1
    with lock:
        outcomes.update(local)
        latencies.extend(local_latencies)


def client_process(url: str, auth: str, window: tuple[float, float], write_share: float, threads: int,
                   process_index: int) -> tuple[Counter, list[float]]:
    """A load process of `threads` clients: its own interpreter, so clients do not share the server's GIL."""
    outcomes: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    workers = [threading.Thread(target=drive, args=(url, auth, window, write_share,
                                                   (process_index * threads + i) * 10_000_000,
                                                   outcomes, latencies, lock)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--processes", type=int, default=1, help="load-generating processes")
    parser.add_argument("--threads", type=int, default=8, help="client threads per load process")
    parser.add_argument("--write-share", type=float, default=0.5)
    args = parser.parse_args()

    clients = args.processes * args.threads
    with start_emulator(db=":memory:", seed="demo", concurrency=clients * 2, latency_ms=0, log_level="error") as emu:
        auth = f"<sessionid>{open_session(emu.url)}</sessionid>"
        outcomes: Counter = Counter()
        latencies: list[float] = []
        with ProcessPoolExecutor(args.processes) as pool:
            start = time.time() + 1.5  # the load processes spin up before the clock starts
            window = (start, start + args.seconds)
            futures = [pool.submit(client_process, emu.url, auth, window, args.write_share, args.threads, index)
                       for index in range(args.processes)]
            for future in futures:
                part_outcomes, part_latencies = future.result()
                outcomes.update(part_outcomes)
                latencies.extend(part_latencies)

    total = len(latencies)
    print(f"requests_per_second: {total / args.seconds:.1f}")
    print(f"requests: {total}")
    print(f"clients: {clients}")
    for name in ("read_ok", "read_failed", "write_ok", "write_failed", "http_429"):
        print(f"{name}: {outcomes[name]}")
    if latencies:
        ordered = sorted(latencies)
        print(f"latency_p50_ms: {statistics.median(ordered) * 1000:.1f}")
        print(f"latency_p95_ms: {ordered[int(len(ordered) * 0.95) - 1] * 1000:.1f}")


if __name__ == "__main__":
    main()

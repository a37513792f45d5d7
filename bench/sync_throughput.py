"""Sync 10,000 actions into the emulator (zero added latency) and report throughput and cost.

    python bench/sync_throughput.py [--actions 10000]

Prints `actions_per_second`, `peak_memory_mb` (peak resident memory of the
process that ran the sync), `api_transactions` (what the client counted) and
`api_transactions_minimum` (one per journal entry plus one per page of pulled
values) and `sync_cpu_ms_per_action` (the sync process's CPU time, user + system,
from the start of the sync to its end, per action posted). The emulator runs in its own process so that neither its CPU nor its
memory is counted; the actions are loaded before the measured process starts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet

EMULATOR = """
import json, sys
from intacct_emulator.harness import start_emulator
with start_emulator(seed="demo", db=sys.argv[1]) as emu:
    print(json.dumps(emu.credentials), flush=True)
    sys.stdin.read()
"""

SYNC = """
import json, resource, sys, time
from intacct_bridge.api import Bridge

def peak_rss_kb():
    # VmHWM: this process's high-water mark. (ru_maxrss would include the parent's, inherited over fork+exec.)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

bridge = Bridge.open(int(sys.argv[2]), database_url=sys.argv[1])
started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
report = bridge.sync()
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)
cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
print(json.dumps({"status": report.status.value, "posted": report.tally.posted, "seconds": seconds,
                  "api_transactions": report.api_transactions, "values_pulled": report.tally.values_pulled,
                  "cpu_seconds": cpu_seconds, "peak_rss_kb": peak_rss_kb(), "phases": report.tally.seconds}),
      flush=True)
"""

CHUNK = 10_000
PAGE = 2000


@contextmanager
def emulator(scratch: Path) -> Iterator[dict[str, str]]:
    """An emulator in a child process; yields its INTACCT_* lines."""
    child = subprocess.Popen([sys.executable, "-c", EMULATOR, str(scratch / "emulator.db")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        if not line:
            raise RuntimeError("the emulator did not start")
        yield json.loads(line)
    finally:
        child.stdin.close()
        child.wait(timeout=60)


def operator_env(credentials: dict[str, str], scratch: Path) -> dict[str, str]:
    env = {**os.environ, **{k: credentials[k] for k in ("INTACCT_ENDPOINT", "INTACCT_SENDER_ID",
                                                           "INTACCT_SENDER_PASSWORD")}}
    env["INTACCT_BRIDGE_SECRET_KEY"] = Fernet.generate_key().decode()
    env["INTACCT_BRIDGE_DATA_DIR"] = str(scratch / "data")
    return env


def prepare(database_url: str, credentials: dict[str, str], env: dict[str, str], count: int) -> int:
    """A connected workspace, pulled, with `count` valid actions loaded in chunks."""
    os.environ.update(env)
    from intacct_bridge.api import Bridge
    from intacct_bridge.crypto import SecretBox
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.database import open_store
    from intacct_bridge.sync.sample import generate
    from intacct_bridge.sync.sample_load import create_connected_workspace, load_actions, load_sample

    store = open_store(database_url)
    operator = OperatorSettings()
    workspace_id = create_connected_workspace(store, "Bench", credentials, SecretBox.from_settings(operator))
    Bridge(store, workspace_id, operator).pull()
    for index in range(math.ceil(count / CHUNK)):
        size = min(CHUNK, count - index * CHUNK)
        data = generate(index, actions=size, invalid=0, excluded=0, prefix=f"B{index:03d}-")
        if index == 0:
            load_sample(store, workspace_id, data)
        else:
            load_actions(store, workspace_id, data.actions)
    store.dispose()
    return workspace_id


def measure(database_url: str, workspace_id: int, env: dict[str, str], script: str = SYNC) -> dict:
    """Run one sync in a fresh process and return what it reported (every JSON line it printed, merged)."""
    done = subprocess.run([sys.executable, "-c", script, database_url, str(workspace_id)], env=env,
                          capture_output=True, text=True, check=True)
    reported: dict = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            reported.update(json.loads(line))
    return reported


def pulled_object_sizes(database_url: str, workspace_id: int, credentials: dict[str, str]) -> list[int]:
    """How many values each object the sync pulls holds in the emulator (one page per 2000 of them)."""
    from intacct_bridge.store.database import open_store
    from intacct_bridge.store.repositories.settings import load_sync_settings
    from intacct_bridge.sync.pull import streams_for
    from intacct_emulator.harness import AdminClient

    store = open_store(database_url)
    with store.session() as session:
        streams = streams_for(load_sync_settings(session, workspace_id))
    store.dispose()
    admin = AdminClient(credentials["INTACCT_ENDPOINT"].split("/ia/")[0])
    try:
        return [len(admin.ledger(credentials["INTACCT_COMPANY_ID"], s.spec.intacct_object)) for s in streams]
    finally:
        admin.close()


def minimum_transactions(posted: int, values_by_object: list[int]) -> int:
    return posted + sum(max(1, math.ceil(n / PAGE)) for n in values_by_object)


@contextmanager
def prepared(count: int, prefix: str) -> Iterator[tuple[dict[str, str], dict[str, str], str, int]]:
    """A running emulator and a scratch bridge database with `count` actions waiting.

    Yields the emulator's INTACCT_* lines, the operator's environment, the database URL and the workspace id.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        scratch = Path(tmp)
        with emulator(scratch) as credentials:
            env = operator_env(credentials, scratch)
            database_url = f"sqlite:///{scratch / 'bridge.db'}"
            yield credentials, env, database_url, prepare(database_url, credentials, env, count)


def check_all_posted(result: dict, count: int) -> None:
    if result["status"] != "succeeded" or result["posted"] != count:
        raise SystemExit(f"the sync did not post everything: {result}")


def bench(count: int) -> dict:
    with prepared(count, "bench-sync-") as (credentials, env, database_url, workspace_id):
        result = measure(database_url, workspace_id, env)
        result["values_by_object"] = pulled_object_sizes(database_url, workspace_id, credentials)
    check_all_posted(result, count)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", type=int, default=10_000)
    count = parser.parse_args().actions
    result = bench(count)
    minimum = minimum_transactions(result["posted"], result["values_by_object"])
    print(f"actions: {result['posted']}")
    print(f"seconds: {result['seconds']:.2f}")
    print(f"actions_per_second: {result['posted'] / result['seconds']:.0f}")
    print(f"peak_memory_mb: {result['peak_rss_kb'] / 1024:.1f}")
    print(f"sync_cpu_seconds: {result['cpu_seconds']:.2f}")  # the rest of `seconds` is waiting on the gateway
    print(f"sync_cpu_ms_per_action: {result['cpu_seconds'] * 1000 / result['posted']:.3f}")
    print(f"api_transactions: {result['api_transactions']}")
    print(f"api_transactions_minimum: {minimum}")


if __name__ == "__main__":
    main()

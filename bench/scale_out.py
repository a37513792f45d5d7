"""Queued syncs of 40 workspaces x 500 actions on 10 Intacct companies, with 1, 2 and 4 worker processes.

    python bench/scale_out.py [--workspaces 40] [--actions 500] [--companies 10] [--processes 1,2,4]
                              [--threads 4] [--latency-ms 50] [--per-function-ms 5] [--concurrency 2]

Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (database `test`, trust), as the tests do.
For each worker count: a fresh PostgreSQL schema and a fresh emulator (`fleet` seed, `concurrency`
requests per company at once, `latency_ms` plus `per_function_ms` per function on each request);
the workspaces share the companies round-robin and are pulled and loaded at zero latency; then the
latency is switched on, the `intacct-bridge worker --processes P --threads T` processes are started
and waited for, every workspace's run is queued, and `seconds_P` is the time from the first message
queued to the last action posted (every run recorded).

Prints `seconds_1`, `seconds_2`, `seconds_4` (one per worker count), `speedup_4` (seconds_1 /
seconds_4), `concurrency_violations` (requests the emulator refused for going over a company's limit,
all runs together: 0) and `duplicates` (journal entries in the ledgers beyond one per action: 0).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, func, select, text

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards; yields its URL."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def deployment_env(emulator_credentials: dict[str, str], database_url: str, scratch: Path) -> dict[str, str]:
    return {**{k: emulator_credentials[k] for k in ("INTACCT_ENDPOINT", "INTACCT_SENDER_ID",
                                                    "INTACCT_SENDER_PASSWORD")},
            "INTACCT_BRIDGE_SECRET_KEY": Fernet.generate_key().decode(),
            "INTACCT_BRIDGE_DATA_DIR": str(scratch / "data"),
            "INTACCT_BRIDGE_DATABASE_URL": database_url,
            "INTACCT_BRIDGE_BROKER_URL": REDIS,
            "INTACCT_BRIDGE_BROKER_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}"}


@contextmanager
def worker_processes(processes: int, threads: int, log: Path) -> Iterator[None]:
    """`intacct-bridge worker` until the block ends; waits until every process says it is ready."""
    with open(log, "wb") as out:
        child = subprocess.Popen([sys.executable, "-m", "intacct_bridge", "worker", "--processes", str(processes),
                                  "--threads", str(threads)], stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while log.read_text(errors="replace").count("is ready for action") < processes:
            if child.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the workers did not start:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def unfinished(store, workspace_ids: list[int]) -> int:
    """Actions not yet posted plus runs still running."""
    from intacct_bridge.store.models import Action, SyncRun

    with store.session() as session:
        waiting = session.scalar(select(func.count()).select_from(Action).where(
            Action.workspace_id.in_(workspace_ids), Action.status != "posted"))
        running = session.scalar(select(func.count()).select_from(SyncRun).where(
            SyncRun.workspace_id.in_(workspace_ids), SyncRun.status == "running"))
    return (waiting or 0) + (running or 0)


def one_configuration(args: argparse.Namespace, processes: int) -> tuple[float, int, int]:
    """(seconds, concurrency violations, duplicates) with `processes` worker processes."""
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.database import open_store
    from intacct_bridge.sync.sample_fleet import prepare_fleet
    from intacct_bridge.workers.queue import RunQueue
    from intacct_emulator.backend.seeds.fleet import fleet_company
    from intacct_emulator.harness import start_emulator

    companies = [fleet_company(number + 1) for number in range(args.companies)]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp, schema() as database_url, \
            start_emulator(seed="fleet", concurrency=args.concurrency) as emu:
        scratch = Path(tmp)
        os.environ.update(deployment_env(emu.credentials, database_url, scratch))
        operator = OperatorSettings()
        store = open_store(database_url)
        fleet = prepare_fleet(store, operator, emu.credentials, companies, args.workspaces, args.actions)
        emu.admin.set_config(latency_ms=args.latency_ms, per_function_ms=args.per_function_ms)
        emu.admin.reset_usage()
        with worker_processes(processes, args.threads, scratch / "workers.log"):
            queue = RunQueue(operator)
            started = time.perf_counter()
            for workspace_id in fleet:
                queue.enqueue(workspace_id, trigger="queue")
            while unfinished(store, list(fleet)):
                time.sleep(0.05)
            seconds = time.perf_counter() - started
        usage = emu.admin.usage()
        violations = sum(usage.get(company, {}).get("concurrency_violations", 0) for company in companies)
        duplicates = sum(count - 1 for company in companies
                         for count in emu.admin.references(company, prefix="ib-").values())
        store.dispose()
    return seconds, violations, duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspaces", type=int, default=40)
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--companies", type=int, default=10)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--per-function-ms", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    counts = [int(part) for part in args.processes.split(",")]
    seconds: dict[int, float] = {}
    violations = duplicates = 0
    for processes in counts:
        seconds[processes], refused, doubled = one_configuration(args, processes)
        violations, duplicates = violations + refused, duplicates + doubled
        print(f"seconds_{processes}: {seconds[processes]:.2f}", flush=True)
    if 1 in seconds and max(counts) > 1:
        print(f"speedup_{max(counts)}: {seconds[1] / seconds[max(counts)]:.2f}")
    print(f"concurrency_violations: {violations}")
    print(f"duplicates: {duplicates}")


if __name__ == "__main__":
    main()

"""`intacct-bridge worker`: Dramatiq worker processes that run the queued syncs.

Dramatiq's own command line runs them (process supervision, graceful stop on SIGTERM,
restarts on code reload are its job): this command checks the settings a worker needs and
hands over to it with the run actor's module.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from intacct_bridge.commands._support import fail


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    processes: Annotated[int, typer.Option(help="Worker processes.", min=1, max=256)] = 2,
    threads: Annotated[int, typer.Option(help="Runs at once in each process (runs wait on Intacct, not the CPU).",
                                         min=1, max=256)] = 4,
) -> None:
    """Run queued syncs (needs INTACCT_BRIDGE_BROKER_URL; PostgreSQL as INTACCT_BRIDGE_DATABASE_URL when
    several processes or hosts share the store)."""
    from intacct_bridge.settings import OperatorSettings

    operator = OperatorSettings()
    if not operator.broker_url:
        fail("no broker: set INTACCT_BRIDGE_BROKER_URL (e.g. redis://127.0.0.1:6379/0) for `serve` and the workers")
    command = [sys.executable, "-m", "dramatiq", "intacct_bridge.workers.entry",
               "--processes", str(processes), "--threads", str(threads), "--queues", "runs"]
    sys.stdout.flush()
    os.execv(sys.executable, command)  # Dramatiq's supervisor takes this process's place (and its signals)

"""What a worker runs: one workspace's sync, the same engine as the CLI and `serve`.

The actor returns only after the engine has closed (recorded) its run, and Dramatiq
acknowledges the message only then; a worker killed before that leaves the message
unacknowledged, it is delivered again (see `broker`), and the next run settles what the
dead one left through the run lock and recovery. A run refused because another holds the
workspace's lock is retried later with backoff; nothing else is retried (a failed run is
recorded as failed, and the next scheduled or requested run picks up what it left).

The run's id is written under the message's ticket as soon as the run exists, so whoever
queued it can point at the run (`queue.RunQueue.opened`).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from intacct_bridge.notifications.delivery import deliver_quietly
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store, open_store
from intacct_bridge.store.errors import RunLocked
from intacct_bridge.sync.context import NotConfigured, client_factory
from intacct_bridge.sync.candidates import UnknownAction
from intacct_bridge.sync.engine import ReportingEngine
from intacct_bridge.workers.broker import RUNS_QUEUE, broker_for

log = logging.getLogger(__name__)
ACTOR_NAME = "run_workspace"
LOCKED_RETRIES = 40  # a workspace busy for longer than the backoff covers (about an hour) is left to the next run
TICKET_SECONDS = 3600
_stores: dict[str, Store] = {}
_guard = threading.Lock()


def ticket_key(namespace: str, ticket: str) -> str:
    return f"{namespace}:run-ticket:{ticket}"


def process_store(operator: OperatorSettings) -> Store:
    """One store (connection pool) per worker process, migrated on first use."""
    url = operator.resolved_database_url()
    with _guard:
        if url not in _stores:
            _stores[url] = open_store(url)
        return _stores[url]


def run_workspace(workspace_id: int, trigger: str, ticket: str, dry_run: bool = False,
                  kinds: list[str] | None = None, record: list[Any] | None = None) -> None:
    """Sync one workspace under its run lock; return once the run is recorded."""
    operator = OperatorSettings()
    store = process_store(operator)
    broker = broker_for(operator)  # the one `workers.entry` made this process's

    def report(run_id: int) -> None:
        try:
            broker.client.set(ticket_key(broker.namespace, ticket), run_id, ex=TICKET_SECONDS)
        except Exception as error:  # only the caller's convenience: the run goes on
            log.warning("run %s: its ticket was not written (%s)", run_id, type(error).__name__)

    engine = ReportingEngine(store, workspace_id, client_factory(store, workspace_id, operator), on_open=report,
                             record_url_template=operator.record_url_template, console_url=operator.console_url)
    try:
        outcome = engine.run(dry_run=dry_run, trigger=trigger, kinds=kinds,
                             record=(str(record[0]), int(record[1])) if record else None)
    except (NotConfigured, UnknownAction) as error:
        log.warning("workspace %s: queued %s run not started: %s", workspace_id, trigger, error)
        return
    log.info("workspace %s: run %s %s", workspace_id, outcome.run_id, outcome.status.value)
    deliver_quietly(store, operator, workspace_id)  # what the run queued (halted, rejected, posted...) goes out now


def _retry_when(retries: int, error: Exception) -> bool:
    return isinstance(error, RunLocked) and retries < LOCKED_RETRIES


def declare(broker: RedisBroker) -> dramatiq.Actor:
    """The run actor on `broker` (declared once per broker)."""
    try:
        return broker.get_actor(ACTOR_NAME)
    except dramatiq.errors.ActorNotFound:
        pass
    return dramatiq.actor(run_workspace, broker=broker, actor_name=ACTOR_NAME, queue_name=RUNS_QUEUE,
                          retry_when=_retry_when, min_backoff=2_000, max_backoff=120_000,
                          time_limit=24 * 3600 * 1000)

"""The deployment's Dramatiq broker on Redis, built from the operator settings.

Dramatiq's Redis broker keeps each message a worker has taken in that worker's own
unacknowledged set until the actor returns, and the worker heartbeats; a worker silent
for `broker_heartbeat_ms` is dead, and broker maintenance (on a `broker_maintenance_chance`
per million of commands) puts its messages back on the queue. So a run whose worker was
killed is delivered again, and the next worker's run lock and recovery settle it.
"""

from __future__ import annotations

import threading

from dramatiq.brokers.redis import RedisBroker

from intacct_bridge.settings import OperatorSettings

RUNS_QUEUE = "runs"
_brokers: dict[tuple[str, str], RedisBroker] = {}
_guard = threading.Lock()


class BrokerNotConfigured(Exception):
    """A queue was asked for while no broker is configured."""


def broker_for(operator: OperatorSettings) -> RedisBroker:
    """This process's broker for the operator's Redis URL and namespace (one per process, reused)."""
    if not operator.broker_url:
        raise BrokerNotConfigured("no broker: set INTACCT_BRIDGE_BROKER_URL (e.g. redis://127.0.0.1:6379/0)")
    key = (operator.broker_url, operator.broker_namespace)
    with _guard:
        broker = _brokers.get(key)
        if broker is None:
            broker = RedisBroker(url=operator.broker_url, namespace=operator.broker_namespace,
                                 heartbeat_timeout=operator.broker_heartbeat_ms,
                                 maintenance_chance=operator.broker_maintenance_chance)
            _brokers[key] = broker
        return broker


def queue_depth(broker: RedisBroker, queue_name: str = RUNS_QUEUE) -> int:
    """Messages waiting on the queue (not those a worker holds)."""
    return int(broker.client.llen(f"{broker.namespace}:{queue_name}"))

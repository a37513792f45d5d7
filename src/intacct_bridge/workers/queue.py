"""Handing runs to the workers: what `serve`, the scheduler, `sync --queue` and the API call with a broker.

A queued run gets a ticket; the worker that opens the run writes the run's id under it, so
the caller can wait a moment for the id (`opened`) to point at the run, as the in-process
runner does, and still answer without it when every worker is busy.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from intacct_bridge.settings import OperatorSettings
from intacct_bridge.workers.actors import declare, ticket_key
from intacct_bridge.workers.broker import broker_for, queue_depth

POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Queued:
    """A run handed to the workers: its ticket and the broker's message id."""

    ticket: str
    message_id: str


class RunQueue:
    """The deployment's run queue (raises `BrokerNotConfigured` without a broker URL)."""

    def __init__(self, operator: OperatorSettings) -> None:
        self.broker = broker_for(operator)
        self.actor = declare(self.broker)

    def enqueue(self, workspace_id: int, *, trigger: str, dry_run: bool = False, kinds: list[str] | None = None,
                record: tuple[str, int] | None = None) -> Queued:
        ticket = uuid.uuid4().hex
        kwargs: dict[str, Any] = {"dry_run": dry_run, "kinds": kinds, "record": list(record) if record else None}
        message = self.actor.send_with_options(args=(workspace_id, trigger, ticket), kwargs=kwargs)
        return Queued(ticket, message.message_id)

    def opened(self, queued: Queued, wait_seconds: float = 0.0) -> int | None:
        """The id of the run a worker opened for `queued`, waiting up to `wait_seconds` for it."""
        deadline = time.monotonic() + wait_seconds
        key = ticket_key(self.broker.namespace, queued.ticket)
        while True:
            value = self.broker.client.get(key)
            if value is not None:
                return int(value)
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL_SECONDS)

    def depth(self) -> int:
        return queue_depth(self.broker)

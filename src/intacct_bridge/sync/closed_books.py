"""The books' closed-through dates a run needs (issue 12), read from Intacct at the run's start.

Only at `closed_period_policy = next_open`: the connection's level, and each entity's in its own session
(an entity may close later or earlier than the company). Journal entries and reversals both use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from intacct_bridge.domain.closed_periods import ClosedThrough
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import ClosedPeriodPolicy
from intacct_bridge.intacct.pulls import books_closed_through


def read_closed_books(client: Any, settings: SyncSettings, entities: Iterable[str]) -> ClosedThrough | None:
    """Closed-through dates by entity (None: the connection's level); None when the policy is `reject`."""
    if settings.closed_period_policy is not ClosedPeriodPolicy.NEXT_OPEN:
        return None
    closed: dict[str | None, Any] = {None: books_closed_through(client)}
    for entity in sorted(entities):
        closed[entity] = books_closed_through(client, entity=entity)
    return closed

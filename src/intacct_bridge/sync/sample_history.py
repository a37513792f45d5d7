"""A long history for backfill: the sample's actions spread over the past two years.

A first sync from a look-back date (`start_date`) has to work through everything the source
recorded since then. `history(seed, actions, days)` makes such a history, deterministically:
the demo's actions (`sync.sample.generate`, all valid), each recorded at a moment spread evenly
over the last `days` days and dated a little before it. the README's Backfill section and `bench/backfill.py`
use it, and so does the backfill test.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from intacct_bridge.sync.sample import SampleData, generate


def history(seed: int, actions: int, *, days: int = 730, now: datetime | None = None) -> SampleData:
    """`actions` valid actions recorded over the last `days` days, oldest first, each happening up to a day
    before it was recorded (so its journal entry is dated in the past too)."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    data = generate(seed, actions=actions, invalid=0, excluded=0, now=now)
    span = timedelta(days=days).total_seconds()
    spread = []
    for number, action in enumerate(data.actions):
        recorded = now - timedelta(seconds=span * (1 - number / max(actions, 1))) + timedelta(minutes=1)
        happened = recorded - timedelta(minutes=rng.randint(1, 1440))
        amount = action.amount
        label = action.summary.split(" on ")[0] + f" on {happened.date().isoformat()}"
        spread.append(replace(action, happened_at=happened, created_at=recorded, summary=label, amount=amount))
    return replace(data, actions=spread)

"""What `/metrics` tells Prometheus: this process's counters, and the store's and queue's state read at scrape.

Request latency and limiter waits are measured where requests take their company slot
(`workers.limiter`), in the process that made them: a worker process serves its own with
`intacct-bridge worker --metrics-port`. Runs by status, records posted, errors by class and
queue depth are read from the store and the broker when scraped, so any process shows the
whole deployment's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Posting, ReviewFlag, SyncRun

log = logging.getLogger(__name__)

INTACCT_REQUEST_SECONDS = Histogram(
    "intacct_bridge_intacct_request_seconds", "Intacct requests and how long each held its company slot",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
LIMITER_WAIT_SECONDS = Histogram(
    "intacct_bridge_limiter_wait_seconds", "How long a request waited for a slot of its company's shared limit",
    buckets=(0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30))


class StoreCollector(Collector):
    """Runs by status, records posted and errors by class, counted in the store at each scrape."""

    def __init__(self, store: Store, queue_depth: Callable[[], int] | None = None) -> None:
        self.store = store
        self.queue_depth = queue_depth

    def collect(self) -> Iterator[GaugeMetricFamily]:
        runs = GaugeMetricFamily("intacct_bridge_runs", "Sync runs by status", labels=["status"])
        postings = GaugeMetricFamily("intacct_bridge_postings", "Postings (writes to Intacct) by state",
                                     labels=["state"])
        errors = GaugeMetricFamily("intacct_bridge_errors", "Records waiting on a person, by class of error",
                                   labels=["class"])
        with self.store.session() as session:
            for status, count in session.execute(select(SyncRun.status, func.count()).group_by(SyncRun.status)):
                runs.add_metric([status], count)
            for state, count in session.execute(select(Posting.state, func.count()).group_by(Posting.state)):
                postings.add_metric([state], count)
            error_class = func.coalesce(ReviewFlag.error_class, ReviewFlag.kind)  # classed by `domain.error_classes`
            for name, count in session.execute(select(error_class, func.count())
                                               .where(ReviewFlag.resolved_at.is_(None)).group_by(error_class)):
                errors.add_metric([name], count)
        yield from (runs, postings, errors)
        if self.queue_depth is not None:
            depth = GaugeMetricFamily("intacct_bridge_queue_depth", "Runs waiting on the broker's queue")
            try:
                depth.add_metric([], self.queue_depth())
            except Exception as error:  # a scrape must answer even while Redis is away
                log.warning("queue depth unavailable: %s", type(error).__name__)
            else:
                yield depth


def registry_for(store: Store, queue_depth: Callable[[], int] | None = None) -> CollectorRegistry:
    """The process's own metrics plus the deployment's state in `store` (and the queue's)."""
    from prometheus_client import REGISTRY

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Forward(REGISTRY))
    registry.register(StoreCollector(store, queue_depth))
    return registry


class _Forward(Collector):
    """The default registry's metrics (this process's histograms, its platform metrics) inside another."""

    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterator:
        yield from self.source.collect()

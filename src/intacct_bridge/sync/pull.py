"""The pull step: read accounts and the mapped dimensions from Intacct, refresh their campaigns.

Preflight costs nothing extra: every stream's first page is fetched before
anything is written, so a dimension the user may not read stops the run with
a message naming the permission, and the pages read are the pages we needed.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from intacct_bridge.domain.sync_settings import CustomField, SyncSettings
from intacct_bridge.domain.vocabulary import Dimension
from intacct_bridge.intacct import errors
from intacct_bridge.store.database import Store
from intacct_bridge.sync.diagnosis import Diagnosis, missing_read_permission
from intacct_bridge.sync.progress import Phase, ProgressCallback, ProgressEvent, ignore_progress
from intacct_bridge.sync.reconcile import ReconcileCounts, reconcile_stream
from intacct_bridge.sync.streams import PAGE_SIZE, PulledValue, QueryClient, Stream, custom_stream, standard_stream


class PreflightError(Exception):
    """The Intacct user cannot read a dimension the settings need; nothing was written."""

    def __init__(self, diagnosis: Diagnosis) -> None:
        self.diagnosis = diagnosis
        super().__init__(str(diagnosis))


@dataclass
class PullTotals(ReconcileCounts):
    """What one pull did over all its streams (and, for an order-to-cash workspace, its AR balances)."""

    streams: int = 0
    receivables: Any = None   # sync.receivables.pulls.ReceivablesPulled, when pulled


def streams_for(settings: SyncSettings) -> list[Stream]:
    """Accounts always; the other dimensions, the custom field and user-defined dimensions unless Excluded."""
    streams = []
    for dimension in settings.active_dimensions():
        if isinstance(dimension, CustomField):  # a user-defined dimension beyond the custom field
            streams.append(custom_stream(dimension.label, dimension.object_name, dimension.gl_field))
        elif dimension is Dimension.CUSTOM:
            custom = settings.custom_field
            assert custom is not None  # active_dimensions() excludes CUSTOM without one
            streams.append(custom_stream(custom.label, custom.object_name, custom.gl_field))
        else:
            streams.append(standard_stream(dimension))
    return streams


def open_streams(client: QueryClient, streams: list[Stream], user_id: str) -> list[tuple[Stream, Iterator[PulledValue]]]:
    """Fetch each stream's first page; a PermissionDenied becomes a PreflightError naming the permission.

    The first pages go out together: in one request when the client can (`iter_queries`: one
    round trip however many streams, and most objects fit in one page), otherwise side by side,
    as many at once as the client may send. A failure is reported for the first stream in order.
    """
    together = getattr(client, "iter_queries", None)
    if together is not None and len(streams) > 1:
        rows = together([(stream.spec.intacct_object, stream.fields) for stream in streams], page_size=PAGE_SIZE,
                        show_private=True)  # as `Stream.values`: entity-owned values too, at the top level
        iterators = [stream.values_of(page) for stream, page in zip(streams, rows, strict=True)]
    else:
        iterators = [stream.values(client) for stream in streams]
    workers = min(len(streams), getattr(getattr(client, "config", None), "max_concurrency", 1) or 1)
    firsts: list[Future[PulledValue | None]] | None = None
    if workers > 1 and together is None:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pull") as pool:
            firsts = [pool.submit(next, values, None) for values in iterators]
            wait(firsts)
    opened = []
    for index, (stream, values) in enumerate(zip(streams, iterators, strict=True)):
        try:
            first = (firsts[index] if firsts is not None else _first_now(values)).result()
        except errors.PermissionDenied as exc:
            can_exclude = stream.spec.dimension is not Dimension.ACCOUNT
            diagnosis = missing_read_permission(user_id, stream.label, stream.spec.intacct_object, can_exclude)
            raise PreflightError(diagnosis) from exc
        opened.append((stream, values if first is None else chain([first], values)))
    return opened


def _first_now(values: Iterator[PulledValue]) -> Future[PulledValue | None]:
    """A stream's first value, fetched on this thread (wrapped like the side-by-side ones)."""
    first: Future[PulledValue | None] = Future()
    try:
        first.set_result(next(values, None))
    except Exception as exc:  # handed to the caller in stream order, as from a thread
        first.set_exception(exc)
    return first


def pull(
    store: Store,
    workspace_id: int,
    settings: SyncSettings,
    client: QueryClient,
    user_id: str,
    pulled_at: datetime,
    progress: ProgressCallback = ignore_progress,
) -> PullTotals:
    """Pull every stream the settings call for and reconcile its campaigns."""
    opened = open_streams(client, streams_for(settings), user_id)
    totals = PullTotals(streams=len(opened))
    progress(ProgressEvent(Phase.PULL, 0, len(opened)))
    for done, (stream, values) in enumerate(opened, start=1):
        counts: ReconcileCounts = reconcile_stream(store, workspace_id, stream.spec, values, pulled_at)
        totals.values += counts.values
        totals.created += counts.created
        totals.deactivated += counts.deactivated
        totals.reactivated += counts.reactivated
        progress(ProgressEvent(Phase.PULL, done, len(opened), f"{stream.label}: {counts.values} values"))
    return totals

"""Page planners for streaming reads; the clients turn them into (async) iterators.

A pager says which function fetches the next page given the last result, and
which records of a page are new.  Only one page is held at a time.  When a
readByQuery result set expires mid-way, the query starts over and the records
already delivered are skipped (readByQuery has no offset to resume from);
the gateway keeps the order stable, so nothing is lost or repeated.
"""

from __future__ import annotations

from typing import Any, Sequence

from .errors import ResultSetExpired
from .functions import MAX_QUERY_PAGE, MAX_READ_BY_QUERY_PAGE, Function, Query, ReadByQuery, ReadMore
from .query import Filter
from .responses import Result

MAX_RESTARTS = 3


class QueryPager:
    """`query` with offset paging: the next page starts where the last one ended."""

    def __init__(self, object: str, select: Sequence[str], *, filter: Filter | None = None,
                 order_by: Sequence[Any] = (), page_size: int = MAX_QUERY_PAGE, **options: Any) -> None:
        self._make = lambda offset: Query(object, list(select), filter, tuple(order_by), page_size, offset, **options)
        self.offset = 0

    def first(self) -> Function:
        return self._make(0)

    def records(self, result: Result) -> list[dict[str, Any]]:
        self.offset += len(result.records)
        return result.records

    def next(self, result: Result) -> Function | None:
        if result.num_remaining <= 0 or not result.records:
            return None
        return self._make(self.offset)

    def restart(self, error: ResultSetExpired) -> Function:
        raise error  # offset paging holds no server-side state that could expire


class ReadByQueryPager:
    """readByQuery, then readMore(resultId) until nothing remains."""

    def __init__(self, object: str, *, query: str | Filter = "", fields: str | Sequence[str] = "*",
                 page_size: int = MAX_READ_BY_QUERY_PAGE, docparid: str | None = None) -> None:
        self._first = lambda: ReadByQuery(object, query, fields, page_size, docparid)
        self.delivered = 0      # records handed to the caller
        self._seen = 0          # records received in the current pass
        self.restarts = 0

    def first(self) -> Function:
        self._seen = 0
        return self._first()

    def records(self, result: Result) -> list[dict[str, Any]]:
        page = result.records
        skip = max(0, min(len(page), self.delivered - self._seen))
        self._seen += len(page)
        fresh = page[skip:]
        self.delivered += len(fresh)
        return fresh

    def next(self, result: Result) -> Function | None:
        if result.num_remaining <= 0 or not result.records or not result.result_id:
            return None
        return ReadMore(result.result_id)

    def restart(self, error: ResultSetExpired) -> Function:
        """The result set expired: start over, skipping what was delivered."""
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise error
        return self.first()

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
    """readByQuery, then readMore(resultId) until nothing remains.

    When the result set expires, the query is sent again.  If the records
    delivered so far carried ascending RECORDNOs, the new query asks only for
    `RECORDNO >` the last one (resuming where it stopped); otherwise it starts
    from the top and skips as many records as were already delivered.
    """

    def __init__(self, object: str, *, query: str | Filter = "", fields: str | Sequence[str] = "*",
                 page_size: int = MAX_READ_BY_QUERY_PAGE, docparid: str | None = None) -> None:
        self._make = lambda q: ReadByQuery(object, q, fields, page_size, docparid)
        self._query = query.to_sql() if isinstance(query, Filter) else query
        self.delivered = 0          # records handed to the caller
        self.restarts = 0
        self._skip = 0              # records of the current pass that were delivered by an earlier one
        self._last_recordno: int | None = None
        self._ascending = True

    def first(self) -> Function:
        return self._make(self._query)

    def records(self, result: Result) -> list[dict[str, Any]]:
        skip = min(len(result.records), self._skip)
        self._skip -= skip
        fresh = result.records[skip:]
        self.delivered += len(fresh)
        for record in fresh:
            self._track(record.get("RECORDNO"))
        return fresh

    def _track(self, recordno: Any) -> None:
        try:
            number = int(recordno)
        except (TypeError, ValueError):
            self._ascending = False
            return
        if self._last_recordno is not None and number <= self._last_recordno:
            self._ascending = False
        self._last_recordno = number

    def next(self, result: Result) -> Function | None:
        if result.num_remaining <= 0 or not result.records or not result.result_id:
            return None
        return ReadMore(result.result_id)

    def restart(self, error: ResultSetExpired) -> Function:
        """The result set expired: resume after the last RECORDNO, or start over and skip."""
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise error
        if self.delivered and self._ascending and self._last_recordno is not None:
            after = f"RECORDNO > {self._last_recordno}"
            return self._make(f"({self._query}) AND {after}" if self._query.strip() else after)
        self._skip = self.delivered
        return self.first()

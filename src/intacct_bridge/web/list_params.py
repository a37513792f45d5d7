"""The query parameters every list takes (sort, direction, page size, page) and the filters of the actions and
runs lists, parsed once for the console's pages, their CSV exports and the REST API.

Dates are the workspace's days (both ends included); amounts are decimals, both ends included.
A value the form could not have sent (a sort column that does not exist) is a 422 naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Query
from pydantic import BeforeValidator, Field

from intacct_bridge.domain.vocabulary import ActionStatus, RunStatus
from intacct_bridge.store.repositories.actions import ActionFilter, day_range
from intacct_bridge.store.repositories.runs import RunFilter

PAGE_SIZES = (25, 50, 100, 250)
Direction = Literal["asc", "desc"]
# A day a filter form sends: its empty date field (`from=`) means "any day", not a 422.
Day = Annotated[date | None, BeforeValidator(lambda value: value or None)]
# An amount a filter form sends: its empty field (`min=`) means "no bound", likewise.
Amount = Annotated[Annotated[Decimal, Field(ge=Decimal("-1e15"), le=Decimal("1e15"))] | None,
                   BeforeValidator(lambda value: value or None)]


@dataclass(frozen=True)
class Paging:
    sort: str
    direction: Direction
    size: int
    page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def descending(self) -> bool:
        return self.direction == "desc"

    def window(self, total: int, shown: int) -> dict[str, int | None]:
        """'x–y of N' and the neighbouring pages (None where there is none)."""
        first = self.offset + 1 if shown else 0
        return {"first": first, "last": self.offset + shown, "total": total,
                "previous": self.page - 1 if self.page > 1 else None,
                "next": self.page + 1 if self.offset + shown < total else None,
                "pages": max(1, -(-total // self.size))}


def action_paging(sort: Annotated[Literal["id", "external_id", "date", "type", "amount", "status"], Query()] = "id",
                  dir: Annotated[Direction, Query()] = "asc",
                  size: Annotated[int, Query(ge=1, le=1000)] = 50,
                  page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Paging:
    return Paging(sort, dir, size, page)


def run_paging(sort: Annotated[Literal["id", "started", "status", "posted", "failed", "candidates"], Query()] = "id",
               dir: Annotated[Direction, Query()] = "desc",
               size: Annotated[int, Query(ge=1, le=1000)] = 50,
               page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Paging:
    return Paging(sort, dir, size, page)


def record_paging(sort: Annotated[Literal["id", "external_id", "date", "amount", "status"], Query()] = "id",
                  dir: Annotated[Direction, Query()] = "asc",
                  size: Annotated[int, Query(ge=1, le=1000)] = 50,
                  page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Paging:
    """Order-to-cash, payables and master-data lists (`date`/`amount`: the kind's own, when it has one)."""
    return Paging(sort, dir, size, page)


@dataclass(frozen=True)
class ActionQuery:
    """The actions list's filters as sent (so a page can echo them) and as the store takes them."""

    q: str = ""
    status: str = ""
    type: str = ""
    review: bool = False
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    after: int = 0
    campaign: int = 0

    def filters(self, zone) -> ActionFilter:
        happened_from, happened_to = day_range(zone, self.date_from, self.date_to)
        chosen = ActionStatus(self.status) if self.status in set(ActionStatus) else None
        return ActionFilter(status=chosen, type=self.type or None, search=self.q or None,
                            flagged=True if self.review else None, happened_from=happened_from,
                            happened_to=happened_to, amount_min=self.amount_min, amount_max=self.amount_max,
                            id_above=self.after or None, campaign_id=self.campaign or None)

    def params(self) -> dict[str, str]:
        """The filters as query parameters (empty ones left out), for links that keep them."""
        values = {"q": self.q, "status": self.status, "type": self.type, "review": "true" if self.review else "",
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "",
                  "min": str(self.amount_min) if self.amount_min is not None else "",
                  "max": str(self.amount_max) if self.amount_max is not None else "",
                  "after": str(self.after) if self.after else "",
                  "campaign": str(self.campaign) if self.campaign else ""}
        return {k: v for k, v in values.items() if v}


def action_query(q: Annotated[str, Query(max_length=200)] = "",
                 status: Annotated[str, Query(max_length=16)] = "",
                 type: Annotated[str, Query(max_length=100)] = "",
                 review: bool = False,
                 date_from: Annotated[Day, Query(alias="from")] = None,
                 date_to: Annotated[Day, Query(alias="to")] = None,
                 amount_min: Annotated[Amount, Query(alias="min")] = None,
                 amount_max: Annotated[Amount, Query(alias="max")] = None,
                 after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                 campaign: Annotated[int, Query(ge=0, le=2**31)] = 0) -> ActionQuery:
    return ActionQuery(q.strip(), status, type.strip(), review, date_from, date_to, amount_min, amount_max, after,
                       campaign)


@dataclass(frozen=True)
class RunQuery:
    status: str = ""
    trigger: str = ""
    kind: str = ""          # "" | "sync" | "dry"
    date_from: date | None = None
    date_to: date | None = None

    def filters(self, zone) -> RunFilter:
        started_from, started_to = day_range(zone, self.date_from, self.date_to)
        return RunFilter(status=self.status if self.status in set(RunStatus) else None,
                         trigger=self.trigger or None,
                         dry_run={"sync": False, "dry": True}.get(self.kind), started_from=started_from,
                         started_to=started_to)

    def params(self) -> dict[str, str]:
        values = {"status": self.status, "trigger": self.trigger, "kind": self.kind,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in values.items() if v}


def run_query(status: Annotated[str, Query(max_length=32)] = "",
              trigger: Annotated[str, Query(max_length=32)] = "",
              kind: Annotated[Literal["", "sync", "dry"], Query()] = "",
              date_from: Annotated[Day, Query(alias="from")] = None,
              date_to: Annotated[Day, Query(alias="to")] = None) -> RunQuery:
    return RunQuery(status, trigger, kind, date_from, date_to)


def error_paging(sort: Annotated[Literal["id", "record", "status", "tries", "updated"], Query()] = "id",
                 dir: Annotated[Direction, Query()] = "asc",
                 size: Annotated[int, Query(ge=1, le=500)] = 100,
                 page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Paging:
    """The error queue (`store.repositories.error_queue.SORTS`; the page still groups the rows by class)."""
    return Paging(sort, dir, size, page)


@dataclass(frozen=True)
class ErrorQuery:
    """The error list's filters: class, record kind, open/resolved/all, and the days it last failed."""

    error_class: str = ""
    kind: str = ""
    state: str = "open"
    date_from: date | None = None
    date_to: date | None = None

    def days(self, zone) -> tuple[datetime | None, datetime | None]:
        return day_range(zone, self.date_from, self.date_to)

    def params(self) -> dict[str, str]:
        values = {"class": self.error_class, "kind": self.kind, "state": self.state,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in values.items() if v}


def error_query(error_class: Annotated[str, Query(alias="class", max_length=32)] = "",
                kind: Annotated[str, Query(max_length=32)] = "",
                state: Annotated[str, Query(pattern="^(open|resolved|all)$")] = "open",
                date_from: Annotated[Day, Query(alias="from")] = None,
                date_to: Annotated[Day, Query(alias="to")] = None) -> ErrorQuery:
    return ErrorQuery(error_class, kind, state, date_from, date_to)


def link(path: str, params: dict[str, str], **changes: object) -> str:
    """`path` with the list's parameters and some changed (None drops one)."""
    merged = {**params, **{k: str(v) for k, v in changes.items() if v is not None}}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
    return f"{path}?{urlencode(merged)}" if merged else path

"""Closed periods (issue 12): a record dated in a period closed in Intacct.

With the workspace's `closed_period_policy` at `next_open`, such a record posts on the first day after
the books' closed-through date (its entity's, where there are entities), and says so: its original
date leads the entry's description and is noted in the run log. At `reject` nothing moves, Intacct
refuses the record and the error queue classes it `closed_period` with the fixes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from intacct_bridge.domain.description import BATCH_TITLE_LIMIT
from intacct_bridge.domain.journal import JournalEntry

# Closed-through dates as read from Intacct: per entity id, None for the session's own level.
ClosedThrough = Mapping[str | None, date | None]


def closed_through_for(closed: ClosedThrough, entity: str | None) -> date | None:
    """The entity's closed-through date, read in its session (the connection's level when None)."""
    return closed.get(entity, closed.get(None)) if entity is not None else closed.get(None)


def next_open_day(day: date, closed_through: date | None) -> date | None:
    """The first open day when `day` falls in a closed period (on or before `closed_through`), else None."""
    if closed_through is None or day > closed_through:
        return None
    return closed_through + timedelta(days=1)


@dataclass(frozen=True)
class MovedOutOfClosedPeriod:
    """A run-log note: the record was dated in a closed period and posted on the next open day."""

    original_date: date
    posted_on: date
    closed_through: date

    def describe(self) -> str:
        return (f"dated {self.original_date.isoformat()} in a period closed through "
                f"{self.closed_through.isoformat()}: posted on {self.posted_on.isoformat()}")

    def as_dict(self) -> dict[str, Any]:
        return {"note": self.describe(), "original_date": self.original_date.isoformat(),
                "posted_on": self.posted_on.isoformat(), "closed_through": self.closed_through.isoformat()}


def title_with_original_date(title: str, original: date) -> str:
    """The entry's description led by its original date (kept even when the title is cut to its field)."""
    return f"(dated {original.isoformat()}, period closed) {title}"[:BATCH_TITLE_LIMIT]


def move_payload(payload: dict[str, Any], closed_through: date | None
                 ) -> tuple[dict[str, Any], MovedOutOfClosedPeriod | None]:
    """A GLBATCH payload as it posts: on the next open day when its BATCH_DATE is in a closed period."""
    original: date = payload["BATCH_DATE"]
    moved_to = next_open_day(original, closed_through)
    if moved_to is None:
        return payload, None
    assert closed_through is not None
    title = title_with_original_date(payload["BATCH_TITLE"], original)
    return ({**payload, "BATCH_DATE": moved_to, "BATCH_TITLE": title},
            MovedOutOfClosedPeriod(original, moved_to, closed_through))


def move_entry(entry: JournalEntry, closed_through: date | None) -> tuple[JournalEntry, MovedOutOfClosedPeriod | None]:
    """The entry as it posts: on the next open day when its date is in a closed period, else unchanged."""
    payload, moved = move_payload(entry.payload, closed_through)
    if moved is None:
        return entry, None
    return replace(entry, posting_date=moved.posted_on, description=payload["BATCH_TITLE"], payload=payload,
                   original_date=moved.original_date), moved


@dataclass(frozen=True)
class DocumentDates:
    """Where a document's payload keeps its date, its description and (optionally) its due date."""

    date_field: str             # datecreated, WHENCREATED, RECEIPTDATE
    text_field: str             # description, DESCRIPTION, message
    due_field: str | None = None


DOCUMENT_TEXT_LIMIT = 1000  # ours, as a GLENTRY memo: the public sources give no limit for document descriptions


def move_document(payload: dict[str, Any], fields: DocumentDates, closed_through: date | None
                  ) -> tuple[dict[str, Any], MovedOutOfClosedPeriod | None]:
    """An invoice, bill, payment or adjustment as it posts: on the next open day when dated in a closed
    period, its original date leading its description; a due date before the new date moves with it."""
    original: date = payload[fields.date_field]
    moved_to = next_open_day(original, closed_through)
    if moved_to is None:
        return payload, None
    assert closed_through is not None
    text = f"(dated {original.isoformat()}, period closed) {payload.get(fields.text_field) or ''}".rstrip()
    moved: dict[str, Any] = {}
    for key, value in payload.items():   # in the payload's order (a generic write's elements keep it)
        moved[key] = value
        if key == fields.date_field:
            moved[key] = moved_to
        if key == fields.text_field or (key == fields.date_field and fields.text_field not in payload):
            moved[fields.text_field] = text[:DOCUMENT_TEXT_LIMIT]
    due = payload.get(fields.due_field) if fields.due_field else None
    if due is not None and due < moved_to:
        moved[fields.due_field] = moved_to  # type: ignore[index]
    return moved, MovedOutOfClosedPeriod(original, moved_to, closed_through)

"""Cursor pagination: an opaque cursor carrying the last row's id (keyset, stable under inserts)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import HTTPException, Query

MAX_ID = 2**62
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
Cursor = Annotated[str | None, Query(max_length=100, description="`next_cursor` of the previous page.")]


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor carries; 422 for a cursor this API did not make."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    kind, _, number = text.partition(":")
    if kind != "id" or not number.isdigit() or int(number) > MAX_ID:
        raise HTTPException(422, [{"loc": ["query", "cursor"], "index": None, "field": "cursor",
                                   "msg": "not a cursor from this API: pass next_cursor as it was returned",
                                   "type": "cursor"}])
    return int(number)


def next_cursor(ids: list[int], limit: int) -> str | None:
    """A cursor for the page after this one, or None when this page is the last."""
    return encode_cursor(ids[-1]) if len(ids) == limit else None

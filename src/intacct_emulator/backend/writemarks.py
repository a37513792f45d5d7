"""Counting writes to stored records, so what a request read can be reused until it changes.

A 100-entry GLBATCH request names the same accounts, journal and dimensions
again and again; reading each afresh is most of the emulator's own time. The
backend's connection counts, per object, every record written (and every
rollback, which may undo any write), so a lookup remembered within a request is
answered again only while nothing of its object has been written since: the
answers stay exactly what a fresh read would give.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

ROLLBACK = ""  # the mark every rollback bumps: it may have undone a write to any object


class TrackedConnection(sqlite3.Connection):
    """The backend's connection: a plain SQLite connection plus its write marks."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.record_writes: Counter[str] = Counter()


def wrote(conn: sqlite3.Connection, object_name: str) -> None:
    """Note a write to a record of `object_name` (no-op on an untracked connection)."""
    marks = getattr(conn, "record_writes", None)
    if marks is not None:
        marks[object_name] += 1


def rolled_back(conn: sqlite3.Connection) -> None:
    wrote(conn, ROLLBACK)


def mark(conn: sqlite3.Connection, object_name: str) -> tuple[int, int] | None:
    """Where the object's writes stand now; None when the connection does not count them (never reuse)."""
    marks = getattr(conn, "record_writes", None)
    if marks is None:
        return None
    return marks[object_name], marks[ROLLBACK]

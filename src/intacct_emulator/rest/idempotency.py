"""`Idempotency-Key` on POST and PATCH (reference §6).

An identical retry within `rest_replay_hours` (48 h) gets the original status
and body back, with `x-ia-idempotency-cached-date`; the same key with another
body, or after the replay window but within `rest_key_days` (60 days), is a 409.
Keys are scoped to company and user. The record of a key commits in the same
transaction as the write it answers, failures included, so a retry after a lost
answer replays instead of writing twice. A key still in flight is refused by the
endpoint (`InFlight`), since the first request has not committed anything yet.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from intacct_emulator.config import EmulatorConfig

from .envelope import RestError

MAX_KEY = 256


class KeyRefused(RestError):
    """The key itself is refused (malformed, reused): the answer is not remembered under it."""


@dataclass(frozen=True)
class Replay:
    status: int
    body: Any
    cached_at: datetime


def check_key(key: str) -> None:
    if len(key) > MAX_KEY or not key.isprintable() or not key.isascii():
        raise KeyRefused(400, "invalidRequest", f"Idempotency-Key must be printable ASCII of at most {MAX_KEY} characters")


def request_digest(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def previous(conn: sqlite3.Connection, company_id: str, user_id: str, key: str, digest: str, now: datetime,
             config: EmulatorConfig) -> Replay | None:
    """The answer to replay for this key, None when the key is new; a 409 when it may not be reused."""
    row = conn.execute("SELECT request_digest, status, body, created_at FROM rest_idempotency"
                       " WHERE company_id = ? AND user_id = ? AND idempotency_key = ?",
                       (company_id, user_id, key)).fetchone()
    if row is None:
        return None
    age = now.timestamp() - row["created_at"]
    if age > config.rest_key_days * 86_400:
        conn.execute("DELETE FROM rest_idempotency WHERE company_id = ? AND user_id = ? AND idempotency_key = ?",
                     (company_id, user_id, key))
        return None
    cached_at = datetime.fromtimestamp(row["created_at"], UTC)
    if row["request_digest"] != digest:
        raise KeyRefused(409, "conflict", f"Idempotency-Key {key} was already used with a different request"
                        f" on {cached_at.isoformat()}; use a new key for a new request")
    if age > config.rest_replay_hours * 3600:
        raise KeyRefused(409, "conflict", f"Idempotency-Key {key} was used on {cached_at.isoformat()}, beyond the"
                        f" {config.rest_replay_hours:g} h replay window; look the record up instead")
    return Replay(row["status"], json.loads(row["body"]) if row["body"] else None, cached_at)


def remember(conn: sqlite3.Connection, company_id: str, user_id: str, key: str, digest: str, status: int,
             body: Any, now: datetime) -> None:
    conn.execute("INSERT OR REPLACE INTO rest_idempotency (company_id, user_id, idempotency_key, request_digest,"
                 " status, body, created_at) VALUES (?,?,?,?,?,?,?)",
                 (company_id, user_id, key, digest, status, json.dumps(body) if body is not None else "",
                  now.timestamp()))

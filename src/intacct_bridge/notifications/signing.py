"""Signing a webhook's body so the receiver can tell it came from this workspace and is fresh.

`X-Intacct-Bridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` — the scheme
Stripe documents: the timestamp is signed with the body, so a receiver refuses replays older than a
few minutes, and compares with `hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Intacct-Bridge-Signature"
EVENT_HEADER = "X-Intacct-Bridge-Event"
DELIVERY_HEADER = "X-Intacct-Bridge-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """Whether `header` signs `body` with `secret` (what a receiver does; the tests use it)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")

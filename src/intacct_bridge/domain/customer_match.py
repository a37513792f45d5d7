"""Finding a source customer among Intacct's, and the CUSTOMERID of one we create (seed 003).

Both sides of a match go through the same key function, so "ACME  Corp" in the shop and
"Acme Corp" in Intacct meet. A new CUSTOMERID is derived from the source's id, never random:
a retry after a lost answer asks for the same id, and Intacct's "already exists" or a lookup
by that id settles whether the first attempt went through.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from intacct_bridge.domain.receivables import CustomerMatch, CustomerView

# Chosen: the public sources give no length for CUSTOMERID; 20 is the common limit of Intacct's
# record ids, and a shorter id is always accepted where a longer one is.
CUSTOMER_ID_MAX = 20
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")
_HASH_LENGTH = 6


def normalize(text: str | None) -> str | None:
    """Case-, accent-width- and blank-insensitive form of a name (None when there is nothing)."""
    if text is None:
        return None
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return folded or None


def _first_last(first: str | None, last: str | None) -> str | None:
    if not (normalize(first) and normalize(last)):
        return None
    return normalize(f"{first} {last}")


def customer_key(record: CustomerView, strategy: CustomerMatch) -> str | None:
    """What a source customer is matched on; None when it lacks it (or under catch-all: no key)."""
    if strategy is CustomerMatch.NAME:
        return normalize(record.name)
    if strategy is CustomerMatch.FIRST_LAST:
        return _first_last(record.first_name, record.last_name)
    if strategy is CustomerMatch.COMPANY:
        return normalize(record.company_name)
    return None


def intacct_customer_key(row: Mapping[str, Any], strategy: CustomerMatch) -> str | None:
    """The same key for a CUSTOMER pulled from Intacct (NAME, DISPLAYCONTACT.FIRSTNAME/LASTNAME/COMPANYNAME).

    Accepts the dotted names of a query answer or the nested DISPLAYCONTACT of a read.
    """
    contact = row.get("DISPLAYCONTACT") if isinstance(row.get("DISPLAYCONTACT"), Mapping) else {}

    def field(name: str) -> str | None:
        value = row.get(f"DISPLAYCONTACT.{name}", contact.get(name))  # type: ignore[union-attr]
        return value if isinstance(value, str) else None

    if strategy is CustomerMatch.NAME:
        name = row.get("NAME")
        return normalize(name if isinstance(name, str) else None)
    if strategy is CustomerMatch.FIRST_LAST:
        return _first_last(field("FIRSTNAME"), field("LASTNAME"))
    if strategy is CustomerMatch.COMPANY:
        return normalize(field("COMPANYNAME"))
    return None


def display_name(record: CustomerView) -> str | None:
    """The NAME a customer gets in Intacct: its name, else its company, else first + last."""
    for candidate in (record.name, record.company_name, f"{record.first_name or ''} {record.last_name or ''}"):
        if candidate and candidate.strip():
            return " ".join(candidate.split())
    return None


def new_customer_id(external_id: str, prefix: str = "C-") -> str:
    """prefix + the source's id, cut to what CUSTOMERID holds; deterministic.

    Characters other than letters, digits, `-` and `_` become `_`. When that changes the id or
    it is too long, a short hash of the original id is appended (within the limit), so two
    source ids never share one CUSTOMERID: `C-john_doe_3f2a1b` for "john.doe".
    """
    clean_prefix = _NOT_ID.sub("_", prefix)
    body = _NOT_ID.sub("_", external_id.strip())
    candidate = f"{clean_prefix}{body}"
    if body == external_id.strip() and body and len(candidate) <= CUSTOMER_ID_MAX:
        return candidate
    digest = hashlib.sha256(external_id.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    room = CUSTOMER_ID_MAX - len(clean_prefix) - _HASH_LENGTH - 1
    if room < 1:
        return f"{clean_prefix}{digest}"[:CUSTOMER_ID_MAX]
    return f"{clean_prefix}{body[:room]}_{digest}"

"""Find records already in Intacct by a key field: how an uncertain outcome is settled.

After a lost answer, a duplicate-control-id answer or a crash between sending and
recording, the caller asks Intacct whether the record exists (a GLBATCH by
REFERENCENO, an ARINVOICE by RECORDID, an ARPYMT by DOCNUMBER, an SODOCUMENT by
PONUMBER, a CUSTOMER by CUSTOMERID) instead of writing it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from . import query as q

KEYS_PER_QUERY = 100  # keeps each filter small; one query page answers each group


class LookupClient(Protocol):
    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Any: ...


def _groups(keys: Iterable[str], size: int) -> Iterator[list[str]]:
    group: list[str] = []
    for key in keys:
        group.append(key)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def find_records(client: LookupClient, object_name: str, key_field: str, keys: Iterable[str],
                 fields: Sequence[str] = ("RECORDNO",), *, group_size: int = KEYS_PER_QUERY,
                 **query_options: Any) -> dict[str, dict[str, Any]]:
    """Map each key that has a record of ``object_name`` to that record's ``fields`` (plus the key field).

    Keys are looked up ``group_size`` at a time with an `in` filter; when several records share a key
    (REFERENCENO is not unique), the one with the lowest RECORDNO is kept. Keys not found are left out.
    """
    select = list(dict.fromkeys([key_field, "RECORDNO", *fields]))
    found: dict[str, dict[str, Any]] = {}
    for group in _groups(dict.fromkeys(keys), group_size):
        rows = client.iter_query(object_name, select, filter=q.in_(key_field, group), order_by=["RECORDNO"],
                                 page_size=max(len(group), 1), **query_options)
        for row in rows:
            key = row.get(key_field)
            if key and key not in found:
                found[str(key)] = row
    return found


def find_pairs(client: LookupClient, object_name: str, key_field: str, other_field: str,
               pairs: Iterable[tuple[str, str]], fields: Sequence[str] = ("RECORDNO",), *,
               group_size: int = KEYS_PER_QUERY) -> dict[tuple[str, str], dict[str, Any]]:
    """Like `find_records`, for a key unique only together with another field (an AP bill's RECORDID and
    VENDORID): map each (key, other) pair that has a record to that record's fields (lowest RECORDNO)."""
    select = list(dict.fromkeys([key_field, other_field, "RECORDNO", *fields]))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for group in _groups(dict.fromkeys(pairs), group_size):  # type: ignore[arg-type]
        wanted = set(group)
        keys = sorted({key for key, _ in group})
        rows = client.iter_query(object_name, select, filter=q.in_(key_field, keys), order_by=["RECORDNO"],
                                 page_size=max(len(keys), 1))
        for row in rows:
            pair = (str(row.get(key_field) or ""), str(row.get(other_field) or ""))
            if pair in wanted and pair not in found:
                found[pair] = row
    return found

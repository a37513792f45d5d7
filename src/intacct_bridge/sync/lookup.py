"""Find journal entries already in Intacct by their REFERENCENO.

This is how an uncertain outcome is settled: after a lost response, a
duplicate-control-id answer, or a crash between sending and recording, the
engine asks Intacct whether the entry exists instead of posting again.
"""

from __future__ import annotations

from collections.abc import Iterable

from intacct_bridge.intacct.lookup import KEYS_PER_QUERY, LookupClient, find_records

__all__ = ["LookupClient", "find_entries", "REFERENCES_PER_QUERY"]

REFERENCES_PER_QUERY = KEYS_PER_QUERY


def find_entries(client: LookupClient, references: Iterable[str]) -> dict[str, str]:
    """Map each reference that has a GLBATCH in Intacct to that batch's RECORDNO."""
    found = find_records(client, "GLBATCH", "REFERENCENO", references, ["RECORDNO"],
                         group_size=REFERENCES_PER_QUERY)
    return {reference: str(row["RECORDNO"]) for reference, row in found.items() if row.get("RECORDNO")}

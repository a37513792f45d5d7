"""Find journal entries already in Intacct by their REFERENCENO.

This is how an uncertain outcome is settled: after a lost response, a
duplicate-control-id answer, or a crash between sending and recording, the
engine asks Intacct whether the entry exists instead of posting again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from intacct_bridge.intacct import query as q

REFERENCES_PER_QUERY = 100  # keeps each filter small; one query page answers each group


class LookupClient(Protocol):
    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Any: ...


def find_entries(client: LookupClient, references: Iterable[str]) -> dict[str, str]:
    """Map each reference that has a GLBATCH in Intacct to that batch's RECORDNO."""
    found: dict[str, str] = {}
    group: list[str] = []
    for reference in references:
        group.append(reference)
        if len(group) == REFERENCES_PER_QUERY:
            found.update(_query(client, group))
            group = []
    if group:
        found.update(_query(client, group))
    return found


def _query(client: LookupClient, references: list[str]) -> dict[str, str]:
    rows = client.iter_query(
        "GLBATCH",
        ["RECORDNO", "REFERENCENO"],
        filter=q.in_("REFERENCENO", references),
        page_size=max(len(references), 1),
    )
    found: dict[str, str] = {}
    for row in rows:
        reference, recordno = row.get("REFERENCENO"), row.get("RECORDNO")
        if reference and recordno and reference not in found:
            found[reference] = str(recordno)
    return found

"""Master data read back for reconciliation: customers, vendors and items, field by field.

A master record's Intacct id is its reference (CUSTOMERID, VENDORID, ITEMID); its posted write's
summary keeps every value sent (a rename: the name only). Intacct is asked, page by page and a
hundred ids at a time, for the ids this workspace posted and for those of its records not recorded
as posted; the answer says which posted ones were deleted there (missing), which show another value
in a field we sent (changed), and which are there under an id we hold but never recorded as posted
(unrecorded). Declared once (`MasterReadsBack`), used by `Customers`, `Vendors` and `Items`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from sqlalchemy import select

from intacct_bridge.domain.master_data import read_path
from intacct_bridge.domain.reconciliation import HeldEntry
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct import query as q
from intacct_bridge.sync.kinds import FindClient, ReadBackScope

IDS_PER_QUERY = 100
PAGE_SIZE = 1000


def posted_fields(summary: dict[str, Any]) -> tuple[tuple[str, str], ...] | None:
    """The (field path, value) pairs a master write's summary says were sent (None: it keeps none)."""
    if isinstance(summary.get("values"), dict):
        return tuple(sorted((str(k), "" if v is None else str(v)) for k, v in summary["values"].items()))
    if "name" in summary:   # a matched customer renamed: the name only
        return (("NAME", str(summary["name"])),)
    return None


def chunked(values: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class MasterReadsBack:
    """The read-back capability (`sync.kinds.ReadsBack`) of a master-data kind, from three declarations."""

    name: ClassVar[str]
    label: ClassVar[str]
    model: ClassVar[Any]
    readback_object: ClassVar[str]       # CUSTOMER, VENDOR, ITEM
    readback_id_field: ClassVar[str]     # CUSTOMERID, VENDORID, ITEMID
    readback_id_column: ClassVar[str]    # the model's column holding that id: customer_id, vendor_id, item_id

    def readback_paths(self) -> list[str]:
        """The Intacct fields a posted record may have sent."""
        raise NotImplementedError

    def posted_entry(self, posting: Any) -> HeldEntry | None:
        fields = posted_fields(posting.request_summary or {})
        if fields is None:
            return None
        return HeldEntry(self.name, posting.reference_no, None, None, (), key=posting.reference_no,
                         record_id=posting.record_id, fields=fields)

    def read_back(self, client: FindClient, scope: ReadBackScope) -> Iterator[HeldEntry]:
        """Intacct's records under the ids we posted, or hold without having posted them. Never writes."""
        wanted = sorted(scope.references | self._unposted_ids(scope))
        paths = self.readback_paths()
        select_fields = [self.readback_id_field, *(p for p in paths if p != self.readback_id_field)]
        for ids in chunked(wanted, IDS_PER_QUERY):
            for row in client.iter_query(self.readback_object, select_fields, filter=q.in_(self.readback_id_field, ids),
                                         order_by=[self.readback_id_field], page_size=PAGE_SIZE):
                key = str(row.get(self.readback_id_field) or "")
                values = tuple((path, _text(read_path(row, path))) for path in paths)
                yield HeldEntry(self.name, key, None, None, (), key=key, fields=values)

    def _unposted_ids(self, scope: ReadBackScope) -> set[str]:
        """Ids of this workspace's records of the kind that are not recorded as posted (reading the store only)."""
        if scope.store is None:
            return set()
        column = getattr(self.model, self.readback_id_column)
        with scope.store.session() as session:
            return {str(v) for v in session.scalars(select(column).where(
                self.model.workspace_id == scope.workspace_id, self.model.status != ActionStatus.POSTED.value,
                column.is_not(None)))}


def _text(value: Any) -> str:
    return "" if value is None else str(value)

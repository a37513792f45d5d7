"""Cancellations: a record kind of the outbox (`document_cancellation`), posted before corrected invoices and bills.

A row of `document_cancellations` is made when a posted invoice or bill changes or is deleted at the
source (`store.repositories.document_changes`). It becomes one `create_aradjustment` (invoice) or
`create_apadjustment` (bill) with the original's lines negated, naming the original's number so the
credit is applied to it; referenced `ib-<ws>-can<id>` in EXTERNALID and found again by it. The
corrected version of the document waits for it (`Invoices.waiting_on`, `Bills.waiting_on`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.buildable import buildable
from intacct_bridge.domain.cancellation import (INVOICE, CancellationSource, cancellation_payload,
                                                cancellation_problems, cancellation_summary, cancellation_total)
from intacct_bridge.domain.closed_periods import DocumentDates, closed_through_for, move_document
from intacct_bridge.domain.identifiers import record_reference
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct.legacy import CreateApAdjustment, CreateArAdjustment
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import DocumentCancellation
from intacct_bridge.sync.closed_books import read_closed_books
from intacct_bridge.sync.correction_queue import CorrectionQueue
from intacct_bridge.sync.kinds import BuildError, Checked, FindClient, Lookup, Outgoing, RunScope
from intacct_bridge.sync.levels import scoped

DATES = DocumentDates("datecreated", "description")
OBJECTS = {INVOICE: ("ARADJUSTMENT", "ARINVOICE"), "bill": ("APADJUSTMENT", "APBILL")}


class UnknownCancellation(LookupError):
    """"Sync this record now" named a cancellation this workspace does not have."""


@dataclass(frozen=True)
class CancellationView:
    id: int
    source: CancellationSource


def source_of(row: DocumentCancellation, external_id: str = "") -> CancellationSource:
    return CancellationSource(row.record_kind, external_id or row.original_reference, row.version, row.reason,
                              row.original_reference, row.original_key, dict(row.original), row.cancel_date)


class DocumentCancellations(CorrectionQueue):
    """Cancellations of posted invoices and bills → ARADJUSTMENT / APADJUSTMENT."""

    name: ClassVar[str] = "document_cancellation"
    label: ClassVar[str] = "cancellations"
    model = DocumentCancellation
    noun = "cancellation"
    key_column = "intacct_key"
    unknown = UnknownCancellation

    def before_posting(self, client: Any, store: Store, scope: RunScope, dry_run: bool) -> int:
        """The closed-through dates at `next_open`; and the number Intacct gave an original it numbered itself
        (read by its RECORDNO), which the adjustment must name."""
        assert self._settings is not None, "prepare() first"
        self._closed = read_closed_books(client, self._settings, self._entities)
        with store.session() as session:
            missing = [row for row in session.scalars(select(DocumentCancellation).where(self._filter(scope)))
                       if not row.original.get("number") and row.original_key]
        for row in missing:
            object_name = OBJECTS[row.record_kind][1]
            entity = (row.original.get("written_at") or {}).get("entity")
            found = find_records(scoped(client, entity), object_name, "RECORDNO", [row.original_key], ["RECORDID"])
            number = next((str(r.get("RECORDID") or "") for r in found.values()), "")
            if number:
                with store.write_session() as session:
                    stored = session.get(DocumentCancellation, row.id)
                    stored.original = {**stored.original, "number": number}
        return len(missing)

    def view_of(self, row: DocumentCancellation) -> CancellationView:
        return CancellationView(row.id, source_of(row))

    def check(self, view: Any) -> Checked:
        return Checked(view.id, view.source, tuple(cancellation_problems(view.source)))

    def build(self, checked: Checked, scope: RunScope) -> Outgoing:
        source: CancellationSource = checked.view
        reference = record_reference(scope.workspace_uid, self.name, checked.record_id)
        payload = buildable(lambda: cancellation_payload(source, reference), {}, lambda built: built)
        if isinstance(payload, list):
            raise BuildError(payload)
        written_at = source.original.get("written_at") or {}   # where the original went, not today's level
        moved = None
        if self._closed is not None:
            payload, moved = move_document(payload, DATES, closed_through_for(self._closed, written_at.get("entity")))
        builder = CreateArAdjustment if source.record_kind == INVOICE else CreateApAdjustment
        summary = cancellation_summary(source, payload)
        if moved is not None:
            summary["original_date"] = moved.original_date.isoformat()
        return Outgoing(record_id=checked.record_id, function=builder(payload, controlid=""), reference=reference,
                        amount=cancellation_total(source), posting_date=payload["datecreated"], summary=summary,
                        notes=(moved,) if moved else (), preview=payload, entity=written_at.get("entity"),
                        level=written_at.get("level"))

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        """Found by EXTERNALID in ARADJUSTMENT or APADJUSTMENT (the object is in the write's summary)."""
        found: dict[str, str] = {}
        for object_name in ("ARADJUSTMENT", "APADJUSTMENT"):
            references = [lookup.reference for lookup in lookups
                          if (lookup.summary or {}).get("object", "ARADJUSTMENT") == object_name]
            if references:
                rows = find_records(client, object_name, "EXTERNALID", references)
                found.update({key: str(row["RECORDNO"]) for key, row in rows.items()})
        return found


def waiting_for_cancellation(session: Session, kind: str, record_ids: Sequence[int]) -> dict[int, str]:
    """Documents (of `kind`, by id) whose earlier version's cancellation is not posted yet: the corrected
    version waits for it, so Intacct never holds both at once."""
    if not record_ids:
        return {}
    rows = session.execute(select(DocumentCancellation.record_id, DocumentCancellation.version).where(
        DocumentCancellation.record_kind == kind, DocumentCancellation.record_id.in_(list(record_ids)),
        DocumentCancellation.status != ActionStatus.POSTED.value)).all()
    return {record_id: f"the cancellation of version {version} is not posted yet" for record_id, version in rows}

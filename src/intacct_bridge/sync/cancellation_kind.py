"""Cancellations: a record kind of the outbox (`document_cancellation`), posted before corrected invoices and bills.

A row of `document_cancellations` is made when a posted invoice or bill changes or is deleted at the
source (`store.repositories.document_changes`). It becomes one `create_aradjustment` (invoice) or
`create_apadjustment` (bill) with the original's lines negated, naming the original's number so the
credit is applied to it; referenced `ib-<ws>-can<id>` in EXTERNALID and found again by it. The
corrected version of the document waits for it (`Invoices.waiting_on`, `Bills.waiting_on`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.buildable import buildable
from intacct_bridge.domain.cancellation import (INVOICE, CancellationSource, cancellation_payload,
                                                cancellation_problems, cancellation_summary, cancellation_total)
from intacct_bridge.domain.closed_periods import ClosedThrough, DocumentDates, closed_through_for, move_document
from intacct_bridge.domain.identifiers import record_controlid, record_reference
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct.legacy import CreateApAdjustment, CreateArAdjustment
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import DocumentCancellation
from intacct_bridge.store.repositories import reference
from intacct_bridge.sync import review
from intacct_bridge.sync.closed_books import read_closed_books
from intacct_bridge.sync.kinds import (BuildError, Checked, FindClient, GateMode, Lookup, Outgoing, RunScope, Settled,
                                       keyset_chunks, outcome_rows)
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


class DocumentCancellations:
    """Cancellations of posted invoices and bills → ARADJUSTMENT / APADJUSTMENT."""

    name: ClassVar[str] = "document_cancellation"
    label: ClassVar[str] = "cancellations"
    depends_on: ClassVar[tuple[str, ...]] = ()
    flags_with_campaign: ClassVar[bool] = False
    gate_mode: ClassVar[GateMode] = GateMode.HOLD   # fixed: one cancellation never holds back another

    def __init__(self) -> None:
        self._settings: SyncSettings | None = None
        self._closed: ClosedThrough | None = None
        self._entities: frozenset[str] = frozenset()

    def prepare(self, store: Store, scope: RunScope, context: Any) -> None:
        self._settings = context.settings
        with store.session() as session:
            self._entities = reference.entity_ids(session, scope.workspace_id) or frozenset()

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

    def _filter(self, scope: RunScope) -> Any:
        conditions = [DocumentCancellation.workspace_id == scope.workspace_id,
                      DocumentCancellation.status != ActionStatus.POSTED.value,
                      DocumentCancellation.created_at < scope.run_started_at]
        if scope.only is not None:
            conditions.append(DocumentCancellation.id == scope.only[1])
        else:
            conditions.append(~review.held_back(scope.workspace_id, self.name, DocumentCancellation.id,
                                                scope.run_started_at))
        return and_(*conditions)

    def _mine(self, scope: RunScope) -> bool:
        return scope.only is None or scope.only[0] == self.name

    def count(self, session: Session, scope: RunScope) -> int:
        if not self._mine(scope):
            return 0
        return session.scalar(select(func.count()).select_from(DocumentCancellation)
                              .where(self._filter(scope))) or 0

    def chunks(self, store: Store, scope: RunScope, size: int) -> Iterator[list[Any]]:
        if not self._mine(scope):
            return
        yield from keyset_chunks(store, DocumentCancellation, self._filter(scope), size,
                                 lambda row: CancellationView(row.id, source_of(row)))

    def check(self, view: Any) -> Checked:
        return Checked(view.id, view.source, tuple(cancellation_problems(view.source)))

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        return {}  # the original is in Intacct: it was posted before its cancellation was made

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

    def controlid(self, workspace_uid: str, record_id: int, operation: str, generation: int) -> str:
        return record_controlid(workspace_uid, self.name, record_id, generation)

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

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        rows = outcome_rows(settled, now)
        if rows:
            session.execute(update(DocumentCancellation), rows)

    def nothing_to_do(self, session: Session, scope: RunScope) -> str:
        assert scope.only is not None
        row = session.get(DocumentCancellation, scope.only[1])
        if row is None or row.workspace_id != scope.workspace_id:
            raise UnknownCancellation(f"there is no cancellation {scope.only[1]} in this workspace")
        if row.status == ActionStatus.POSTED.value:
            return f"cancellation {row.id} is already posted (Intacct record {row.intacct_key})"
        return f"cancellation {row.id} was made after this run started; run again"


def waiting_for_cancellation(session: Session, kind: str, record_ids: Sequence[int]) -> dict[int, str]:
    """Documents (of `kind`, by id) whose earlier version's cancellation is not posted yet: the corrected
    version waits for it, so Intacct never holds both at once."""
    if not record_ids:
        return {}
    rows = session.execute(select(DocumentCancellation.record_id, DocumentCancellation.version).where(
        DocumentCancellation.record_kind == kind, DocumentCancellation.record_id.in_(list(record_ids)),
        DocumentCancellation.status != ActionStatus.POSTED.value)).all()
    return {record_id: f"the cancellation of version {version} is not posted yet" for record_id, version in rows}

"""Vendors and non-stock items (seed 001): created when missing, then updated field by field.

Both are `StoredKind`s declared by their `domain.master_data.MasterSpec`. A record never posted is
created with every value, keyed by its VENDORID / ITEMID (the reference it is found by when the
answer is lost). A posted one whose values moved since (its fingerprint differs from the posted
one) is a candidate again and is sent as an `update` of only the changed fields; that update is
one operation per set of new values, so a retry reuses its controlid, and it is settled by reading
the record back: found only when Intacct shows every value sent. What was posted is taken from
the posting's own summary, so a change imported while the write was in flight is not lost.

Master data is written at the top level of a multi-entity company (`top_level`, seed 001).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.master_data import (
    ITEM,
    VENDOR,
    MasterSpec,
    MasterView,
    fingerprint,
    holds,
    intacct_values,
    master_write,
    validate_master,
)
from intacct_bridge.domain.vocabulary import ActionStatus, PostingState
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.models import Item, Posting, Vendor
from intacct_bridge.store.repositories.receivables import VIEWS
from intacct_bridge.sync.kinds import Checked, FindClient, Lookup, Outcome, Outgoing, RunScope, Settled
from intacct_bridge.sync.master_readback import MasterReadsBack
from intacct_bridge.sync.receivables.stored import StoredKind

DONE = (Outcome.POSTED, Outcome.ALREADY_POSTED)


def master_outgoing(record_id: int, object_name: str, key_field: str, key: str, values: Mapping[str, str],
                    posted: Mapping[str, str] | None) -> Outgoing:
    """The create or the update of one master record, with what `find` and `record_posted_values` need."""
    write = master_write(key_field, key, values, posted)
    builder = fn.Create if write.create else fn.Update
    summary = {"id": key, "values": dict(values), "fingerprint": fingerprint(values), "changed": write.changed}
    return Outgoing(record_id, builder(object_name, write.payload, controlid=""), reference=key,
                    operation=write.operation, summary=summary)


def find_master(client: FindClient, object_name: str, key_field: str, paths: Sequence[str],
                lookups: Sequence[Lookup]) -> dict[str, str]:
    """A create is found by its id; an update only once Intacct shows every value it sent."""
    rows = find_records(client, object_name, key_field, [lookup.reference for lookup in lookups], paths)
    found = {}
    for lookup in lookups:
        row = rows.get(lookup.reference)
        if row is None:
            continue
        changed = (lookup.summary or {}).get("changed")
        if lookup.operation != "create" and changed is not None and not holds(row, changed):
            continue
        found[lookup.reference] = lookup.reference
    return found


def changed_since_posted(model: Any, scope: RunScope) -> Any:
    """Posted records whose values moved since they were last posted: sent again as updates."""
    condition = and_(model.workspace_id == scope.workspace_id, model.status == ActionStatus.POSTED.value,
                     model.posted_fingerprint.is_not(None), model.fingerprint.is_not(None),
                     model.fingerprint != model.posted_fingerprint)
    return and_(condition, model.id == scope.only[1]) if scope.only is not None else condition


def record_posted_values(session: Session, model: Any, kind_name: str, settled: Sequence[Settled],
                         only: Any = None) -> None:
    """Keep, for the records just posted, the values and id Intacct was sent (from their postings)."""
    done = [s.record_id for s in settled if s.outcome in DONE]
    if not done:
        return
    summaries: dict[int, Mapping[str, Any]] = {}
    for record_id, summary in session.execute(
            select(Posting.record_id, Posting.request_summary).where(
                Posting.record_kind == kind_name, Posting.record_id.in_(done),
                Posting.state == PostingState.POSTED.value).order_by(Posting.generation)):
        if summary and "values" in summary:
            summaries[record_id] = summary  # the newest posted write wins
    query = select(model).where(model.id.in_(list(summaries)))
    for row in session.scalars(query if only is None else query.where(only)):
        sent = summaries[row.id]
        row.posted_values, row.posted_fingerprint, row.intacct_key = sent["values"], sent["fingerprint"], sent["id"]
        if row.fingerprint is None:  # a row that never had one (created inline by a document)
            row.fingerprint = sent["fingerprint"]


class MasterKind(MasterReadsBack, StoredKind):
    """A master-data kind: the outbox's StoredKind with create-or-update writes, at the top level."""

    top_level: ClassVar[bool] = True   # written at the top level of a multi-entity company, whatever the
    #                                    workspace's posting level (seed 001): see `sync.levels`
    spec: ClassVar[MasterSpec]
    rules = staticmethod(validate_master)

    # Read back (`sync.master_readback`): the spec's object, id field and source id column.
    @property
    def readback_object(self) -> str:  # type: ignore[override]
        return self.spec.object_name

    @property
    def readback_id_field(self) -> str:  # type: ignore[override]
        return self.spec.id_field

    @property
    def readback_id_column(self) -> str:  # type: ignore[override]
        return self.spec.source_id

    def readback_paths(self) -> list[str]:
        """Every field `intacct_values` sends (the spec's, and what it derives, such as a vendor's PRINTAS)."""
        return list(intacct_values(self.spec, {}))

    def candidate_filter(self, scope: RunScope) -> Any:
        return or_(super().candidate_filter(scope), changed_since_posted(self.model, scope))

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        view: MasterView = checked.view
        return master_outgoing(view.id, self.spec.object_name, self.spec.id_field, view.intacct_id, view.values,
                               view.posted_values)

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        return find_master(client, self.spec.object_name, self.spec.id_field, self.spec.paths(), lookups)

    def record(self, session: Session, settled: Sequence[Settled], now: Any) -> None:
        super().record(session, settled, now)
        record_posted_values(session, self.model, self.name, settled)


class Vendors(MasterKind):
    name: ClassVar[str] = "vendor"
    label: ClassVar[str] = "vendors"
    spec = VENDOR
    model = Vendor
    to_view = staticmethod(VIEWS[VENDOR.kind])


class Items(MasterKind):
    name: ClassVar[str] = "item"
    label: ClassVar[str] = "items"
    spec = ITEM
    model = Item
    to_view = staticmethod(VIEWS[ITEM.kind])

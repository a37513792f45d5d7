"""What the order-to-cash kinds share: candidates read from their table, checks, finds and outcomes.

Each kind (`customers.py`, `invoices.py`...) names its model, its rules, the Intacct object and
field its reference is found by, and builds its write; this base turns those into the
`sync.kinds.RecordKind` the outbox runs. Records carry `OutboxColumns` (status, intacct_key,
posted_at, last_error), so one `record` serves them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import ClosedThrough, DocumentDates, closed_through_for, move_document
from intacct_bridge.domain.entities import ReferenceGate
from intacct_bridge.domain.identifiers import record_controlid, record_reference
from intacct_bridge.domain.line_dimensions import line_dimension_reasons
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.receivables import ReceivablesSettings
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import ActionStatus, PostingLevel
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.database import Store
from intacct_bridge.store.repositories import reference
from intacct_bridge.store.repositories.receivables import stored_receivables_settings
from intacct_bridge.domain.buildable import buildable
from intacct_bridge.sync import review
from intacct_bridge.sync.closed_books import read_closed_books
from intacct_bridge.sync.kinds import (BuildError, Checked, FindClient, Lookup, Outgoing, RunScope, Settled,
                                       keyset_chunks, outcome_rows)


class UnknownRecord(LookupError):
    """"Sync this record now" named a record this workspace does not have."""


class StoredKind:
    """A record kind whose records live in one table with the outbox columns."""

    name: ClassVar[str]
    label: ClassVar[str]
    depends_on: ClassVar[tuple[str, ...]] = ()
    flags_with_campaign: ClassVar[bool] = False
    model: ClassVar[Any]
    rules: ClassVar[Callable[[Any, ReceivablesSettings], list[Reason]]]
    to_view: ClassVar[Callable[[Any], Any]]
    # Master data declares `top_level = True` (`sync.levels`): written at the top level whatever the workspace's
    # level (seed 001); the other kinds post at their record's entity at the entity level.
    top_level: ClassVar[bool] = False
    # Whether a record's `terms` are AR terms, checked against those pulled (AP documents check their own).
    ar_terms: ClassVar[bool] = True
    # Where a document's payload keeps its date (and description): at `closed_period_policy = next_open` one
    # dated in a closed period posts on the next open day of its entity. None: not dated (master data).
    dates: ClassVar[DocumentDates | None] = None

    def __init__(self) -> None:
        self.settings = ReceivablesSettings()
        self.sync_settings = SyncSettings()
        self.reference_gate = ReferenceGate(self.sync_settings, {}, None)
        self.entities: frozenset[str] = frozenset()
        self.closed: ClosedThrough | None = None  # read from Intacct at next_open (`before_posting`)

    # -- candidates -------------------------------------------------------------------------------

    def prepare(self, store: Store, scope: RunScope, context: Any) -> None:
        with store.session() as session:
            settings = stored_receivables_settings(session, scope.workspace_id)
        custom = context.settings.custom_field
        if custom is not None and settings.custom_line_field is None:
            settings = replace(settings, custom_line_field=custom.gl_field)  # the workspace's dimension, e.g. GLDIMFUND
        self.settings = replace(settings, user_dimensions=context.settings.user_dimensions)
        self.sync_settings = context.settings  # read once per run: the whole run posts at one level
        if not self.top_level:
            with store.session() as session:
                self.reference_gate = reference.reference_gate(session, scope.workspace_id, context.settings)
                at_entities = context.settings.posting_level is PostingLevel.ENTITY
                self.entities = (reference.entity_ids(session, scope.workspace_id) if at_entities else None) \
                    or frozenset()

    def before_posting(self, client: Any, store: Store, scope: RunScope, dry_run: bool) -> int:
        """Read what the kind needs from Intacct before the gate: the books' closed-through dates at
        `next_open` (the connection's and each pulled entity's), then the kind's own reads (`read_intacct`)."""
        if self.document_dates() is not None and not self.top_level and self._mine(scope):
            self.closed = read_closed_books(client, self.sync_settings, self.entities)
        return self.read_intacct(client, store, scope, dry_run)

    def read_intacct(self, client: Any, store: Store, scope: RunScope, dry_run: bool) -> int:
        return 0

    def document_dates(self) -> DocumentDates | None:
        return type(self).dates

    def entity_of(self, view: Any) -> str | None:
        """The entity session this record is written in (None: the top level / the connection's)."""
        if self.top_level:
            return None
        return self.sync_settings.entity_for(getattr(view, "entity", None))

    def candidate_filter(self, scope: RunScope) -> Any:
        """Unposted records the source created before the run started (and on or after the start date)."""
        model = self.model
        conditions = [model.workspace_id == scope.workspace_id,
                      model.status.not_in((ActionStatus.POSTED.value, ActionStatus.WITHDRAWN.value)),
                      model.created_at < scope.run_started_at]
        if scope.only is not None:
            conditions.append(model.id == scope.only[1])
        else:  # the error queue keeps held, ignored and not-yet-due records out (one-record syncs send them)
            conditions.append(~review.held_back(scope.workspace_id, self.name, model.id, scope.run_started_at))
            if scope.not_before is not None:
                conditions.append(model.created_at >= scope.not_before)
        return and_(*conditions)

    def _mine(self, scope: RunScope) -> bool:
        return scope.only is None or scope.only[0] == self.name

    def count(self, session: Session, scope: RunScope) -> int:
        if not self._mine(scope):
            return 0
        return session.scalar(select(func.count()).select_from(self.model).where(self.candidate_filter(scope))) or 0

    def chunks(self, store: Store, scope: RunScope, size: int) -> Iterator[list[Any]]:
        if not self._mine(scope):
            return
        yield from keyset_chunks(store, self.model, self.candidate_filter(scope), size, type(self).to_view)

    def check(self, view: Any) -> Checked:
        reasons = [*type(self).rules(view, self.settings), *line_dimension_reasons(view, self.settings.user_dimensions)]
        if not self.top_level:
            reasons = [*reasons, *self.reference_gate.record_reasons(view, ar_terms=self.ar_terms)]
        return Checked(view.id, view, tuple(reasons))

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        return {}

    # -- the write ----------------------------------------------------------------------------------

    def build(self, checked: Checked, scope: RunScope) -> Outgoing:
        """The kind's write, or `BuildError` with reasons when it cannot be sent (a character XML cannot
        carry in any text of the request, a builder failing): one record never fails its batch."""
        built = buildable(lambda: self.write(checked, scope), {}, lambda out: _payload(out.function),
                          passthrough=(BuildError,))
        if isinstance(built, list):
            raise BuildError(built)
        entity = self.entity_of(checked.view)
        return replace(self._dated(built, entity), entity=entity, level=self.sync_settings.posting_level.value)

    def _dated(self, built: Outgoing, entity: str | None) -> Outgoing:
        """The write as it posts: moved to the next open day when dated in a closed period (at next_open)."""
        dates = self.document_dates()
        if self.closed is None or dates is None:
            return built
        function = built.function
        payload = _payload(function)
        single = isinstance(payload, dict)
        record = payload if single else payload[0]
        moved_payload, moved = move_document(dict(record), dates, closed_through_for(self.closed, entity))
        if moved is None:
            return built
        if hasattr(function, "fields"):   # a legacy builder: the same function with the moved fields
            function = type(function)(moved_payload, controlid=function.controlid, attributes=function.attributes)
        else:
            function = replace(function, records=moved_payload if single else [moved_payload, *payload[1:]])
        summary = {**(built.summary or {}), "original_date": moved.original_date.isoformat(),
                   "date": moved.posted_on.isoformat()}
        return replace(built, function=function, posting_date=moved.posted_on, summary=summary,
                       notes=(*built.notes, moved))

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        raise NotImplementedError

    # -- identity and lookup ----------------------------------------------------------------------

    def reference(self, scope: RunScope, record_id: int) -> str:
        return record_reference(scope.workspace_uid, self.name, record_id)

    def controlid(self, workspace_uid: str, record_id: int, operation: str, generation: int) -> str:
        value = record_controlid(workspace_uid, self.name, record_id, generation)
        return value if operation == "create" else f"{value}-{operation}"

    def lookup_target(self) -> tuple[str, str]:
        """(Intacct object, field) the reference is found by."""
        raise NotImplementedError

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        object_name, field = self.lookup_target()
        rows = find_records(client, object_name, field, [lookup.reference for lookup in lookups])
        return {key: str(row.get("RECORDNO") or key) for key, row in rows.items()}

    # -- outcomes ---------------------------------------------------------------------------------

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        rows = outcome_rows(settled, now)
        if rows:
            session.execute(update(self.model), rows)

    def nothing_to_do(self, session: Session, scope: RunScope) -> str:
        assert scope.only is not None
        row = session.get(self.model, scope.only[1])
        singular = self.label[:-1]
        if row is None or row.workspace_id != scope.workspace_id:
            raise UnknownRecord(f"there is no {singular} {scope.only[1]} in this workspace")
        if row.status == ActionStatus.POSTED.value:
            return f"{singular} {row.external_id} is already posted (Intacct record {row.intacct_key})"
        return f"{singular} {row.external_id} was created after this run started; run again"


def _payload(function: Any) -> Any:
    """What a builder carries: a generic write's records, or a legacy function's fields."""
    return getattr(function, "records", None) or getattr(function, "fields", None)


def not_posted_parents(session: Session, child: Any, parent: Any, link: Any, ids: Sequence[int],
                       describe: Callable[[Any], str]) -> dict[int, str]:
    """Children (by id) one of whose parents is not posted yet, with words naming the parent."""
    rows = session.execute(
        select(child.id, parent).join(parent, link).where(child.id.in_(list(ids)),
                                                          parent.status != ActionStatus.POSTED.value)
    ).all()
    waiting: dict[int, str] = {}
    for child_id, row in rows:
        waiting.setdefault(child_id, describe(row))
    return waiting

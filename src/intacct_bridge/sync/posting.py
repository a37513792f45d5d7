"""The outbox: posting records of any kind exactly once.

For each batch of one kind's records: (1) reserve — commit one `Posting` row per
record with its function controlid, derived from (workspace, record, operation,
generation), and the reference it can be found by, *before* any request leaves;
(2) send — one function per record, many per request, with `uniqueid=true`;
(3) settle — a clear answer is recorded as is, anything uncertain (lost response,
duplicate control id, `already_applied`) is settled by looking the record up by
its reference through the kind's `find`, never by posting again; (4) record —
postings, the kind's own records, the run's log and review flags in one commit.

A generation is bumped only after Intacct definitively rejected an attempt, so
a re-send after a crash reuses the same controlid and Intacct's uniqueid check
refuses to apply it twice. Nothing here knows which kind it posts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.vocabulary import UNSETTLED_POSTINGS, PostingState
from intacct_bridge.intacct import errors
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Posting, RunItem, utcnow
from intacct_bridge.sync import review
from intacct_bridge.domain.error_classes import TRANSIENT_CLASSES
from intacct_bridge.sync.diagnosis import error_class, intacct_message
from intacct_bridge.sync.levels import scoped
from intacct_bridge.sync.kinds import Lookup, Outcome, Outgoing, RecordKind, Settled

UNSETTLED = UNSETTLED_POSTINGS
JOURNAL_ENTRY = "journal_entry"

__all__ = ["UNSETTLED", "Outcome", "Poster", "Settled", "find_where_written", "log_items"]


@dataclass(frozen=True, slots=True)
class _Reserved:
    posting_id: int
    controlid: str
    reference: str
    operation: str
    summary: Any = None
    retry: bool = False               # a new attempt after Intacct rejected the previous one
    posted: bool = False              # already recorded as posted: never send again
    recordno: str | None = None       # its Intacct key, when posted
    entity: str | None = None         # the entity session it goes to (a re-send keeps the first attempt's)


class WriteClient(Protocol):
    def execute_many(self, functions: Sequence[fn.Function], **kwargs: Any) -> list[Any]: ...
    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Any: ...


@dataclass
class Poster:
    store: Store
    client: WriteClient
    workspace_id: int
    workspace_uid: str
    run_id: int
    kind: RecordKind
    clock: Callable[[], datetime] = utcnow
    counts: dict[str, int] = field(default_factory=dict)
    # Run first in each reservation's transaction (e.g. confirming the run's lock); raising rolls it back.
    guard: Callable[[Session], None] | None = None

    def post(self, batch: Sequence[Outgoing]) -> list[Settled]:
        """Reserve, send, settle and record one batch of one kind; returns every record's outcome."""
        if not batch:
            return []
        reserved = self._reserve(batch)
        known = self._known_posted(reserved)
        settled = self._send([item for item in batch if item.record_id not in known], reserved)
        settled += known.values()
        self._record(batch, reserved, settled)
        for item in settled:
            self.counts[item.outcome] = self.counts.get(item.outcome, 0) + 1
        return settled

    # -- 1. reserve ------------------------------------------------------------------------------

    def _reserve(self, batch: Sequence[Outgoing]) -> dict[int, _Reserved]:
        now = self.clock()
        with self.store.write_session() as session:
            if self.guard is not None:
                self.guard(session)
            latest = latest_postings(session, self.workspace_id, self.kind.name, [item.record_id for item in batch])
            reserved: dict[int, _Reserved] = {}
            fresh = []
            for item in batch:
                previous = latest.get(item.record_id)
                same_write = previous is not None and previous.operation == item.operation
                if same_write and previous.state == PostingState.POSTED.value:
                    reserved[item.record_id] = _Reserved(previous.id, previous.controlid, previous.reference_no,
                                                         previous.operation, posted=True,
                                                         recordno=previous.intacct_recordno, entity=previous.entity_id)
                    continue
                if same_write and previous.state in UNSETTLED:
                    # Same attempt again: same controlid, so uniqueid protects it; and the same entity, whatever
                    # the level is now (a change of level applies to future posts only).
                    previous.run_id, previous.state, previous.sent_at = self.run_id, PostingState.PENDING.value, now
                    reserved[item.record_id] = _Reserved(previous.id, previous.controlid, previous.reference_no,
                                                         previous.operation, previous.request_summary,
                                                         entity=previous.entity_id)
                    continue
                generation = 0 if previous is None else previous.generation + 1
                fresh.append(self._new_posting(item, generation, retry=same_write, now=now))
            if fresh:
                rows = session.execute(_NEW_POSTINGS, [values for values, _ in fresh])
                by_record = {row.record_id: row.id for row in rows}
                for values, retry in fresh:
                    rid = values["record_id"]
                    reserved[rid] = _Reserved(by_record[rid], values["controlid"], values["reference_no"],
                                              values["operation"], values["request_summary"], retry=retry,
                                              entity=values["entity_id"])
        return reserved

    def _known_posted(self, reserved: dict[int, _Reserved]) -> dict[int, Settled]:
        """Records not to send: recorded as posted, or (for a retry) found in Intacct by their reference."""
        known = {rid: Settled(rid, Outcome.ALREADY_POSTED, r.recordno) for rid, r in reserved.items() if r.posted}
        retries = {r.reference: rid for rid, r in reserved.items() if r.retry}
        if retries:
            lookups = [Lookup(ref, reserved[rid].operation, reserved[rid].summary, reserved[rid].entity)
                       for ref, rid in retries.items()]
            for reference, recordno in find_where_written(self.kind, self.client, lookups).items():
                known[retries[reference]] = Settled(retries[reference], Outcome.ALREADY_POSTED, recordno)
        return known

    def _new_posting(self, item: Outgoing, generation: int, *, retry: bool,
                     now: datetime) -> tuple[dict[str, Any], bool]:
        values = {
            "workspace_id": self.workspace_id,
            "record_kind": self.kind.name,
            "record_id": item.record_id,
            "operation": item.operation,
            "action_id": item.record_id if self.kind.name == JOURNAL_ENTRY else None,
            "run_id": self.run_id,
            "generation": generation,
            "controlid": self.kind.controlid(self.workspace_uid, item.record_id, item.operation, generation),
            "reference_no": item.reference,
            "state": PostingState.PENDING.value,
            "amount": item.amount,
            "posting_date": item.posting_date,
            "request_summary": dict(item.summary) if item.summary is not None else None,
            "entity_id": item.entity,
            "posting_level": item.level,
            "created_at": now,
            "sent_at": now,
        }
        return values, retry

    # -- 2. send, 3. settle ----------------------------------------------------------------------

    def _send(self, batch: Sequence[Outgoing], reserved: dict[int, _Reserved]) -> list[Settled]:
        """Send each entity's records in that entity's session (most runs: one group, the connection's)."""
        groups: dict[str | None, list[Outgoing]] = {}
        for item in batch:
            groups.setdefault(reserved[item.record_id].entity, []).append(item)
        settled: list[Settled] = []
        for entity, items in groups.items():
            settled += self._send_at(entity, items, reserved)
        return settled

    def _send_at(self, entity: str | None, batch: Sequence[Outgoing],
                 reserved: dict[int, _Reserved]) -> list[Settled]:
        functions = [_with_controlid(item.function, reserved[item.record_id].controlid) for item in batch]
        client = scoped(self.client, entity)
        try:
            answers: list[Any] = client.execute_many(functions, uniqueid=True, transaction=False)
        except errors.SignInError as exc:
            if entity is None:
                raise  # nothing ran; the postings stay pending and the next run settles them
            # The user may not reach this entity: nothing ran there; these records fail, the others go on.
            return [_unreachable(item.record_id, entity, exc) for item in batch]
        except errors.IntacctError as exc:
            answers = [exc] * len(functions)  # the whole request's fate is unknown
        settled: list[Settled] = []
        to_look_up: dict[str, tuple[Settled, _Reserved]] = {}
        for item, answer in zip(batch, answers, strict=True):
            result = _classify(item.record_id, answer)
            if entity is not None and result.outcome == Outcome.FAILED:
                result.message = f"at entity {entity}: {result.message}"  # e.g. a period closed at that entity
            settled.append(result)
            if result.outcome == Outcome.UNCONFIRMED:
                to_look_up[reserved[item.record_id].reference] = (result, reserved[item.record_id])
        if to_look_up:
            self._settle_by_reference(to_look_up)
        return settled

    def _settle_by_reference(self, pending: dict[str, tuple[Settled, _Reserved]]) -> None:
        lookups = [Lookup(ref, r.operation, r.summary, r.entity) for ref, (_, r) in pending.items()]
        try:
            found = find_where_written(self.kind, self.client, lookups)
        except errors.IntacctError as exc:
            for item, _ in pending.values():
                item.message = f"{item.message}; lookup failed too: {intacct_message(exc)}"
            return
        for reference, (item, _) in pending.items():
            if reference in found:
                item.outcome, item.recordno, item.message = Outcome.ALREADY_POSTED, found[reference], None
                item.error_class = None

    # -- 4. record -------------------------------------------------------------------------------

    def _record(self, batch: Sequence[Outgoing], reserved: dict[int, _Reserved], settled: list[Settled]) -> None:
        now = self.clock()
        notes = {item.record_id: [n.as_dict() for n in item.notes] or None for item in batch}
        with self.store.write_session() as session:
            session.execute(_SETTLE_POSTINGS, [_posting_row(reserved[s.record_id].posting_id, s, now) for s in settled])
            self.kind.record(session, settled, now)
            log_items(session, self.run_id, self.kind.name,
                      [(s.record_id, s.outcome, s.message, notes.get(s.record_id)) for s in settled])
            rejected = {
                s.record_id: [Reason(s.field, s.message if s.field != "intacct" else f"Intacct rejected it: {s.message}")]
                for s in settled
                if s.outcome == Outcome.FAILED
            }
            review.flag(session, self.workspace_id, self.kind, rejected, kind=review.REJECTED, run_id=self.run_id,
                        classes={s.record_id: s.error_class for s in settled if s.outcome == Outcome.FAILED})
            review.note_transient(session, self.workspace_id, self.kind, {
                s.record_id: (s.error_class, s.message or "") for s in settled
                if s.outcome == Outcome.UNCONFIRMED and s.error_class in TRANSIENT_CLASSES}, run_id=self.run_id, now=now)
            review.clear(session, self.workspace_id, self.kind,
                         [s.record_id for s in settled if s.outcome in (Outcome.POSTED, Outcome.ALREADY_POSTED)])


def find_where_written(kind: RecordKind, client: Any, lookups: Sequence[Lookup]) -> dict[str, str]:
    """The kind's `find`, asked in each lookup's own entity (where its write went), not the current level's."""
    by_entity: dict[str | None, list[Lookup]] = {}
    for lookup in lookups:
        by_entity.setdefault(lookup.entity, []).append(lookup)
    found: dict[str, str] = {}
    for entity, group in by_entity.items():
        found.update(kind.find(scoped(client, entity), group))
    return found


def _unreachable(record_id: int, entity: str, exc: errors.IntacctError) -> Settled:
    """A record whose entity the Intacct user may not sign in to: nothing was sent; the reason names the fix."""
    return Settled(record_id, Outcome.FAILED, field="entity", error_class=error_class(exc), message=(
        f"entity {entity}: the Intacct user cannot reach this entity ({intacct_message(exc)}). Fix: give the "
        f"Web Services user access to entity {entity} in Sage Intacct (Company > Admin > Users, entity access), "
        f"or change the record's entity (or the workspace's default entity), then sync again"))


def log_items(session: Session, run_id: int, record_kind: str,
              items: Sequence[tuple[int, str, str | None, Any]], previews: Mapping[int, Any] | None = None) -> None:
    """Append records' outcomes to a run's log (one row per record and run); a dry run passes what each record
    would send (`previews`, by record id: the posting summary)."""
    if not items:
        return
    now = utcnow()
    is_action = record_kind == JOURNAL_ENTRY
    session.execute(_LOG_ITEMS, [
        {"run_id": run_id, "record_kind": record_kind, "record_id": rid, "action_id": rid if is_action else None,
         "outcome": outcome, "message": message, "defaults_used": notes, "created_at": now,
         "preview": (previews or {}).get(rid)}
        for rid, outcome, message, notes in items
    ])


def _with_controlid(function: fn.Function, controlid: str) -> fn.Function:
    """The kind's function with the reserved controlid (a shallow copy: builders are frozen, their fields shared)."""
    stamped = copy.copy(function)
    object.__setattr__(stamped, "controlid", controlid)
    return stamped


# The batch writes as Core statements on the tables: executemany straight to the driver. The ORM's bulk
# paths do the same SQL with several times the CPU per row, and these rows are never loaded as objects.
_NEW_POSTINGS = insert(Posting.__table__).returning(Posting.__table__.c.id, Posting.__table__.c.record_id)
_SETTLE_POSTINGS = update(Posting.__table__).where(Posting.__table__.c.id == bindparam("posting_id"))
_LOG_ITEMS = insert(RunItem.__table__)


def _classify(record_id: int, answer: Any) -> Settled:
    """Turn one function's answer into an outcome; anything uncertain is UNCONFIRMED (to look up)."""
    if isinstance(answer, errors.DuplicateControlId):
        return Settled(record_id, Outcome.UNCONFIRMED, message="Intacct had already run this control id")
    if isinstance(answer, errors.FunctionError) and not answer.transient:
        return Settled(record_id, Outcome.FAILED, message=intacct_message(answer), error_class=error_class(answer))
    if isinstance(answer, errors.IntacctError):
        return Settled(record_id, Outcome.UNCONFIRMED, message=f"no clear answer: {intacct_message(answer)}",
                       error_class=error_class(answer))
    recordno = _recordno(answer)
    if answer.already_applied or recordno is None:
        return Settled(record_id, Outcome.UNCONFIRMED, message="Intacct applied this control id before")
    return Settled(record_id, Outcome.POSTED, recordno=recordno)


def _recordno(result: Any) -> str | None:
    for record in result.records or ():
        value = record.get("RECORDNO")
        if value:
            return str(value)
    return str(result.key) if result.key else None


_STATE_OF = {
    Outcome.POSTED: PostingState.POSTED.value,
    Outcome.ALREADY_POSTED: PostingState.POSTED.value,
    Outcome.FAILED: PostingState.FAILED.value,
    Outcome.UNCONFIRMED: PostingState.AMBIGUOUS.value,
}


def _posting_row(posting_id: int, settled: Settled, now: datetime) -> dict[str, Any]:
    finished = settled.outcome != Outcome.UNCONFIRMED
    return {
        "posting_id": posting_id,
        "state": _STATE_OF[settled.outcome],
        "intacct_recordno": settled.recordno,
        "intacct_message": settled.message,
        "finished_at": now if finished else None,
    }


def latest_postings(session: Session, workspace_id: int, record_kind: str, record_ids: list[int]) -> dict[int, Posting]:
    """Each record's newest posting (highest generation)."""
    latest: dict[int, Posting] = {}
    rows = session.scalars(
        select(Posting)
        .where(Posting.workspace_id == workspace_id, Posting.record_kind == record_kind,
               Posting.record_id.in_(record_ids))
        .order_by(Posting.generation)
    )
    for posting in rows:
        latest[posting.record_id] = posting
    return latest

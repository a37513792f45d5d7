"""Posting journal entries exactly once.

For each batch of actions: (1) reserve — commit one `Posting` row per action
with its function controlid, derived from (workspace, action, generation), and
its REFERENCENO, *before* any request leaves; (2) send — one GLBATCH create per
action, many per request, with `uniqueid=true`; (3) settle — a clear answer is
recorded as is, anything uncertain (lost response, duplicate control id,
`already_applied`) is settled by looking the entry up by its reference, never
by posting again; (4) record — postings, actions, the run's log and review
flags in one commit.

A generation is bumped only after Intacct definitively rejected an attempt, so
a re-send after a crash reuses the same controlid and Intacct's uniqueid check
refuses to apply it twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.identifiers import controlid
from intacct_bridge.domain.journal import JournalEntry
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.vocabulary import ActionStatus, PostingState
from intacct_bridge.intacct import errors
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, Posting, RunItem, utcnow
from intacct_bridge.sync import review
from intacct_bridge.sync.diagnosis import intacct_message
from intacct_bridge.sync.lookup import find_entries

UNSETTLED = (PostingState.PENDING.value, PostingState.SENT.value, PostingState.AMBIGUOUS.value)


class Outcome:
    """What happened to one action in a run (also the values of `RunItem.outcome`)."""

    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"
    INVALID = "invalid"
    HELD = "held"            # valid, but the run halted before posting anything
    WOULD_POST = "would_post"


@dataclass(slots=True)
class Settled:
    action_id: int
    outcome: str
    recordno: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class _Reserved:
    posting_id: int
    controlid: str
    reference: str
    retry: bool = False               # a new attempt after Intacct rejected the previous one
    posted: bool = False              # already recorded as posted: never send again
    recordno: str | None = None       # its Intacct RECORDNO, when posted


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
    clock: Callable[[], datetime] = utcnow
    counts: dict[str, int] = field(default_factory=dict)

    def post(self, batch: Sequence[JournalEntry]) -> list[Settled]:
        """Reserve, send, settle and record one batch; returns every action's outcome."""
        if not batch:
            return []
        reserved = self._reserve(batch)
        known = self._known_posted(reserved)
        settled = self._send([item for item in batch if item.action_id not in known], reserved)
        settled += known.values()
        self._record(batch, reserved, settled)
        for item in settled:
            self.counts[item.outcome] = self.counts.get(item.outcome, 0) + 1
        return settled

    # -- 1. reserve ------------------------------------------------------------------------------

    def _reserve(self, batch: Sequence[JournalEntry]) -> dict[int, _Reserved]:
        ids = [item.action_id for item in batch]
        now = self.clock()
        with self.store.write_session() as session:
            latest = _latest_postings(session, ids)
            reserved: dict[int, _Reserved] = {}
            fresh = []
            for item in batch:
                previous = latest.get(item.action_id)
                if previous is not None and previous.state == PostingState.POSTED.value:
                    reserved[item.action_id] = _Reserved(previous.id, previous.controlid, previous.reference_no,
                                                         posted=True, recordno=previous.intacct_recordno)
                    continue
                if previous is not None and previous.state in UNSETTLED:
                    # Same attempt again: same controlid, so uniqueid protects it.
                    previous.run_id, previous.state, previous.sent_at = self.run_id, PostingState.PENDING.value, now
                    reserved[item.action_id] = _Reserved(previous.id, previous.controlid, previous.reference_no)
                    continue
                generation = 0 if previous is None else previous.generation + 1
                fresh.append(self._new_posting(item, generation, now))
            if fresh:
                rows = session.execute(insert(Posting).returning(Posting.id, Posting.action_id), fresh)
                by_action = {row.action_id: row.id for row in rows}
                for values in fresh:
                    aid = values["action_id"]
                    reserved[aid] = _Reserved(by_action[aid], values["controlid"], values["reference_no"],
                                              retry=values["generation"] > 0)
        return reserved

    def _known_posted(self, reserved: dict[int, _Reserved]) -> dict[int, Settled]:
        """Actions not to send: recorded as posted, or (for a retry) found in Intacct by their reference."""
        known = {aid: Settled(aid, Outcome.ALREADY_POSTED, r.recordno) for aid, r in reserved.items() if r.posted}
        retries = {r.reference: aid for aid, r in reserved.items() if r.retry}
        if retries:
            for reference, recordno in find_entries(self.client, retries).items():
                known[retries[reference]] = Settled(retries[reference], Outcome.ALREADY_POSTED, recordno)
        return known

    def _new_posting(self, item: JournalEntry, generation: int, now: datetime) -> dict[str, Any]:
        return {
            "workspace_id": self.workspace_id,
            "action_id": item.action_id,
            "run_id": self.run_id,
            "generation": generation,
            "controlid": controlid(self.workspace_uid, item.action_id, generation),
            "reference_no": item.reference_no,
            "state": PostingState.PENDING.value,
            "amount": item.amount,
            "posting_date": item.posting_date,
            "request_summary": item.summary(),
            "created_at": now,
            "sent_at": now,
        }

    # -- 2. send, 3. settle ----------------------------------------------------------------------

    def _send(self, batch: Sequence[JournalEntry], reserved: dict[int, _Reserved]) -> list[Settled]:
        if not batch:
            return []
        functions = [
            fn.Create("GLBATCH", item.payload, controlid=reserved[item.action_id].controlid)
            for item in batch
        ]
        try:
            answers: list[Any] = self.client.execute_many(functions, uniqueid=True, transaction=False)
        except errors.SignInError:
            raise  # nothing ran; the postings stay pending and the next run settles them
        except errors.IntacctError as exc:
            answers = [exc] * len(functions)  # the whole request's fate is unknown
        settled: list[Settled] = []
        to_look_up: dict[str, Settled] = {}
        for item, answer in zip(batch, answers, strict=True):
            result = _classify(item.action_id, answer)
            settled.append(result)
            if result.outcome == Outcome.UNCONFIRMED:
                to_look_up[reserved[item.action_id].reference] = result
        if to_look_up:
            self._settle_by_reference(to_look_up)
        return settled

    def _settle_by_reference(self, pending: dict[str, Settled]) -> None:
        try:
            found = find_entries(self.client, pending)
        except errors.IntacctError as exc:
            for item in pending.values():
                item.message = f"{item.message}; lookup failed too: {intacct_message(exc)}"
            return
        for reference, item in pending.items():
            if reference in found:
                item.outcome, item.recordno, item.message = Outcome.ALREADY_POSTED, found[reference], None

    # -- 4. record -------------------------------------------------------------------------------

    def _record(self, batch: Sequence[JournalEntry], reserved: dict[int, _Reserved], settled: list[Settled]) -> None:
        now = self.clock()
        defaults = {item.action_id: [d.as_dict() for d in item.applied_defaults] or None for item in batch}
        with self.store.write_session() as session:
            session.execute(update(Posting), [_posting_row(reserved[s.action_id].posting_id, s, now) for s in settled])
            action_rows = [row for s in settled if (row := _action_row(s, now)) is not None]
            if action_rows:
                session.execute(update(Action), action_rows)
            session.execute(
                insert(RunItem),
                [
                    {"run_id": self.run_id, "action_id": s.action_id, "outcome": s.outcome, "message": s.message,
                     "defaults_used": defaults[s.action_id], "created_at": now}
                    for s in settled
                ],
            )
            rejected = {
                s.action_id: [Reason("intacct", f"Intacct rejected the journal entry: {s.message}")]
                for s in settled
                if s.outcome == Outcome.FAILED
            }
            review.flag(session, self.workspace_id, rejected, kind=review.REJECTED, run_id=self.run_id)


def _classify(action_id: int, answer: Any) -> Settled:
    """Turn one function's answer into an outcome; anything uncertain is UNCONFIRMED (to look up)."""
    if isinstance(answer, errors.DuplicateControlId):
        return Settled(action_id, Outcome.UNCONFIRMED, message="Intacct had already run this control id")
    if isinstance(answer, errors.FunctionError) and not answer.transient:
        return Settled(action_id, Outcome.FAILED, message=intacct_message(answer))
    if isinstance(answer, errors.IntacctError):
        return Settled(action_id, Outcome.UNCONFIRMED, message=f"no clear answer: {intacct_message(answer)}")
    recordno = _recordno(answer)
    if answer.already_applied or recordno is None:
        return Settled(action_id, Outcome.UNCONFIRMED, message="Intacct applied this control id before")
    return Settled(action_id, Outcome.POSTED, recordno=recordno)


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
        "id": posting_id,
        "state": _STATE_OF[settled.outcome],
        "intacct_recordno": settled.recordno,
        "intacct_message": settled.message,
        "finished_at": now if finished else None,
    }


def _action_row(settled: Settled, now: datetime) -> dict[str, Any] | None:
    if settled.outcome in (Outcome.POSTED, Outcome.ALREADY_POSTED):
        return {"id": settled.action_id, "status": ActionStatus.POSTED.value, "posted_at": now,
                "intacct_recordno": settled.recordno, "last_error": None}
    if settled.outcome == Outcome.FAILED:
        return {"id": settled.action_id, "status": ActionStatus.FAILED.value, "last_error": settled.message}
    return None


def _latest_postings(session: Session, action_ids: list[int]) -> dict[int, Posting]:
    latest: dict[int, Posting] = {}
    rows = session.scalars(select(Posting).where(Posting.action_id.in_(action_ids)).order_by(Posting.generation))
    for posting in rows:
        latest[posting.action_id] = posting
    return latest

"""A record kind, declared once: what the one outbox needs to know to post records of that kind.

Modelled on singer-sdk / dlt streams: each kind (journal entry, customer, invoice, payment...)
says how its candidates are chosen, how one is checked (pure rules from `domain/`), what
Intacct function it becomes, how it is found in Intacct when an answer was lost, what it
waits for, and how its own table records the outcome. The reserve → send → settle → record
path (`sync.posting`), recovery (`sync.recovery`), the review flags (`sync.review`) and the
engine's gate are written once for all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Protocol, runtime_checkable

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain import receivables
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.reconciliation import HeldEntry
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store


# What invalid records of a kind do to the others of that kind (a workspace setting per kind):
# `halt`: nothing of the kind is posted while any is invalid (the journal-entry default, seed 000);
# `hold`: the invalid ones are flagged and held, the valid ones go on (the order-to-cash default).
GateMode = receivables.GateMode


@dataclass(frozen=True)
class RunScope:
    """The bounds of one run shared by every kind: the workspace, when the run started, its start date."""

    workspace_id: int
    workspace_uid: str
    run_started_at: datetime
    not_before: datetime | None = None
    only: tuple[str, int] | None = None     # (kind, record id): "sync this record now"
    run_id: int | None = None               # the run's record (kinds that log outside the poster)


@dataclass(frozen=True)
class Checked:
    """One candidate after the kind's pure rules: the record as it will be built, and what is wrong with it."""

    record_id: int
    view: Any
    reasons: tuple[Reason, ...] = ()
    notes: tuple[Any, ...] = ()            # e.g. the mapping defaults applied (shown in the run log)
    skipped: str | None = None             # a skip-export rule matched: not posted, logged `skipped` with this

    @property
    def valid(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Outgoing:
    """One write to Intacct for one record: the function, and the key it can be found by afterwards."""

    record_id: int
    function: fn.Function                  # its controlid is set by the poster
    reference: str                          # what `RecordKind.find` looks it up by
    operation: str = "create"               # tells writes of the same record apart (create, update-v2...)
    amount: Decimal | None = None
    posting_date: date | None = None
    summary: Mapping[str, Any] | None = None   # kept on the posting row (what was sent, in short)
    notes: tuple[Any, ...] = ()
    preview: Any = None                     # the domain object, for dry runs' callbacks
    entity: str | None = None               # multi-entity: the entity session it is written in (None: the
                                            # connection's level); kept on the posting, so it is found there
    level: str | None = None                # the workspace's posting level this write was built under


@dataclass
class Settled:
    """What became of one record's write in a run."""

    record_id: int
    outcome: str
    recordno: str | None = None
    message: str | None = None
    field: str = "intacct"                  # what a failure's review reason names (e.g. `entity`)
    error_class: Any = None                 # a failure's `domain.error_classes.ErrorClass` (none when posted)


class Outcome:
    """What happened to one record in a run (also the values of `RunItem.outcome`)."""

    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"
    INVALID = "invalid"
    HELD = "held"            # valid, but its kind halted before posting anything
    WAITING = "waiting"      # valid, but a record it depends on is not posted yet
    SKIPPED = "skipped"      # a skip-export rule matched (`domain.skip_rules`): not exported while it stands
    WOULD_POST = "would_post"


@dataclass(frozen=True)
class Lookup:
    """One write whose fate is unknown, as `RecordKind.find` receives it."""

    reference: str
    operation: str = "create"
    summary: Mapping[str, Any] | None = None
    entity: str | None = None               # where the write went (the posting's own entity)


class FindClient(Protocol):
    def iter_query(self, object_name: str, fields: list[str], **kwargs: Any) -> Any: ...


class RecordKind(Protocol):
    """Everything kind-specific the outbox needs; see `sync.journal_kind` for the first one."""

    name: ClassVar[str]                    # stored in postings/run_items/review_flags.record_kind
    label: ClassVar[str]                   # plural words for messages: "actions", "invoices"
    depends_on: ClassVar[tuple[str, ...]]  # kinds whose records must be posted first
    flags_with_campaign: ClassVar[bool]    # actions also carry the `System Needs Review` campaign

    def prepare(self, store: Store, scope: RunScope, context: Any) -> None:
        """Load what checking needs once per run (catalogues, settings) from the `WorkspaceContext`."""

    def count(self, session: Session, scope: RunScope) -> int:
        """How many candidates the run considers."""

    def chunks(self, store: Store, scope: RunScope, size: int) -> Iterator[list[Any]]:
        """The candidates as domain views, `size` at a time (memory stays flat)."""

    def check(self, view: Any) -> Checked:
        """Pure: apply defaults and validate one candidate."""

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        """Valid records whose dependencies are not posted yet, with what they wait for."""

    def build(self, checked: Checked, scope: RunScope) -> Outgoing:
        """The write for one valid record (raises `domain.model.InvalidRecord`-like errors as `BuildError`)."""

    def controlid(self, workspace_uid: str, record_id: int, operation: str, generation: int) -> str:
        """The function controlid of one attempt: derived, never random (`domain.identifiers`)."""

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        """Which of these writes Intacct holds: reference → Intacct key. Never writes."""

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        """Write the outcomes onto the kind's own records (status, Intacct key, last error)."""

    def nothing_to_do(self, session: Session, scope: RunScope) -> str:
        """Why "sync this record now" found nothing (raises when the record does not exist)."""

    # Optional: `gate_mode: GateMode` fixes the kind's gate (else the workspace's setting for the kind).
    # Optional: `before_posting(client, store, scope, dry_run)` runs after the pull and before the gate,
    # for what only Intacct can tell (customers matched with Intacct's, invoices' keys read back).
    # Optional: `changed_since(session, scope, moment) -> bool`: whether any of the kind's records changed at or
    # after `moment`; when it says no, a halting kind's post pass reuses the gate pass's results unread.


@dataclass(frozen=True)
class ReadBackScope:
    """What a kind's `read_back` reads: the workspace's references, posted on or after `since`."""

    workspace_id: int
    workspace_uid: str
    since: date | None = None
    dimension_fields: tuple[str, ...] = ()   # the line fields our postings carry dimensions in
    references: frozenset[str] = frozenset()  # our posted references of the kind (what we expect Intacct to hold)
    keys: frozenset[str] = frozenset()        # Intacct's keys (RECORDNO) of those records, as recorded here
    store: Any = None                         # for kinds whose Intacct records carry the source's ids, not ours:
                                              # they read which ids to ask for (reading only)


@runtime_checkable
class ReadsBack(Protocol):
    """Optional capability of a `RecordKind`: reconciliation (`sync.readback`) compares its posted records.

    A kind declares it by having both methods: `sync.journal_readback` is the journal entries' one,
    `sync.document_readback.DocumentReadsBack` the order-to-cash and AP documents', `sync.master_readback.
    MasterReadsBack` the master data's (customers, vendors, items).
    """

    label: ClassVar[str]
    # Optional `posted_kinds: tuple[str, ...]`: the kinds whose postings it reads back (default: its own name),
    # e.g. journal entries and their reversals, both GLBATCHes under the workspace's references.

    def posted_entry(self, posting: Any) -> HeldEntry | None:
        """One posted `postings` row (reference_no, record_id, posting_date, request_summary, intacct_recordno)
        as the entry we expect Intacct to hold; None to leave it out."""

    def read_back(self, client: FindClient, scope: ReadBackScope) -> Iterator[HeldEntry]:
        """Stream, page by page, what Intacct holds under the workspace's references. Never writes."""


def outcome_rows(settled: Sequence[Settled], now: datetime, key_column: str = "intacct_key") -> list[dict[str, Any]]:
    """The column values a kind's own table takes from its records' outcomes (posted or failed; others wait)."""
    rows: list[dict[str, Any]] = []
    for s in settled:
        if s.outcome in (Outcome.POSTED, Outcome.ALREADY_POSTED):
            rows.append({"id": s.record_id, "status": "posted", "posted_at": now, key_column: s.recordno,
                         "last_error": None})
        elif s.outcome == Outcome.FAILED:
            rows.append({"id": s.record_id, "status": "failed", "last_error": s.message})
    return rows


def keyset_chunks(store: Store, model: Any, where: Any, size: int,
                  to_view: Any) -> Iterator[list[Any]]:
    """Candidate rows of `model` matching `where`, `size` at a time by id, as views (memory stays flat)."""
    after = 0
    while True:
        with store.session() as session:
            rows = list(session.scalars(select(model).where(where, model.id > after).order_by(model.id).limit(size)))
            if not rows:
                return
            after = rows[-1].id
            views = [to_view(row) for row in rows]
        yield views


class BuildError(Exception):
    """One record could not be turned into a request: it is flagged with these reasons, the rest go on."""

    def __init__(self, reasons: Sequence[Reason]) -> None:
        super().__init__("; ".join(r.message for r in reasons))
        self.reasons = tuple(reasons)

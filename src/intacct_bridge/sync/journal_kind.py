"""Journal entries: the first record kind of the outbox (SPEC §2, seed 000).

An action becomes one GLBATCH; it is found again by its REFERENCENO; its outcome
lands on the `actions` row. Candidates, mapping defaults, validation and the
build are the ones the journal-entry sync always had; only the posting path is
shared with the other kinds now.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, time
from typing import Any, ClassVar

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import ClosedThrough, closed_through_for, move_entry
from intacct_bridge.domain.entities import (
    Owners,
    action_entity,
    action_values,
    known_entity_reasons,
    ownership_reasons,
)
from intacct_bridge.domain.identifiers import operation_of, version_controlid, version_of
from intacct_bridge.domain.journal import InvalidAction, JournalEntry, journal_entry_or_reasons
from intacct_bridge.domain.mapping import CampaignKey, apply_defaults, catalogue_of
from intacct_bridge.domain.model import ActionView, CampaignTag
from intacct_bridge.domain.skip_rules import skip_reason
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.validation import validate_action
from intacct_bridge.domain.vocabulary import ActionStatus, PostingLevel
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, JournalReversal
from intacct_bridge.store.repositories import reference
from intacct_bridge.sync.candidates import (
    Window,
    count_candidates,
    intacct_tags,
    iter_candidate_chunks,
    why_not_candidate,
)
from intacct_bridge.domain.reconciliation import HeldEntry
from intacct_bridge.sync import journal_readback
from intacct_bridge.sync.closed_books import read_closed_books
from intacct_bridge.sync.kinds import (BuildError, Checked, FindClient, Lookup, Outcome, Outgoing, ReadBackScope,
                                       RunScope, Settled)
from intacct_bridge.sync.lookup import find_entries


class JournalEntries:
    """Actions → GLBATCH journal entries."""

    name: ClassVar[str] = "journal_entry"
    label: ClassVar[str] = "actions"
    # a corrected version waits for its reversal; summaries take their actions first
    depends_on: ClassVar[tuple[str, ...]] = ("journal_reversal", "journal_summary")
    flags_with_campaign: ClassVar[bool] = True
    # all three are GLBATCHes under the workspace's references
    posted_kinds: ClassVar[tuple[str, ...]] = ("journal_entry", "journal_reversal", "journal_summary")

    def __init__(self) -> None:
        self.settings: SyncSettings | None = None
        self._catalogue: dict[CampaignKey, CampaignTag] = {}
        self._owners: Owners = {}
        self._entities: frozenset[str] | None = None
        self._closed: ClosedThrough | None = None  # read from Intacct when the policy is next_open

    def prepare(self, store: Store, scope: RunScope, context: Any) -> None:
        # The settings are read once per run: every record of the run posts at the same level.
        self.settings = context.settings
        with store.session() as session:
            self._catalogue = catalogue_of(intacct_tags(session, scope.workspace_id), context.settings)
            if context.settings.posting_level is PostingLevel.ENTITY:
                self._owners = reference.owners(session, scope.workspace_id)
                self._entities = reference.entity_ids(session, scope.workspace_id)

    def before_posting(self, client: Any, store: Store, scope: RunScope, dry_run: bool) -> int:
        """At `closed_period_policy = next_open`: read the books' closed-through dates from Intacct, the
        connection's and, posting at the entity level, each pulled entity's (in its own session)."""
        assert self.settings is not None, "prepare() first"
        self._closed = read_closed_books(client, self.settings, self._entities or ())
        return len(self._closed or ())

    def window(self, scope: RunScope) -> Window:
        only = scope.only[1] if scope.only and scope.only[0] == self.name else None
        return Window(scope.workspace_id, scope.run_started_at, scope.not_before, only)

    def count(self, session: Session, scope: RunScope) -> int:
        if scope.only and scope.only[0] != self.name:
            return 0
        return count_candidates(session, self.window(scope))

    def chunks(self, store: Store, scope: RunScope, size: int) -> Iterator[list[ActionView]]:
        if scope.only and scope.only[0] != self.name:
            return iter(())
        return iter_candidate_chunks(store, self.window(scope), size)

    def check(self, view: ActionView) -> Checked:
        assert self.settings is not None, "prepare() first"
        if self.settings.skip_rules:  # before the rules: a skipped action is not exported, so nothing is wrong
            skipped = skip_reason(view, self.settings.skip_rules, self.settings.zone())
            if skipped:
                return Checked(view.id, view, skipped=skipped)
        mapped = apply_defaults(view, self.settings, self._catalogue)
        reasons = tuple(mapped.problems) + tuple(validate_action(mapped.action, self.settings))
        entity, entity_reasons = action_entity(mapped.action, self.settings)
        if entity is not None:
            entity_reasons += known_entity_reasons(entity, self._entities)
            entity_reasons += ownership_reasons(entity, action_values(mapped.action, self.settings), self._owners)
        checked = Checked(view.id, mapped.action, reasons + tuple(entity_reasons), tuple(mapped.applied))
        if checked.valid and self.settings.summarized(view.type):
            # A summarized action must be buildable as a detail entry before it may join a summary: its share
            # is that entry's lines. One that is not is flagged here, by this kind's gate, with the reasons.
            try:
                self.detail_entry(checked, None)
            except BuildError as exc:
                return Checked(view.id, mapped.action, exc.reasons, tuple(mapped.applied))
        return checked

    def changed_since(self, session: Session, scope: RunScope, since: datetime) -> bool:
        """Whether any action of the workspace was edited or tagged at or after `since`.

        Intake and tagging move `updated_at` with any change of an action or its campaigns, so
        the engine may post what its gate pass checked instead of reading every candidate again.
        """
        return bool(session.scalar(select(exists().where(Action.workspace_id == scope.workspace_id,
                                                         Action.updated_at >= since))))

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        """A corrected version waits for its reversal; a valid action of a summarized type waits for a summary
        (the summary kind, earlier in the run, takes those it can; one edited meanwhile goes at the next run)."""
        assert self.settings is not None, "prepare() first"
        summarized = {c.record_id: "its type is summarized: it goes into a summary entry (the summaries kind "
                                   "assembles it; a dry run shows that entry)"
                      for c in checked if c.valid and self.settings.summarized(c.view.type)}
        return {**summarized, **self.reversal_waits(session, checked)}

    def reversal_waits(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        """A corrected version (2, 3...) waits until the reversal of the version before it is posted."""
        later = {c.record_id: c.view.version for c in checked if c.valid and c.view.version > 1}
        if not later:
            return {}
        reversed_ = {(a, v) for a, v in session.execute(
            select(JournalReversal.action_id, JournalReversal.version)
            .where(JournalReversal.action_id.in_(list(later)), JournalReversal.status == ActionStatus.POSTED.value))}
        return {aid: f"the reversal of version {v - 1} is not posted yet" for aid, v in later.items()
                if (aid, v - 1) not in reversed_}

    def detail_entry(self, checked: Checked, scope: RunScope | None) -> JournalEntry:
        """The action's own entry as built (before any closed-period move); `BuildError` when it cannot be.
        Also what a summary adds up (`sync.summary_kind`): a summarized action's share is this entry's lines."""
        assert self.settings is not None, "prepare() first"
        try:
            entry = journal_entry_or_reasons(checked.view, self.settings,
                                             workspace_uid=scope.workspace_uid if scope else "check",
                                             run_started_at=scope.run_started_at if scope else _check_moment(),
                                             applied_defaults=checked.notes, validated=True)
        except InvalidAction as exc:
            raise BuildError(exc.reasons) from exc
        if not isinstance(entry, JournalEntry):  # text Intacct cannot carry, a builder failing: this one only
            raise BuildError(entry)
        return entry

    def entity_of(self, checked: Checked) -> str | None:
        """The entity session the action's entry is written in (None: the connection's level)."""
        assert self.settings is not None, "prepare() first"
        return action_entity(checked.view, self.settings)[0]

    def closed_books(self) -> ClosedThrough | None:
        """The closed-through dates read by `before_posting` (None unless the policy is next_open)."""
        return self._closed

    def build(self, checked: Checked, scope: RunScope) -> Outgoing:
        assert self.settings is not None, "prepare() first"
        entry = self.detail_entry(checked, scope)
        entity = self.entity_of(checked)
        notes: tuple[Any, ...] = entry.applied_defaults
        if self._closed is not None:
            entry, moved = move_entry(entry, closed_through_for(self._closed, entity))
            notes += (moved,) if moved else ()
        return Outgoing(
            record_id=entry.action_id,
            function=fn.Create("GLBATCH", entry.payload, controlid=""),
            reference=entry.reference_no,
            operation=operation_of(checked.view.version),
            amount=entry.amount,
            posting_date=entry.posting_date,
            summary=entry.summary(),
            notes=notes,
            preview=entry,
            entity=entity,
            level=self.settings.posting_level.value,
        )

    def controlid(self, workspace_uid: str, record_id: int, operation: str, generation: int) -> str:
        return version_controlid(workspace_uid, record_id, version_of(operation), generation)

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        return find_entries(client, [lookup.reference for lookup in lookups])

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        rows = [row for s in settled if (row := _action_row(s, now)) is not None]
        for columns in {tuple(row) for row in rows}:  # one executemany per set of columns written
            session.execute(_UPDATE_ACTIONS, [row for row in rows if tuple(row) == columns])

    def nothing_to_do(self, session: Session, scope: RunScope) -> str:
        assert scope.only is not None
        return why_not_candidate(session, scope.workspace_id, scope.only[1])

    # Read-back capability (`kinds.ReadsBack`): reconciliation compares what was posted with Intacct.
    def posted_entry(self, posting: Any) -> HeldEntry | None:
        return journal_readback.posted_entry(posting)

    def read_back(self, client: FindClient, scope: ReadBackScope) -> Iterator[HeldEntry]:
        return journal_readback.read_back(client, scope)


def _check_moment() -> datetime:
    """A run start for checking that an entry builds outside a post pass (the date it gives is never sent)."""
    return datetime.now(UTC)


# A Core executemany on the table (the ORM's bulk update costs several times the CPU per row).
_UPDATE_ACTIONS = update(Action.__table__).where(Action.__table__.c.id == bindparam("action_id"))


def _action_row(settled: Settled, now: datetime) -> dict[str, Any] | None:
    if settled.outcome in (Outcome.POSTED, Outcome.ALREADY_POSTED):
        return {"action_id": settled.record_id, "status": ActionStatus.POSTED.value, "posted_at": now,
                "intacct_recordno": settled.recordno, "last_error": None}
    if settled.outcome == Outcome.FAILED:
        return {"action_id": settled.record_id, "status": ActionStatus.FAILED.value, "last_error": settled.message}
    return None


def start_of(settings: SyncSettings) -> datetime | None:
    """The workspace's start date as an instant: midnight in its time zone."""
    if settings.start_date is None:
        return None
    return datetime.combine(settings.start_date, time.min, tzinfo=settings.zone())

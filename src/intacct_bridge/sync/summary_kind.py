"""Summary entries: a record kind of the outbox (`journal_summary`), posted before the detail journal entries.

For the action types a workspace summarizes, each run first *assembles*: the candidates of those
types are checked by the journal entries' own rules (`JournalEntries.check`, which also tries the
build), each valid one becomes its detail entry's lines (its share), and the shares are grouped by
journal, entity and period (`domain.summary.summarize`). Each group becomes a `journal_summaries`
row and its actions point at it, in one commit, before anything is sent: the row is then a record
like any other, reserved, sent, settled (looked up by its reference) and recorded by the one poster.
An invalid action joins no summary; the journal-entry gate that runs next flags it with its reasons.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import closed_through_for, move_payload
from intacct_bridge.domain.identifiers import record_controlid
from intacct_bridge.domain.journal import summary_lines
from intacct_bridge.domain.summary import Share, SummaryEntry, SummaryLine, period_key, summarize
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.domain.vocabulary import ActionStatus, PostingState, SummaryPeriod
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Action, JournalSummary
from intacct_bridge.store.repositories.settings import summary_types
from intacct_bridge.sync import review
from intacct_bridge.sync.candidates import Window, count_candidates, iter_candidate_chunks, to_view
from intacct_bridge.sync.journal_kind import JournalEntries
from intacct_bridge.sync.kinds import (BuildError, Checked, FindClient, GateMode, Lookup, Outgoing, RunScope, Settled,
                                       keyset_chunks, outcome_rows)
from intacct_bridge.sync.lookup import find_entries
from intacct_bridge.sync.posting import latest_postings


# Shares held in memory while assembling: past this many, the groups so far are saved and assembling goes on,
# so a large backfill keeps memory flat (a day spread over two batches gets two summaries, as when more actions
# arrive later the same day).
ASSEMBLE_BATCH = 10_000
DISSOLVED = "dissolved"   # a summary never held by Intacct whose actions changed: they join a new one


class UnknownSummary(LookupError):
    """"Sync this record now" named a summary this workspace does not have."""


@dataclass(frozen=True)
class SummaryHolds:
    """A run-log note: the actions a summary entry holds."""

    reference: str
    holds: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"note": f"summary {self.reference} holds {len(self.holds)} action(s): {', '.join(self.holds)}",
                "summary": self.reference, "holds": list(self.holds)}


@dataclass(frozen=True)
class SummaryView:
    """A candidate summary as the outbox sees it (views expose `.id`)."""

    id: int
    entry: SummaryEntry


def entry_of(row: JournalSummary) -> SummaryEntry:
    """The frozen summary as assembled (lines and shares as kept on the row)."""
    shares = tuple(Share.from_dict(s) for s in row.shares)
    lines = tuple(SummaryLine(line["account"], line["side"], tuple(sorted(line["dimensions"].items())),
                              _money(line["amount"]), tuple(line.get("action_ids") or ()))
                  for line in row.lines)
    return SummaryEntry(row.reference, row.journal, row.entity, row.period_key, row.posting_date, lines, shares,
                        row.description)


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


def _summarized(scope: RunScope, groups: dict[tuple[str, str | None, str, date], list[Share]]
                ) -> Iterator[SummaryEntry]:
    """Each group's summary, by day, journal and entity."""
    for (journal, entity, period, day), shares in sorted(groups.items(), key=lambda g: (g[0][3], g[0][0],
                                                                                         g[0][1] or "")):
        yield summarize(shares, workspace_uid=scope.workspace_uid, journal=journal, entity=entity, period=period,
                        posting_date=day)


class JournalSummaries:
    """Actions of the summarized types → one GLBATCH per day (or run), journal and entity."""

    name: ClassVar[str] = "journal_summary"
    label: ClassVar[str] = "summaries"
    depends_on: ClassVar[tuple[str, ...]] = ("journal_reversal",)   # a corrected action waits for its reversal
    flags_with_campaign: ClassVar[bool] = False
    gate_mode: ClassVar[GateMode] = GateMode.HOLD   # its actions were gated one by one before they joined

    def __init__(self) -> None:
        self._entries = JournalEntries()   # the detail rules, build and closed books, not a copy of them
        self._settings: SyncSettings | None = None
        self._assembled = False
        self.previews: list[SummaryEntry] = []   # a dry run's summaries, assembled in memory (never saved)

    def prepare(self, store: Store, scope: RunScope, context: Any) -> None:
        self._settings = context.settings
        self._entries.prepare(store, scope, context)

    def before_posting(self, client: Any, store: Store, scope: RunScope, dry_run: bool) -> int:
        """Read the closed books (as journal entries do), then assemble this run's summaries; a dry run
        assembles them in memory only (`previews`), for the engine to show."""
        self._entries.before_posting(client, store, scope, dry_run)
        mine = self._mine(scope) and scope.only is None
        if dry_run:
            self.previews = self.preview(store, scope) if mine else []
        made = 0 if dry_run or not mine else self.assemble(store, scope)
        self._assembled = True
        return made

    # -- assembling ------------------------------------------------------------------------------

    def _window(self, scope: RunScope, types: frozenset[str]) -> Window:
        return Window(scope.workspace_id, scope.run_started_at, scope.not_before, None, types, summarized=True)

    def assemble(self, store: Store, scope: RunScope) -> int:
        """Group the valid candidates of the summarized types into new summary rows; returns how many."""
        self.dissolve_stale(store, scope)
        return sum(self._save(store, scope, entry) for entry in self._summaries(store, scope))

    def preview(self, store: Store, scope: RunScope) -> list[SummaryEntry]:
        """A dry run's summaries: what `assemble` would make of the candidates now, in memory only (no row is
        saved, no action is linked, nothing is dissolved), each dated and titled as `build` would send it (on
        the next open day when its date is in a closed period and the policy moves it)."""
        closed = self._entries.closed_books()
        previews = []
        for entry in self._summaries(store, scope):
            if closed is not None:
                payload, moved = move_payload(entry.payload(), closed_through_for(closed, entry.entity))
                if moved is not None:
                    entry = replace(entry, posting_date=moved.posted_on, description=payload["BATCH_TITLE"])
            previews.append(entry)
        return previews

    def _summaries(self, store: Store, scope: RunScope) -> Iterator[SummaryEntry]:
        """The candidates of the summarized types, checked and built by the detail rules, grouped by journal,
        entity and period and added up by the pure `summarize`; every `ASSEMBLE_BATCH` shares a batch's groups
        are given out, so a large backfill keeps memory flat."""
        settings = self._settings
        assert settings is not None, "prepare() first"
        if not settings.summary_types:
            return
        groups: dict[tuple[str, str | None, str, date], list[Share]] = {}
        held = 0
        for views in iter_candidate_chunks(store, self._window(scope, settings.summary_types)):
            checked = [self._entries.check(view) for view in views]
            valid = [c for c in checked if c.valid]
            with store.session() as session:
                waiting = self._entries.reversal_waits(session, valid) if valid else {}
            for item in valid:
                if item.record_id in waiting:
                    continue
                try:
                    detail = self._entries.detail_entry(item, scope)
                except BuildError:
                    continue   # the journal-entry gate flags it (its check tries the build too)
                day = (detail.posting_date if settings.summary_period is SummaryPeriod.DAY
                       else scope.run_started_at.astimezone(settings.zone()).date())
                key = (detail.payload["JOURNAL"], self._entries.entity_of(item), period_key(
                    settings.summary_period, day, scope.run_started_at), day)
                groups.setdefault(key, []).append(Share(item.record_id, item.view.external_id, item.view.version,
                                                        tuple(summary_lines(detail.payload["ENTRIES"]["GLENTRY"]))))
                held += 1
                if held >= ASSEMBLE_BATCH:
                    yield from _summarized(scope, groups)
                    groups, held = {}, 0
        yield from _summarized(scope, groups)

    def dissolve_stale(self, store: Store, scope: RunScope) -> int:
        """Summaries Intacct does not hold (never sent, or definitively refused) whose actions are no longer what
        they hold (edited, withdrawn, invalid now, or no longer of a summarized type) are dissolved: marked
        `dissolved`, their actions free to join a new summary. A sent one whose fate is unknown is never touched."""
        settings = self._settings
        assert settings is not None, "prepare() first"
        with store.session() as session:
            rows = list(session.scalars(select(JournalSummary).where(
                JournalSummary.workspace_id == scope.workspace_id,
                JournalSummary.status.not_in((ActionStatus.POSTED.value, DISSOLVED)))))
            if not rows:
                return 0
            latest = latest_postings(session, scope.workspace_id, self.name, [r.id for r in rows])
            stale = []
            for row in rows:
                posting = latest.get(row.id)
                if posting is not None and posting.state != PostingState.FAILED.value:
                    continue   # pending, sent or ambiguous: Intacct may hold it; recovery settles it
                ids = [int(s["action_id"]) for s in row.shares]
                actions = {a.id: a for a in session.scalars(select(Action).where(Action.id.in_(ids)))}
                if any(not self._still_holds(share, actions.get(int(share["action_id"])), row)
                       for share in row.shares):
                    stale.append(row.id)
        if not stale:
            return 0
        with store.write_session() as session:
            session.execute(update(Action).where(Action.summary_id.in_(stale)).values(summary_id=None)
                            .execution_options(synchronize_session=False))
            session.execute(update(JournalSummary).where(JournalSummary.id.in_(stale)).values(status=DISSOLVED)
                            .execution_options(synchronize_session=False))
            review.clear(session, scope.workspace_id, self, stale)
        return len(stale)

    def _still_holds(self, share: dict[str, Any], action: Action | None, row: JournalSummary) -> bool:
        """Whether the action is still exactly the share the summary holds: same version, lines, journal, entity
        and (by day) date."""
        settings = self._settings
        assert settings is not None
        if action is None or action.summary_id != row.id or action.version != int(share["version"]):
            return False
        if action.status == ActionStatus.WITHDRAWN.value or not settings.summarized(action.type):
            return False
        checked = self._entries.check(to_view(action))
        if not checked.valid:
            return False
        try:
            detail = self._entries.detail_entry(checked, None)
        except BuildError:
            return False
        if (detail.payload["JOURNAL"], self._entries.entity_of(checked)) != (row.journal, row.entity):
            return False
        if not row.period_key.startswith("run-") and detail.posting_date != row.posting_date:
            return False
        return summary_lines(detail.payload["ENTRIES"]["GLENTRY"]) == list(share["lines"])

    def _save(self, store: Store, scope: RunScope, entry: SummaryEntry) -> int:
        """One summary row and its actions' links in one commit; nothing when an action changed meanwhile."""
        with store.write_session() as session:
            existing = session.scalar(select(JournalSummary).where(JournalSummary.workspace_id == scope.workspace_id,
                                                                   JournalSummary.reference == entry.reference))
            if existing is not None and existing.status != DISSOLVED:
                return 0   # the same actions, versions and lines are in it already: nothing to make
            if existing is not None:   # dissolved, and now the same again: Intacct never held it, so it comes back
                existing.status, existing.last_error = "unposted", None
            row = existing or JournalSummary(
                workspace_id=scope.workspace_id, journal=entry.journal, entity=entry.entity,
                period_key=entry.period_key, posting_date=entry.posting_date, reference=entry.reference,
                description=entry.description, action_count=len(entry.shares), debit_total=entry.debit_total,
                credit_total=entry.credit_total,
                lines=[{**line.as_dict(), "action_ids": list(line.action_ids)} for line in entry.lines],
                shares=[share.as_dict() for share in entry.shares])
            session.add(row)
            session.flush()
            linked = 0
            for share in entry.shares:   # only the version that was checked, and only once
                linked += session.execute(
                    update(Action).where(Action.id == share.action_id, Action.workspace_id == scope.workspace_id,
                                         Action.version == share.version, Action.summary_id.is_(None),
                                         Action.status.not_in((ActionStatus.POSTED.value,
                                                               ActionStatus.WITHDRAWN.value)))
                    .values(summary_id=row.id).execution_options(synchronize_session=False)).rowcount
            if linked != len(entry.shares):
                session.rollback()   # an action was edited or withdrawn since it was checked: the next run sees it
                return 0
            return 1

    # -- the outbox ------------------------------------------------------------------------------

    def _mine(self, scope: RunScope) -> bool:
        return scope.only is None or scope.only[0] == self.name

    def _filter(self, scope: RunScope) -> Any:
        conditions = [JournalSummary.workspace_id == scope.workspace_id,
                      JournalSummary.status.not_in((ActionStatus.POSTED.value, DISSOLVED))]
        if scope.only is not None:
            conditions.append(JournalSummary.id == scope.only[1])
        else:
            conditions.append(~review.held_back(scope.workspace_id, self.name, JournalSummary.id,
                                                scope.run_started_at))
        return and_(*conditions)

    def count(self, session: Session, scope: RunScope) -> int:
        """Summaries to post; before assembling, also the actions that may join one (so the kind is prepared)."""
        if not self._mine(scope):
            return 0
        rows = session.scalar(select(func.count()).select_from(JournalSummary).where(self._filter(scope))) or 0
        if self._assembled or scope.only is not None:
            return rows
        rows += session.scalar(select(func.count()).select_from(JournalSummary).where(   # refused: may dissolve
            JournalSummary.workspace_id == scope.workspace_id, JournalSummary.status == "failed")) or 0
        types = summary_types(session, scope.workspace_id)
        if not types:
            return rows
        return rows + count_candidates(session, self._window(scope, types))

    def chunks(self, store: Store, scope: RunScope, size: int) -> Iterator[list[Any]]:
        if not self._mine(scope):
            return
        yield from keyset_chunks(store, JournalSummary, self._filter(scope), size,
                                 lambda row: SummaryView(row.id, entry_of(row)))

    def check(self, view: Any) -> Checked:
        return Checked(view.id, view.entry)

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        return {}   # its actions waited for their reversals before they joined

    def build(self, checked: Checked, scope: RunScope) -> Outgoing:
        entry: SummaryEntry = checked.view
        payload = entry.payload()
        moved = None
        closed = self._entries.closed_books()
        if closed is not None:
            payload, moved = move_payload(payload, closed_through_for(closed, entry.entity))
        summary = {**entry.summary(), "date": payload["BATCH_DATE"].isoformat(), "description": payload["BATCH_TITLE"]}
        if moved is not None:
            summary["original_date"] = moved.original_date.isoformat()
        notes: tuple[Any, ...] = (SummaryHolds(entry.reference, tuple(s.external_id for s in entry.shares)),)
        settings = self._settings
        return Outgoing(record_id=checked.record_id, function=fn.Create("GLBATCH", payload, controlid=""),
                        reference=entry.reference, amount=entry.debit_total, posting_date=payload["BATCH_DATE"],
                        summary=summary, notes=notes + ((moved,) if moved else ()), preview=payload,
                        entity=entry.entity,
                        level=settings.posting_level.value if settings is not None else None)

    def controlid(self, workspace_uid: str, record_id: int, operation: str, generation: int) -> str:
        return record_controlid(workspace_uid, self.name, record_id, generation)

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        return find_entries(client, [lookup.reference for lookup in lookups])

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        """The summary rows' outcomes, and their actions': posted with the summary's Intacct key."""
        rows = outcome_rows(settled, now, key_column="intacct_recordno")
        if not rows:
            return
        session.execute(update(JournalSummary), rows)
        for row in rows:
            values = ({"status": ActionStatus.POSTED.value, "posted_at": now, "last_error": None,
                       "intacct_recordno": row["intacct_recordno"]} if row["status"] == "posted"
                      else {"last_error": f"its summary was rejected: {row['last_error']}"})
            session.execute(update(Action).where(Action.summary_id == row["id"]).values(**values)
                            .execution_options(synchronize_session=False))

    def nothing_to_do(self, session: Session, scope: RunScope) -> str:
        assert scope.only is not None
        row = session.get(JournalSummary, scope.only[1])
        if row is None or row.workspace_id != scope.workspace_id:
            raise UnknownSummary(f"there is no summary {scope.only[1]} in this workspace")
        return f"summary {row.id} is already posted (Intacct record {row.intacct_recordno})"

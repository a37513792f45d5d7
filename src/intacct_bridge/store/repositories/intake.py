"""Bulk import of actions: an idempotent upsert by external id, all or nothing.

Rows are checked and written a chunk at a time inside the caller's transaction, so memory
stays flat for any file size. Once a row is found bad, writing stops but checking goes on
(so the user sees every bad row at once) and `ImportRejected` is raised at the end, which
rolls the caller's transaction back: nothing from a file with a bad row is imported.

For each action the file is the source of truth for its fields and its campaigns, except
that system campaigns (Exclude, Needs Review) stay as they are unless a row adds Exclude,
and a posted action can no longer change what was posted: the import is refused (workspace setting
`posted_changes = refuse`), or the change becomes the action's next version and the reversal of
what was posted is queued (`reverse`, see `posted_changes.supersede`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from intacct_bridge.domain.intake import ACTION_COLUMNS, NO_ROWS, ActionRecord, Row, RowChecker, RowError, screen_columns
from intacct_bridge.domain.vocabulary import NEEDS_REVIEW_CAMPAIGN, ActionStatus, PostedChanges
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import Action, ActionCampaign, Constituent, utcnow
from intacct_bridge.store.repositories.campaigns import CampaignResolver
from intacct_bridge.store.repositories.posted_changes import CHANGED, posted_changes, supersede
from intacct_bridge.store.repositories.settings import text_policy

CHUNK = 1000
# Core tables for the bulk inserts: the ORM's bulk path costs more than the rows themselves here.
ACTIONS, CONSTITUENTS, ACTION_CAMPAIGNS = Action.__table__, Constituent.__table__, ActionCampaign.__table__
MAX_REPORTED_ERRORS = 1000
T = TypeVar("T")


class ImportRejected(Exception):
    """The file has bad rows; nothing was imported. `errors` lists them by line and field.

    `collection` names what was imported (actions, invoices...): the API reports each error
    at `body.<collection>.<index>`.
    """

    def __init__(self, errors: list[RowError], more: int = 0, collection: str = "actions") -> None:
        self.errors = errors
        self.more = more
        self.collection = collection
        super().__init__(f"{len(errors) + more} bad row(s); nothing was imported")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def add_error(self, error: RowError) -> None:
        """Keep the first MAX_REPORTED_ERRORS errors, count the rest."""
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1

    def reject_if_bad(self, collection: str = "actions") -> None:
        """Raise `ImportRejected` (the caller rolls back) when any error was found."""
        if self.errors:
            raise ImportRejected(self.errors, self.more_errors, collection)


@dataclass(frozen=True)
class _Prepared:
    record: ActionRecord
    campaign_ids: frozenset[int]


def chunks(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ActionImporter:
    def __init__(self, session: Session, workspace_id: int, zone: ZoneInfo) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.resolver = CampaignResolver(session, workspace_id)
        self.system_ids = {c.id for c in self.resolver.by_id.values() if c.system}
        self.checker = RowChecker(zone, text_policy(session, workspace_id))
        self.reverse_posted = posted_changes(session, workspace_id) is PostedChanges.REVERSE
        self.superseded: set[int] = set()     # posted actions this import changes (reversed when reverse_posted)
        self.result = ImportResult()
        self.now = utcnow()
        self._next_analyze = 2000

    def _error(self, error: RowError) -> None:
        self.result.add_error(error)

    def _prepare(self, line: int, raw: Mapping[str, Any] | RowError) -> _Prepared | None:
        parsed = self.checker.check(line, raw)
        if isinstance(parsed, list):
            for error in parsed:
                self._error(error)
            return None
        campaigns, problems = self.resolver.resolve_all(parsed.campaigns)
        for problem in problems:
            self._error(RowError(line, "campaigns", problem, parsed.external_id))
        if any(c.name == NEEDS_REVIEW_CAMPAIGN for c in campaigns):
            self._error(RowError(line, "campaigns", f"{NEEDS_REVIEW_CAMPAIGN!r} is set by the sync, not by a file",
                                 parsed.external_id))
            return None
        return None if problems else _Prepared(parsed, frozenset(c.id for c in campaigns))

    def feed(self, rows: Iterable[Row]) -> ImportResult:
        seen = 0
        for chunk in chunks(screen_columns(rows, ACTION_COLUMNS), CHUNK):
            seen += len(chunk)
            prepared = [p for line, raw in chunk if (p := self._prepare(line, raw)) is not None]
            existing = self._existing([p.record.external_id for p in prepared])
            for item in prepared:
                self._check_posted(item, existing.get(item.record.external_id))
            if not self.result.errors and not self.result.more_errors:
                try:
                    self._write(prepared, existing)
                    self._refresh_statistics()
                except IntegrityError:
                    raise Conflict(
                        "another import added some of the same actions or constituents at the same moment; "
                        "nothing from this file was imported: import it again"
                    ) from None
        if not seen:
            self._error(RowError(1, "(file)", NO_ROWS))
        self.result.reject_if_bad()
        return self.result

    def _refresh_statistics(self) -> None:
        """On PostgreSQL, re-ANALYZE as a large import grows the tables inside its own transaction.

        Without it the planner keeps the statistics of the (nearly empty) tables from before the
        load, picks a scan of the whole workspace for each chunk's external-id lookup, and the
        import turns quadratic. ANALYZE counts the transaction's own new rows. Run when the rows
        written reach 2,000, 8,000, 32,000...: a handful of times per import.
        """
        written = self.result.created + self.result.updated
        if self.session.get_bind().dialect.name != "postgresql" or written < self._next_analyze:
            return
        self._next_analyze *= 4
        self.session.execute(text("ANALYZE actions, constituents, action_campaigns"))

    def _existing(self, external_ids: list[str]) -> dict[str, Action]:
        if not external_ids:
            return {}
        rows = self.session.scalars(
            select(Action)
            .options(lazyload(Action.constituent))  # only the id is compared
            .where(Action.workspace_id == self.workspace_id, Action.external_id.in_(external_ids))
        )
        return {a.external_id: a for a in rows}

    def _user_campaign_ids(self, action: Action) -> frozenset[int]:
        return frozenset(c.id for c in action.campaigns if c.id not in self.system_ids)

    def _check_posted(self, item: _Prepared, action: Action | None) -> None:
        if action is None or action.status != ActionStatus.POSTED.value:
            return
        r = item.record
        changed = [
            name
            for name, old, new in (
                ("type", action.type, r.type),
                ("amount", action.amount, r.amount),
                ("happened_at", action.happened_at, r.happened_at),
            )
            if old != new
        ]
        if self._user_campaign_ids(action) != item.campaign_ids - self.system_ids:
            changed.append("campaigns")
        if changed and self.reverse_posted:
            self.superseded.add(action.id)
        elif changed:
            self._error(
                RowError(
                    r.line,
                    changed[0],
                    f"action {r.external_id!r} is already posted to Sage Intacct; its {', '.join(changed)} "
                    "can no longer change (record a correcting action instead, or set the workspace's "
                    "posted_changes setting to reverse)",
                    r.external_id,
                )
            )

    def _constituents(self, records: list[ActionRecord]) -> dict[str, int]:
        """Constituent ids by external id (the given id, or the name when no id was given)."""
        wanted: dict[str, str] = {}
        for r in records:
            key = r.constituent_id or r.constituent_name
            if key:
                wanted[key] = r.constituent_name or wanted.get(key) or key
        if not wanted:
            return {}
        rows = self.session.scalars(
            select(Constituent).where(
                Constituent.workspace_id == self.workspace_id, Constituent.external_id.in_(list(wanted))
            )
        )
        ids: dict[str, int] = {}
        for constituent in rows:
            ids[constituent.external_id] = constituent.id
            if constituent.name != wanted[constituent.external_id]:
                constituent.name = wanted[constituent.external_id]
        missing = [{"workspace_id": self.workspace_id, "external_id": k, "name": v, "created_at": self.now}
                   for k, v in wanted.items() if k not in ids]
        if missing:
            inserted = self.session.execute(
                insert(CONSTITUENTS).returning(CONSTITUENTS.c.id, CONSTITUENTS.c.external_id, sort_by_parameter_order=True),
                missing,
            )
            ids.update({external_id: cid for cid, external_id in inserted})
        return ids

    def _fields(self, r: ActionRecord, constituent_ids: dict[str, int]) -> dict[str, object]:
        key = r.constituent_id or r.constituent_name
        return {
            "type": r.type,
            "amount": r.amount,
            "happened_at": r.happened_at,
            "summary": r.summary,
            "url": r.url,
            "constituent_id": constituent_ids.get(key) if key else None,
        }

    def _write(self, prepared: list[_Prepared], existing: dict[str, Action]) -> None:
        constituent_ids = self._constituents([p.record for p in prepared])
        new = [p for p in prepared if p.record.external_id not in existing]
        links: list[dict[str, object]] = []
        if new:
            rows = [
                {
                    **self._fields(p.record, constituent_ids),
                    "workspace_id": self.workspace_id,
                    "external_id": p.record.external_id,
                    "created_at": p.record.created_at or self.now,
                    "status": ActionStatus.UNPOSTED.value,
                    "imported_at": self.now,
                    "updated_at": self.now,
                }
                for p in new
            ]
            inserted = self.session.execute(
                insert(ACTIONS).returning(ACTIONS.c.id, ACTIONS.c.external_id, sort_by_parameter_order=True), rows
            )
            ids = {external_id: action_id for action_id, external_id in inserted}
            links += [{"action_id": ids[p.record.external_id], "campaign_id": c, "created_at": self.now}
                      for p in new for c in p.campaign_ids]
            self.result.created += len(new)
        for item in prepared:
            action = existing.get(item.record.external_id)
            if action is not None:
                links += self._update(action, item, constituent_ids)
        if links:
            self.session.execute(insert(ACTION_CAMPAIGNS), links)
        self.session.flush()  # clean objects then leave the (weak) identity map: memory stays flat

    def _update(self, action: Action, item: _Prepared, constituent_ids: dict[str, int]) -> list[dict[str, object]]:
        """Bring an existing action in line with its row; return the campaign links to add."""
        r = item.record
        fields = self._fields(r, constituent_ids)
        if r.created_at is not None:
            fields["created_at"] = r.created_at
        changed = {k: v for k, v in fields.items() if getattr(action, k) != v}
        current = {c.id for c in action.campaigns}
        wanted_user = item.campaign_ids - self.system_ids
        to_remove = (current - self.system_ids) - wanted_user
        to_add = item.campaign_ids - current
        if not changed and not to_remove and not to_add:
            self.result.unchanged += 1
            return []
        if action.id in self.superseded:  # queue the reversal of what was posted before changing it
            supersede(self.session, self.workspace_id, action, CHANGED, self.now)
        for key, value in changed.items():
            setattr(action, key, value)
        action.updated_at = self.now
        if to_remove:
            self.session.execute(
                delete(ActionCampaign).where(
                    ActionCampaign.action_id == action.id, ActionCampaign.campaign_id.in_(to_remove)
                )
            )
        self.result.updated += 1
        return [{"action_id": action.id, "campaign_id": c, "created_at": self.now} for c in to_add]


def import_actions(session: Session, workspace_id: int, rows: Iterable[Row], zone: ZoneInfo) -> ImportResult:
    """Import every row or none: raises `ImportRejected` (roll back!) when any row is bad."""
    return ActionImporter(session, workspace_id, zone).feed(rows)

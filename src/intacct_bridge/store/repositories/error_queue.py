"""The error queue: every flagged record of every kind, by class, with its fix; retry or resolve them.

The rows are the review flags (`sync.review` writes them during runs). Retrying releases a record
the queue holds back, so the next run sends it again; resolving ignores it (with a reason, who and
when): no run considers it any more until it is retried. The CLI, the REST API, the console and the
Python API all call these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.error_classes import FIXES, LABELS, TRANSIENT_CLASSES, ErrorClass, class_of_text
from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.domain.vocabulary import NEEDS_REVIEW_CAMPAIGN
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import ActionCampaign, Campaign, ReviewFlag, utcnow
from intacct_bridge.store.repositories import audit

OPEN, RESOLVED, ALL = "open", "resolved", "all"
STATES = (OPEN, RESOLVED, ALL)


@dataclass(frozen=True)
class ErrorItem:
    """One record in the error queue, as every interface shows it."""

    id: int
    record_kind: str
    record_id: int
    status: str                     # invalid | rejected | retrying | resolved
    error_class: str
    label: str
    fix: str
    reasons: list[dict[str, str]]
    attempts: int
    next_attempt_at: datetime | None
    held: bool
    run_id: int | None
    updated_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for key in ("next_attempt_at", "updated_at", "resolved_at"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass(frozen=True)
class Selection:
    """Which errors a bulk action applies to: these ids, or every open one matching the filters."""

    ids: Sequence[int] | None = None
    classes: Sequence[ErrorClass] = ()
    record_kinds: Sequence[str] = ()

    def describe(self) -> str:
        if self.ids:
            return f"errors {', '.join(map(str, self.ids))}"
        parts = [", ".join(c.value for c in self.classes) or "every class"]
        if self.record_kinds:
            parts.append("of " + ", ".join(self.record_kinds))
        return "open errors of " + " ".join(parts)


@dataclass
class BulkResult:
    """What a retry or resolve did: the errors touched, as (record kind, record id) pairs."""

    count: int = 0
    records: list[tuple[str, int]] = field(default_factory=list)


def stored_class(flag: ReviewFlag) -> ErrorClass:
    """The flag's class; flags written before the queue existed are classed from their words."""
    if flag.error_class:
        return ErrorClass(flag.error_class)
    if flag.kind == "invalid":
        return ErrorClass.VALIDATION
    return class_of_text(" ".join(r.get("message", "") for r in flag.reasons or ()))


def _item(flag: ReviewFlag) -> ErrorItem:
    error_class = stored_class(flag)
    return ErrorItem(
        id=flag.id, record_kind=flag.record_kind, record_id=flag.record_id,
        status="resolved" if flag.resolved_at else flag.kind, error_class=error_class.value,
        label=LABELS[error_class], fix=FIXES[error_class],
        reasons=with_fixes(flag.reasons, flag.record_kind, error_class.value),
        attempts=flag.attempts or 0, next_attempt_at=flag.next_attempt_at, held=bool(flag.held),
        run_id=flag.run_id, updated_at=flag.updated_at, resolved_at=flag.resolved_at,
        resolved_by=flag.resolved_by, resolution=flag.resolution)


# The columns the error lists sort by (the console's headers, the REST API's and the CLI's `sort`).
SORTS = {"id": (ReviewFlag.id,), "record": (ReviewFlag.record_kind, ReviewFlag.record_id),
         "status": (ReviewFlag.kind,), "tries": (ReviewFlag.attempts,), "updated": (ReviewFlag.updated_at,)}


def _filtered(workspace_id: int, classes: Sequence[ErrorClass], record_kinds: Sequence[str], state: str,
              updated_from: datetime | None = None, updated_to: datetime | None = None) -> Any:
    query = select(ReviewFlag).where(ReviewFlag.workspace_id == workspace_id)
    if classes:
        values = [c.value for c in classes]
        if ErrorClass.VALIDATION in classes:  # flags from before the queue: invalid ones are validation
            query = query.where((ReviewFlag.error_class.in_(values))
                                | (ReviewFlag.error_class.is_(None) & (ReviewFlag.kind == "invalid")))
        else:
            query = query.where(ReviewFlag.error_class.in_(values))
    if record_kinds:
        query = query.where(ReviewFlag.record_kind.in_(list(record_kinds)))
    if updated_from is not None:
        query = query.where(ReviewFlag.updated_at >= updated_from)
    if updated_to is not None:
        query = query.where(ReviewFlag.updated_at < updated_to)
    if state == OPEN:
        query = query.where(ReviewFlag.resolved_at.is_(None))
    elif state == RESOLVED:
        query = query.where(ReviewFlag.resolved_at.is_not(None))
    elif state != ALL:
        raise ValueError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
    return query


def list_errors(session: Session, workspace_id: int, *, classes: Sequence[ErrorClass] = (),
                record_kinds: Sequence[str] = (), state: str = OPEN, limit: int = 100,
                after_id: int = 0, offset: int = 0, updated_from: datetime | None = None,
                updated_to: datetime | None = None, sort: str = "id", descending: bool = False) -> list[ErrorItem]:
    """The workspace's errors (a page of `limit` after `after_id`, or from `offset` for numbered pages),
    filtered by class, kind and when they last failed ([`updated_from`, `updated_to`)), ordered by `sort`
    (one of `SORTS`; the id breaks ties)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    order = [c.desc() if descending else c.asc() for c in (*SORTS[sort], ReviewFlag.id)]
    query = (_filtered(workspace_id, classes, record_kinds, state, updated_from, updated_to)
             .where(ReviewFlag.id > after_id).order_by(*order).offset(offset).limit(limit))
    return [_item(flag) for flag in session.scalars(query)]


def count_errors(session: Session, workspace_id: int, *, classes: Sequence[ErrorClass] = (),
                 record_kinds: Sequence[str] = (), state: str = OPEN, updated_from: datetime | None = None,
                 updated_to: datetime | None = None) -> int:
    query = _filtered(workspace_id, classes, record_kinds, state, updated_from, updated_to)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def get_error(session: Session, workspace_id: int, error_id: int) -> ErrorItem:
    flag = session.get(ReviewFlag, error_id)
    if flag is None or flag.workspace_id != workspace_id:
        raise NotFound(f"there is no error {error_id} in this workspace: see `intacct-bridge errors list`")
    return _item(flag)


def counts_by_class(session: Session, workspace_id: int) -> dict[str, int]:
    """Open errors per class (every class present, zeros included), for the console and the status."""
    counts = {c.value: 0 for c in ErrorClass}
    rows = session.execute(select(ReviewFlag.error_class, ReviewFlag.kind, func.count())
                           .where(ReviewFlag.workspace_id == workspace_id, ReviewFlag.resolved_at.is_(None))
                           .group_by(ReviewFlag.error_class, ReviewFlag.kind))
    for error_class, kind, count in rows:
        name = error_class or (ErrorClass.VALIDATION.value if kind == "invalid" else ErrorClass.BUSINESS_RULE.value)
        counts[name] += count
    return counts


def _selected(session: Session, workspace_id: int, selection: Selection, state: str) -> list[ReviewFlag]:
    if selection.ids is not None and not selection.ids and not selection.classes and not selection.record_kinds:
        raise Conflict("name the errors (their ids), a class or a record kind: nothing was selected")
    query = _filtered(workspace_id, selection.classes, selection.record_kinds, state)
    if selection.ids:
        wanted = set(selection.ids)
        flags = list(session.scalars(query.where(ReviewFlag.id.in_(wanted))))
        missing = wanted - {f.id for f in flags}
        if missing:
            raise NotFound(f"no {'open ' if state == OPEN else ''}error with id {', '.join(map(str, sorted(missing)))} "
                           "in this workspace: see `intacct-bridge errors list`")
        return flags
    return list(session.scalars(query))


def retry(session: Session, workspace_id: int, selection: Selection) -> BulkResult:
    """Release the selected errors (resolved ones too): the next run sends them again at once.

    An invalid record is checked again by every run anyway; a rejected, transient or resolved one
    is held back until released here.
    """
    flags = _selected(session, workspace_id, selection, ALL if selection.ids else OPEN)
    for flag in flags:
        flag.held, flag.next_attempt_at = False, None
        if flag.kind == "retrying" or stored_class(flag) in TRANSIENT_CLASSES:
            flag.attempts = 0
        flag.resolved_at = flag.resolved_by = flag.resolution = None
    _audit(session, workspace_id, "errors.retried", flags)
    return BulkResult(len(flags), [(f.record_kind, f.record_id) for f in flags])


def _audit(session: Session, workspace_id: int, action: str, flags: Sequence[ReviewFlag], **detail: Any) -> None:
    if flags:
        audit.record(session, workspace_id, action, f"{len(flags)} error{'' if len(flags) == 1 else 's'}",
                     {"errors": [f.id for f in flags[:100]], **detail})


def resolve(session: Session, workspace_id: int, selection: Selection, *, reason: str, by: str,
            now: datetime | None = None) -> BulkResult:
    """Ignore the selected errors with a reason: no run sends those records until they are retried."""
    reason = (reason or "").strip()
    if not reason:
        raise Conflict("say why these errors are resolved (--reason): the reason is kept with who and when")
    flags = _selected(session, workspace_id, selection, OPEN)
    when = now or utcnow()
    for flag in flags:
        flag.resolved_at, flag.resolved_by, flag.resolution = when, by, reason
    _untag_actions(session, workspace_id, [f.record_id for f in flags if f.record_kind == "journal_entry"])
    _audit(session, workspace_id, "errors.resolved", flags, reason=reason[:500])
    return BulkResult(len(flags), [(f.record_kind, f.record_id) for f in flags])


def _untag_actions(session: Session, workspace_id: int, action_ids: list[int]) -> None:
    """A resolved action no longer carries `System Needs Review` (the organization's filters stop showing it)."""
    if not action_ids:
        return
    campaign = session.scalar(select(Campaign.id).where(Campaign.workspace_id == workspace_id,
                                                        Campaign.name == NEEDS_REVIEW_CAMPAIGN))
    if campaign is not None:
        session.execute(delete(ActionCampaign).where(ActionCampaign.campaign_id == campaign,
                                                     ActionCampaign.action_id.in_(action_ids)))

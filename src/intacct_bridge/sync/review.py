"""The review queue: a flag with its reasons on any record that needs a person.

The gate flags invalid records, the poster flags records Intacct rejected, and
the next run's validation clears the flag of every record that was fixed.

The flags are also the error queue (`store.repositories.error_queue`): each carries
its class (`domain.error_classes`). A record Intacct refused is `held` (not sent
again until a person retries it); a transient failure is `retrying`: later runs
send it again after a growing wait (`next_attempt_at`) until the cap, then it is
held. A resolved (ignored) record is no candidate any more. Posting a record
clears its flag. One
`ReviewFlag` row per record of any kind holds the reasons; an action also
carries the `System Needs Review` campaign (so the organization's own tools,
filters and notifications see it, as in seed 000).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from datetime import datetime

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.error_classes import ErrorClass, backoff, class_of_text, gives_up
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.vocabulary import NEEDS_REVIEW_CAMPAIGN
from intacct_bridge.store.models import ActionCampaign, Campaign, ReviewFlag
from intacct_bridge.store.repositories.workspaces import ensure_system_campaigns

INVALID = "invalid"    # the gate found the record incomplete or wrong, or no request could be built for it
REJECTED = "rejected"  # Intacct refused it
RETRYING = "retrying"  # a transient failure: later runs send it again by themselves (until the cap)
JOURNAL_ENTRY = "journal_entry"


def needs_review_campaign(session: Session, workspace_id: int) -> Campaign:
    """The workspace's `System Needs Review` campaign (created with the workspace; made again if missing)."""
    return ensure_system_campaigns(session, workspace_id)[NEEDS_REVIEW_CAMPAIGN]


def _kind_name(record_kind: Any) -> str:
    return record_kind if isinstance(record_kind, str) else record_kind.name


def flag(
    session: Session,
    workspace_id: int,
    record_kind: Any,
    reasons_by_record: Mapping[int, Sequence[Reason]],
    *,
    kind: str,
    run_id: int | None,
    classes: Mapping[int, ErrorClass] | None = None,
) -> None:
    """Put (or refresh) the flag on each record of `record_kind` (a name or a `RecordKind`) with its reasons.

    An invalid record is of class validation and is checked again by every run; a rejected one is held
    until a person retries it, its class taken from `classes` or else from Intacct's words.
    """
    if not reasons_by_record:
        return
    name = _kind_name(record_kind)
    ids = list(reasons_by_record)
    flags = _flags(session, workspace_id, name, ids)
    for record_id, reasons in reasons_by_record.items():
        payload = [r.as_dict() for r in reasons]
        if kind == INVALID:
            error_class = ErrorClass.VALIDATION
        else:
            error_class = (classes or {}).get(record_id) or class_of_text(" ".join(r.message for r in reasons))
        existing = flags.get(record_id) or _new_flag(session, workspace_id, name, record_id)
        existing.kind, existing.reasons, existing.run_id = kind, payload, run_id
        existing.error_class = error_class.value
        existing.held = kind == REJECTED
        existing.next_attempt_at = None
        if kind == REJECTED:
            existing.attempts = (existing.attempts or 0) + 1
        existing.resolved_at = existing.resolved_by = existing.resolution = None
    if name == JOURNAL_ENTRY:
        _tag_actions(session, workspace_id, ids)


def note_transient(
    session: Session,
    workspace_id: int,
    record_kind: Any,
    failures: Mapping[int, tuple[ErrorClass, str]],
    *,
    run_id: int | None,
    now: datetime,
) -> None:
    """Count one more transient failure per record: retried by a later run after a wait, held at the cap."""
    if not failures:
        return
    name = _kind_name(record_kind)
    flags = _flags(session, workspace_id, name, list(failures))
    capped = []
    for record_id, (error_class, message) in failures.items():
        existing = flags.get(record_id) or _new_flag(session, workspace_id, name, record_id)
        attempts = (existing.attempts or 0) + 1
        existing.attempts, existing.run_id, existing.error_class = attempts, run_id, error_class.value
        existing.resolved_at = existing.resolved_by = existing.resolution = None
        if gives_up(attempts):
            existing.kind, existing.held, existing.next_attempt_at = REJECTED, True, None
            existing.reasons = [Reason("intacct", f"no answer after {attempts} attempts: {message}").as_dict()]
            capped.append(record_id)
        else:
            existing.kind, existing.held, existing.next_attempt_at = RETRYING, False, now + backoff(attempts)
            existing.reasons = [Reason("intacct", f"attempt {attempts} failed, tried again after "
                                                  f"{existing.next_attempt_at:%Y-%m-%d %H:%M} UTC: {message}").as_dict()]
    if name == JOURNAL_ENTRY and capped:
        _tag_actions(session, workspace_id, capped)


def held_back(workspace_id: int, record_kind: str, record_id_column: Any, now: datetime) -> Any:
    """A WHERE clause true for records the error queue keeps out of a run.

    Held ones wait for a person, resolved ones were ignored, and retrying ones wait until their next attempt.
    """
    return exists().where(
        ReviewFlag.workspace_id == workspace_id,
        ReviewFlag.record_kind == record_kind,
        ReviewFlag.record_id == record_id_column,
        or_(ReviewFlag.held.is_(True), ReviewFlag.resolved_at.is_not(None), ReviewFlag.next_attempt_at > now),
    )


def _flags(session: Session, workspace_id: int, name: str, ids: list[int]) -> dict[int, ReviewFlag]:
    return {f.record_id: f for f in session.scalars(select(ReviewFlag).where(
        ReviewFlag.workspace_id == workspace_id, ReviewFlag.record_kind == name, ReviewFlag.record_id.in_(ids)))}


def _new_flag(session: Session, workspace_id: int, name: str, record_id: int) -> ReviewFlag:
    created = ReviewFlag(record_kind=name, record_id=record_id, action_id=record_id if name == JOURNAL_ENTRY else None,
                         workspace_id=workspace_id, kind=INVALID, reasons=[], attempts=0, held=False)
    session.add(created)
    return created


def _tag_actions(session: Session, workspace_id: int, action_ids: list[int]) -> None:
    campaign = needs_review_campaign(session, workspace_id)
    linked = set(session.scalars(select(ActionCampaign.action_id).where(
        ActionCampaign.campaign_id == campaign.id, ActionCampaign.action_id.in_(action_ids))))
    for action_id in action_ids:
        if action_id not in linked:
            session.add(ActionCampaign(action_id=action_id, campaign_id=campaign.id))


def unflag(session: Session, workspace_id: int, record_kind: Any, record_ids: Iterable[int]) -> int:
    """Clear the flag of records that are now valid; return how many had one.

    A `retrying` flag stays: it counts the transient failures until the record is posted.
    """
    return _clear(session, workspace_id, record_kind, record_ids, keep_retrying=True)


def clear(session: Session, workspace_id: int, record_kind: Any, record_ids: Iterable[int]) -> int:
    """Clear every flag of records now posted (in Intacct, nothing is left to fix)."""
    return _clear(session, workspace_id, record_kind, record_ids, keep_retrying=False)


def _clear(session: Session, workspace_id: int, record_kind: Any, record_ids: Iterable[int], *,
           keep_retrying: bool) -> int:
    ids = list(record_ids)
    if not ids:
        return 0
    name = _kind_name(record_kind)
    mine = (ReviewFlag.workspace_id == workspace_id, ReviewFlag.record_kind == name)
    if keep_retrying:
        mine += (ReviewFlag.kind != RETRYING,)
    flagged = list(session.scalars(select(ReviewFlag.record_id).where(*mine, ReviewFlag.record_id.in_(ids))))
    if not flagged:
        return 0
    session.execute(delete(ReviewFlag).where(*mine, ReviewFlag.record_id.in_(flagged)))
    if name == JOURNAL_ENTRY:
        campaign = needs_review_campaign(session, workspace_id)
        session.execute(delete(ActionCampaign).where(
            ActionCampaign.campaign_id == campaign.id, ActionCampaign.action_id.in_(flagged)))
    return len(flagged)

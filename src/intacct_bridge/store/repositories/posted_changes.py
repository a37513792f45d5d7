"""A posted action changed or deleted at the source: refuse it, or queue the reversal of what was posted.

With the workspace setting `posted_changes = reverse`, `supersede` keeps the posted version
as it is (its posting row and entry stay), queues a `journal_reversals` row holding what
that posting sent, and makes the action's next version a candidate (changed) or
withdraws it (deleted). Nothing is sent here: the sync posts the reversal, then the
corrected entry, each exactly once under its own reference.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.identifiers import version_of
from intacct_bridge.domain.reversal import reversal_day
from intacct_bridge.domain.vocabulary import ActionStatus, PostedChanges, PostingState, ReversalDate
from intacct_bridge.store.errors import Conflict
from intacct_bridge.domain.summary import Share, share_reversal_original
from intacct_bridge.store.models import Action, JournalReversal, JournalSummary, Posting, WorkspaceSettings
from intacct_bridge.store.repositories.settings import settings_row

CHANGED, DELETED = "changed", "deleted"


def posted_changes(session: Session, workspace_id: int) -> PostedChanges:
    return PostedChanges(settings_row(session, workspace_id).posted_changes)


def posted_version(session: Session, workspace_id: int, action_id: int) -> Posting | None:
    """The posting of the action's newest posted version (None: no version of it is posted)."""
    return session.scalar(
        select(Posting).where(Posting.workspace_id == workspace_id, Posting.record_kind == "journal_entry",
                              Posting.record_id == action_id, Posting.state == PostingState.POSTED.value)
        .order_by(Posting.generation.desc()).limit(1))


def versions(session: Session, workspace_id: int, action_id: int) -> list[dict[str, object]]:
    """Every write of the action in order: each version's posting and each reversal's, with their state in Intacct."""
    reversals = {r.id: r for r in session.scalars(select(JournalReversal).where(
        JournalReversal.workspace_id == workspace_id, JournalReversal.action_id == action_id))}
    summaries = _summaries_holding(session, workspace_id, action_id, [r.original_reference for r in reversals.values()])
    rows = session.scalars(select(Posting).where(
        Posting.workspace_id == workspace_id,
        ((Posting.record_kind == "journal_entry") & (Posting.record_id == action_id))
        | ((Posting.record_kind == "journal_reversal") & Posting.record_id.in_(list(reversals) or [0]))
        | ((Posting.record_kind == "journal_summary") & Posting.record_id.in_(list(summaries) or [0])))
        .order_by(Posting.created_at, Posting.id))
    found: list[dict[str, object]] = []
    for posting in rows:
        summary = posting.request_summary or {}
        reversal = reversals.get(posting.record_id) if posting.record_kind == "journal_reversal" else None
        held = summaries.get(posting.record_id) if posting.record_kind == "journal_summary" else None
        found.append({"kind": "reversal" if reversal else "summary" if held is not None else "entry",
                      "version": reversal.version if reversal else held if held is not None
                      else version_of(posting.operation),
                      "reference": posting.reference_no, "controlid": posting.controlid, "state": posting.state,
                      "intacct_recordno": posting.intacct_recordno, "date": summary.get("date"),
                      "amount": summary.get("amount"), "reason": reversal.reason if reversal else None,
                      "reverses": summary.get("reverses"), "at": posting.created_at.isoformat()})
    return found


def _posted_share(session: Session, workspace_id: int, action: Action) -> tuple[Posting | None, dict | None]:
    """A summarized action's posted summary, and what reversing its share takes back (its own lines only)."""
    posting = session.scalar(
        select(Posting).where(Posting.workspace_id == workspace_id, Posting.record_kind == "journal_summary",
                              Posting.record_id == action.summary_id, Posting.state == PostingState.POSTED.value)
        .order_by(Posting.generation.desc()).limit(1))
    summary_row = session.get(JournalSummary, action.summary_id)
    if posting is None or summary_row is None:
        return None, None
    share = next((Share.from_dict(s) for s in summary_row.shares if s["action_id"] == action.id), None)
    if share is None:
        return None, None
    return posting, share_reversal_original(share, posting.request_summary or {})


def _summaries_holding(session: Session, workspace_id: int, action_id: int,
                       reversed_references: list[str]) -> dict[int, int]:
    """The summaries that held a version of the action (its current one, and those whose share was reversed):
    summary id → the version of the action it held."""
    current = session.scalar(select(Action.summary_id).where(Action.id == action_id))
    rows = session.scalars(select(JournalSummary).where(
        JournalSummary.workspace_id == workspace_id,
        (JournalSummary.id == (current or 0)) | JournalSummary.reference.in_(reversed_references or [""])))
    return {row.id: next(int(s["version"]) for s in row.shares if int(s["action_id"]) == action_id)
            for row in rows if any(int(s["action_id"]) == action_id for s in row.shares)}


def supersede(session: Session, workspace_id: int, action: Action, reason: str, now: datetime) -> JournalReversal:
    """Queue the reversal of the action's posted version; the action moves to its next version (or is withdrawn).

    Raises `Conflict` when nothing of it is posted (there is nothing to reverse).
    """
    posting, summary = _posted_share(session, workspace_id, action) if action.summary_id is not None else (
        posted_version(session, workspace_id, action.id), None)
    if posting is None or action.status != ActionStatus.POSTED.value:
        raise Conflict(f"action {action.external_id!r} has no posted version to reverse")
    row: WorkspaceSettings = settings_row(session, workspace_id)
    summary = dict(summary if summary is not None else posting.request_summary or {})
    # Where the original went (multi-entity): its reversal is written in the same entity's session.
    summary["written_at"] = {"level": posting.posting_level, "entity": posting.entity_id}
    original_day = posting.posting_date or now.date()
    change_day = now.astimezone(ZoneInfo(row.timezone)).date()
    reversal = JournalReversal(
        workspace_id=workspace_id, action_id=action.id, version=action.version, reason=reason,
        original_reference=posting.reference_no, original_recordno=posting.intacct_recordno, original=summary,
        reversal_date=reversal_day(original_day, change_day, ReversalDate(row.reversal_date)), created_at=now)
    session.add(reversal)
    action.summary_id = None   # its share is reversed: the next version posts on its own or in a later summary
    if reason == DELETED:
        action.status = ActionStatus.WITHDRAWN.value
    else:
        action.version += 1
        action.status, action.posted_at, action.intacct_recordno = ActionStatus.UNPOSTED.value, None, None
    action.updated_at = now
    session.flush()
    return reversal


def withdraw_or_refuse(session: Session, workspace_id: int, action: Action, now: datetime) -> JournalReversal | None:
    """A deleted action: reverse a posted one (setting `reverse`), or say why it cannot go (`refuse`).

    Returns the reversal when one was queued; None when the action was never posted (the caller deletes it).
    """
    if action.status == ActionStatus.WITHDRAWN.value:
        raise Conflict(f"action {action.external_id!r} is already withdrawn: its entry was reversed")
    has_history = action.status == ActionStatus.POSTED.value or posted_version(session, workspace_id, action.id)
    if not has_history:
        return None
    if posted_changes(session, workspace_id) is PostedChanges.REFUSE:
        raise Conflict(f"action {action.external_id!r} is posted to Sage Intacct and cannot be deleted "
                       "(set the workspace's posted_changes setting to reverse to post a reversal instead)")
    if action.status != ActionStatus.POSTED.value:  # a corrected version waits: withdraw it, its reversal stands
        action.status, action.updated_at = ActionStatus.WITHDRAWN.value, now
        return None
    return supersede(session, workspace_id, action, DELETED, now)


"""The review queue: a flag with its reasons on any record that needs a person.

The gate flags invalid records, the poster flags records Intacct rejected, and
the next run's validation clears the flag of every record that was fixed. One
`ReviewFlag` row per record of any kind holds the reasons; an action also
carries the `System Needs Review` campaign (so the organization's own tools,
filters and notifications see it, as in seed 000).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.vocabulary import NEEDS_REVIEW_CAMPAIGN
from intacct_bridge.store.models import ActionCampaign, Campaign, ReviewFlag
from intacct_bridge.store.repositories.workspaces import ensure_system_campaigns

INVALID = "invalid"    # the gate found the record incomplete or wrong, or no request could be built for it
REJECTED = "rejected"  # Intacct refused it
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
) -> None:
    """Put (or refresh) the flag on each record of `record_kind` (a name or a `RecordKind`) with its reasons."""
    if not reasons_by_record:
        return
    name = _kind_name(record_kind)
    ids = list(reasons_by_record)
    flags = {f.record_id: f for f in session.scalars(select(ReviewFlag).where(
        ReviewFlag.workspace_id == workspace_id, ReviewFlag.record_kind == name, ReviewFlag.record_id.in_(ids)))}
    for record_id, reasons in reasons_by_record.items():
        payload = [r.as_dict() for r in reasons]
        existing = flags.get(record_id)
        if existing is None:
            session.add(ReviewFlag(record_kind=name, record_id=record_id,
                                   action_id=record_id if name == JOURNAL_ENTRY else None,
                                   workspace_id=workspace_id, run_id=run_id, kind=kind, reasons=payload))
        else:
            existing.kind, existing.reasons, existing.run_id = kind, payload, run_id
    if name == JOURNAL_ENTRY:
        _tag_actions(session, workspace_id, ids)


def _tag_actions(session: Session, workspace_id: int, action_ids: list[int]) -> None:
    campaign = needs_review_campaign(session, workspace_id)
    linked = set(session.scalars(select(ActionCampaign.action_id).where(
        ActionCampaign.campaign_id == campaign.id, ActionCampaign.action_id.in_(action_ids))))
    for action_id in action_ids:
        if action_id not in linked:
            session.add(ActionCampaign(action_id=action_id, campaign_id=campaign.id))


def unflag(session: Session, workspace_id: int, record_kind: Any, record_ids: Iterable[int]) -> int:
    """Clear the flag of records that are now valid; return how many had one."""
    ids = list(record_ids)
    if not ids:
        return 0
    name = _kind_name(record_kind)
    mine = (ReviewFlag.workspace_id == workspace_id, ReviewFlag.record_kind == name)
    flagged = list(session.scalars(select(ReviewFlag.record_id).where(*mine, ReviewFlag.record_id.in_(ids))))
    if not flagged:
        return 0
    session.execute(delete(ReviewFlag).where(*mine, ReviewFlag.record_id.in_(flagged)))
    if name == JOURNAL_ENTRY:
        campaign = needs_review_campaign(session, workspace_id)
        session.execute(delete(ActionCampaign).where(
            ActionCampaign.campaign_id == campaign.id, ActionCampaign.action_id.in_(flagged)))
    return len(flagged)

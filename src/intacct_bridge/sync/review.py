"""The review queue: `System Needs Review` on an action, with the reasons recorded.

The gate flags invalid actions, the poster flags actions Intacct rejected, and
the next run's validation clears the flag of every action that was fixed. The
flag is both a campaign (so the organization's own tools, filters and
notifications see it, as in seed 000) and a `ReviewFlag` row holding the reasons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.vocabulary import NEEDS_REVIEW_CAMPAIGN
from intacct_bridge.store.models import ActionCampaign, Campaign, ReviewFlag
from intacct_bridge.store.repositories.workspaces import ensure_system_campaigns

INVALID = "invalid"    # the gate found the action incomplete or wrong, or no request could be built for it
REJECTED = "rejected"  # Intacct refused the journal entry


def needs_review_campaign(session: Session, workspace_id: int) -> Campaign:
    """The workspace's `System Needs Review` campaign (created with the workspace; made again if missing)."""
    return ensure_system_campaigns(session, workspace_id)[NEEDS_REVIEW_CAMPAIGN]


def flag(
    session: Session,
    workspace_id: int,
    reasons_by_action: Mapping[int, Sequence[Reason]],
    *,
    kind: str,
    run_id: int | None,
) -> None:
    """Put (or refresh) the flag on each action with its reasons."""
    if not reasons_by_action:
        return
    campaign = needs_review_campaign(session, workspace_id)
    ids = list(reasons_by_action)
    flags = {f.action_id: f for f in session.scalars(select(ReviewFlag).where(ReviewFlag.action_id.in_(ids)))}
    linked = set(
        session.scalars(
            select(ActionCampaign.action_id).where(
                ActionCampaign.campaign_id == campaign.id, ActionCampaign.action_id.in_(ids)
            )
        )
    )
    for action_id, reasons in reasons_by_action.items():
        payload = [r.as_dict() for r in reasons]
        existing = flags.get(action_id)
        if existing is None:
            session.add(
                ReviewFlag(action_id=action_id, workspace_id=workspace_id, run_id=run_id, kind=kind, reasons=payload)
            )
        else:
            existing.kind, existing.reasons, existing.run_id = kind, payload, run_id
        if action_id not in linked:
            session.add(ActionCampaign(action_id=action_id, campaign_id=campaign.id))


def unflag(session: Session, workspace_id: int, action_ids: Iterable[int]) -> int:
    """Clear the flag of actions that are now valid; return how many had one."""
    ids = list(action_ids)
    if not ids:
        return 0
    flagged = list(session.scalars(select(ReviewFlag.action_id).where(ReviewFlag.action_id.in_(ids))))
    if not flagged:
        return 0
    campaign = needs_review_campaign(session, workspace_id)
    session.execute(delete(ReviewFlag).where(ReviewFlag.action_id.in_(flagged)))
    session.execute(
        delete(ActionCampaign).where(
            ActionCampaign.campaign_id == campaign.id, ActionCampaign.action_id.in_(flagged)
        )
    )
    return len(flagged)

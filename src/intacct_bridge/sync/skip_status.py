"""Whether an unposted action is kept out by a skip-export rule now: what its page says beside its status.

The run log says it for each run; this answers between runs, with the settings as they stand.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from intacct_bridge.domain.skip_rules import skip_reason
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.models import Action
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.sync.candidates import to_view


def skip_now(session: Session, workspace_id: int, action: Action) -> str | None:
    """The matching rule in words, or None (posted actions are history: no rule applies to them)."""
    if action.status == ActionStatus.POSTED.value:
        return None
    settings = load_sync_settings(session, workspace_id)
    if not settings.skip_rules:
        return None
    return skip_reason(to_view(action), settings.skip_rules, settings.zone())

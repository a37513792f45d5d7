"""What the description template makes of an action: the settings pages' live preview.

The preview fills the template exactly as a run does (`journal.entry_texts`), from a real action of
the workspace when one is named (or the latest one), else from a sample action, so a finance admin sees
the journal entry's text before saving the template.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.description_template import TemplateError, check_template
from intacct_bridge.domain.journal import entry_texts
from intacct_bridge.domain.model import ActionView, CampaignTag
from intacct_bridge.store.models import Action
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.sync.candidates import to_view

SAMPLE = ActionView(id=0, external_id="t-1001", type="ticket", amount=Decimal("125.00"),
                    happened_at=datetime(2026, 6, 30, 15, 0, tzinfo=UTC), summary="Two tickets to the Spring Gala",
                    url="https://org.example/actions/t-1001", constituent_name="Ada Lovelace",
                    campaigns=(CampaignTag(id=None, name="Spring Gala", category="Events"),))


@dataclass(frozen=True)
class Preview:
    title: str                 # BATCH_TITLE: what Intacct lists the entry by
    line: str                  # each line's DESCRIPTION
    external_id: str           # the action it was made from
    sample: bool               # True: the sample action (the workspace has none, or none was named)
    error: str | None = None   # the template cannot be used (unknown placeholders...): nothing else is set


def preview(session: Session, workspace_id: int, template: str | None, external_id: str | None = None) -> Preview:
    """The entry texts `template` (None or empty: no template) gives for one action, or why it cannot be used."""
    view, sample = SAMPLE, True
    query = select(Action).where(Action.workspace_id == workspace_id)
    query = query.where(Action.external_id == external_id.strip()) if external_id and external_id.strip() else (
        query.order_by(Action.id.desc()))
    found = session.scalars(query.limit(1)).first()
    if found is not None:
        view, sample = to_view(found), False
    elif external_id and external_id.strip():
        return Preview("", "", external_id.strip(), True, error=f"no action {external_id.strip()[:100]!r} in this "
                                                                  "workspace: leave it empty for the latest one")
    try:
        text = check_template(template) if template and template.strip() else None
    except TemplateError as error:
        return Preview("", "", view.external_id, sample, error=str(error))
    settings = replace(load_sync_settings(session, workspace_id), description_template=text)
    title, line = entry_texts(view, settings)
    return Preview(title, line, view.external_id, sample)

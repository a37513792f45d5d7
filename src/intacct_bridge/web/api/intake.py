"""Actions received as JSON into the store's all-or-nothing importer (the same one the CSV import uses).

Campaigns may be given by id; the importer resolves names, so an id becomes the
campaign's name qualified by its category (`[Sage Intacct] Locations: CR 100`),
which names exactly one campaign. An unknown id is a problem of that record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from intacct_bridge.domain.intake import RowError
from intacct_bridge.store.repositories.intake import ImportRejected, ImportResult, import_actions
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.web.api.schemas_records import ActionIn
from intacct_bridge.web.queries import campaigns_by_ids


# The importer's field names for the body's nested ones.
BODY_FIELDS = {"constituent_id": "constituent.external_id", "constituent_name": "constituent.name"}


def _row(action: ActionIn, names: dict[int, str]) -> dict[str, Any]:
    constituent = action.constituent
    return {
        "external_id": action.external_id,
        "type": action.type,
        "amount": action.amount,
        "happened_at": action.happened_at,
        "created_at": action.created_at,
        "summary": action.summary,
        "url": action.url,
        "constituent_id": constituent.external_id if constituent else None,
        "constituent_name": constituent.name if constituent else None,
        # an unknown id is reported by `upsert_actions` beside the importer's findings, not here
        "campaigns": [names[ref] if isinstance(ref, int) else ref for ref in action.campaigns
                      if not isinstance(ref, int) or ref in names],
    }


def upsert_actions(session: Session, workspace_id: int, actions: Sequence[tuple[int, ActionIn]]) -> ImportResult:
    """Create or update every action (index, action) by external id, or none (`ImportRejected` naming every
    problem of every action by index and field: unknown campaign ids with the importer's own findings)."""
    wanted = {ref for _, a in actions for ref in a.campaigns if isinstance(ref, int)}
    found = campaigns_by_ids(session, workspace_id, wanted)
    names = {cid: f"{c.category.name}: {c.name}" for cid, c in found.items()}
    unknown = [RowError(index, "campaigns", f"no campaign with id {ref} in this workspace", a.external_id)
               for index, a in actions for ref in a.campaigns if isinstance(ref, int) and ref not in found]
    zone = load_sync_settings(session, workspace_id).zone()
    try:
        result = import_actions(session, workspace_id, ((i, _row(a, names)) for i, a in actions), zone)
    except ImportRejected as rejected:
        errors = [replace(e, field=BODY_FIELDS.get(e.field, e.field)) for e in rejected.errors]
        raise ImportRejected(sorted(unknown + errors, key=lambda e: e.line), rejected.more) from None
    if unknown:
        raise ImportRejected(unknown)
    return result

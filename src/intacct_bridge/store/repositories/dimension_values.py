"""Asking for a dimension value to be created in Intacct: checked, stored as an outbox record, listed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.dimension_values import creatable_specs, value_reasons
from intacct_bridge.domain.vocabulary import Dimension
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import Campaign, CampaignCategory, DimensionValue
from intacct_bridge.store.repositories.settings import load_sync_settings


def request_value(session: Session, workspace_id: int, dimension: Dimension | str, value_id: str,
                  name: str) -> DimensionValue:
    """Store a value to create at the next sync; refused (naming the field and fix) when it cannot work."""
    value_id, name = value_id.strip(), " ".join(name.split())
    specs = creatable_specs(load_sync_settings(session, workspace_id))
    try:
        dim = Dimension(str(dimension).strip().lower())
    except ValueError:
        dim = None
    if dim not in specs:
        offered = ", ".join(d.value for d in specs) or "none (every creatable dimension is excluded in the settings)"
        raise Conflict(f"values of {dimension!r} cannot be created from here: choose one of {offered}; accounts "
                       "and other values are created in Sage Intacct and come with the next pull")
    reasons = value_reasons(value_id, name)
    if reasons:
        raise Conflict("; ".join(r.message for r in reasons))
    spec = specs[dim]
    pulled = session.scalar(select(Campaign.name).join(CampaignCategory, Campaign.category_id == CampaignCategory.id)
                            .where(Campaign.workspace_id == workspace_id,
                                   CampaignCategory.name == spec.category_name,
                                   Campaign.intacct_value_id == value_id).limit(1))
    if pulled is not None:
        raise Conflict(f"{spec.label} {value_id} is in Intacct already ({pulled}): choose another id")
    external_id = f"{spec.intacct_object}:{value_id}"
    if session.scalar(select(DimensionValue.id).where(DimensionValue.workspace_id == workspace_id,
                                                      DimensionValue.external_id == external_id)) is not None:
        raise Conflict(f"{spec.label} {value_id} was asked for already: it is created at the next sync")
    row = DimensionValue(workspace_id=workspace_id, external_id=external_id, dimension=dim.value,
                         category_name=spec.category_name, object_name=spec.intacct_object, id_field=spec.id_field,
                         name_field=spec.name_field, value_id=value_id, name=name)
    session.add(row)
    session.flush()
    return row


def requested_values(session: Session, workspace_id: int, limit: int = 200) -> Sequence[DimensionValue]:
    """The values asked for, newest first, with where each stands (unposted, posted, failed)."""
    return session.scalars(select(DimensionValue).where(DimensionValue.workspace_id == workspace_id)
                           .order_by(DimensionValue.id.desc()).limit(limit)).all()

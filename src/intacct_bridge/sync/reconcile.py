"""Keep the Intacct-backed campaigns in step with what was pulled.

For every pulled value there is one CR and one DR campaign in the value's
category. Values are written in chunks as they stream in; once a stream is
done, campaigns whose value was not seen (it vanished from Intacct) or is
inactive there are marked inactive — never deleted, so history stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intacct_bridge.domain.vocabulary import DimensionSpec, Side, campaign_name
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Campaign, CampaignCategory, IntacctValue
from intacct_bridge.sync.streams import PulledValue

CHUNK = 1000


@dataclass
class ReconcileCounts:
    values: int = 0
    created: int = 0
    deactivated: int = 0
    reactivated: int = 0


def ensure_category(session: Session, workspace_id: int, spec: DimensionSpec) -> CampaignCategory:
    """The `[Sage Intacct] ...` category of a dimension, created on first pull."""
    category = session.scalar(
        select(CampaignCategory).where(
            CampaignCategory.workspace_id == workspace_id, CampaignCategory.name == spec.category_name
        )
    )
    if category is None:
        category = CampaignCategory(
            workspace_id=workspace_id,
            name=spec.category_name,
            dimension=spec.dimension.value,
            intacct_object=spec.intacct_object,
        )
        session.add(category)
        session.flush()
    return category


def reconcile_stream(
    store: Store,
    workspace_id: int,
    spec: DimensionSpec,
    values: Iterable[PulledValue],
    pulled_at: datetime,
    sides: tuple[Side | None, ...] = (Side.CR, Side.DR),
) -> ReconcileCounts:
    """Write one stream's values and campaigns, one transaction per chunk; return what changed.

    `sides`: one campaign per value and side; `(None,)` for a category without sides (the entities).
    """
    counts = ReconcileCounts()
    with store.write_session() as session:
        category_id = ensure_category(session, workspace_id, spec).id
    for chunk in _chunks(values, CHUNK):
        with store.write_session() as session:
            write_values(session, workspace_id, spec.intacct_object, chunk, pulled_at)
            existing = _campaigns_by_value(session, category_id, [v.key for v in chunk])
            for value in chunk:
                for side in sides:
                    _apply(session, workspace_id, category_id, existing, side, value, counts)
        counts.values += len(chunk)
    with store.write_session() as session:
        counts.deactivated += _deactivate_vanished(session, workspace_id, category_id, spec.intacct_object, pulled_at)
    return counts


def _campaigns_by_value(session: Session, category_id: int, keys: list[str]) -> dict[tuple[str, str], Campaign]:
    rows = session.scalars(
        select(Campaign).where(Campaign.category_id == category_id, Campaign.intacct_value_id.in_(keys))
    )
    return {(c.side or "", c.intacct_value_id or ""): c for c in rows}


def _apply(
    session: Session,
    workspace_id: int,
    category_id: int,
    existing: dict[tuple[str, str], Campaign],
    side: Side | None,
    value: PulledValue,
    counts: ReconcileCounts,
) -> None:
    name = campaign_name(side, value.key, value.name)
    side_value = side.value if side is not None else None
    campaign = existing.get((side_value or "", value.key))
    if campaign is None:
        campaign = Campaign(
            workspace_id=workspace_id,
            category_id=category_id,
            name=name,
            side=side_value,
            intacct_value_id=value.key,
            active=value.active,
        )
        session.add(campaign)
        existing[(side_value or "", value.key)] = campaign
        counts.created += 1
        return
    if campaign.active != value.active:
        if value.active:
            counts.reactivated += 1
        else:
            counts.deactivated += 1
        campaign.active = value.active
    if campaign.name != name:
        campaign.name = name  # the value was renamed in Intacct


def _deactivate_vanished(
    session: Session, workspace_id: int, category_id: int, object_name: str, pulled_at: datetime
) -> int:
    """Campaigns whose value this pull did not see: the value vanished from Intacct."""
    seen = select(IntacctValue.value_id).where(
        IntacctValue.workspace_id == workspace_id,
        IntacctValue.object_name == object_name,
        IntacctValue.last_seen_at >= pulled_at,
    )
    result = session.execute(
        update(Campaign)
        .where(
            Campaign.category_id == category_id,
            Campaign.active.is_(True),
            Campaign.intacct_value_id.is_not(None),
            Campaign.intacct_value_id.not_in(seen),
        )
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def write_values(
    session: Session, workspace_id: int, object_name: str, chunk: list[PulledValue], pulled_at: datetime
) -> None:
    keys = [v.key for v in chunk]
    stored = {
        row.value_id: row
        for row in session.scalars(
            select(IntacctValue).where(
                IntacctValue.workspace_id == workspace_id,
                IntacctValue.object_name == object_name,
                IntacctValue.value_id.in_(keys),
            )
        )
    }
    for value in chunk:
        status = "active" if value.active else "inactive"
        row = stored.get(value.key)
        if row is None:
            session.add(
                IntacctValue(
                    workspace_id=workspace_id,
                    object_name=object_name,
                    value_id=value.key,
                    name=value.name,
                    status=status,
                    last_seen_at=pulled_at,
                    owner_entity=value.owner,
                )
            )
        else:
            row.name, row.status, row.last_seen_at, row.owner_entity = value.name, status, pulled_at, value.owner


def _chunks(values: Iterable[PulledValue], size: int) -> Iterator[list[PulledValue]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def add_created_value(session: Session, workspace_id: int, spec: DimensionSpec, value: PulledValue,
                      now: datetime) -> None:
    """A value this product just created in Intacct: its campaigns (CR and DR) now, as the next pull would."""
    category_id = ensure_category(session, workspace_id, spec).id
    write_values(session, workspace_id, spec.intacct_object, [value], now)
    existing = _campaigns_by_value(session, category_id, [value.key])
    for side in (Side.CR, Side.DR):
        _apply(session, workspace_id, category_id, existing, side, value, ReconcileCounts())

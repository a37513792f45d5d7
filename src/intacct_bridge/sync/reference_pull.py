"""Pull the company's reference data: entities, journals, AR terms and tax details (issue 10).

Settings offer what this pull saw instead of free text (journal, default entity), and the
entities become the `[Sage Intacct] Entities` campaign category (one campaign per entity, no
side) that an action names its entity with at the entity level. Each value keeps the entity that
owns it, so "values pulled per entity" can be shown. One query page per object (they are short).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update

from intacct_bridge.domain.vocabulary import ENTITY_SPEC, Dimension, DimensionSpec
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import IntacctValue
from intacct_bridge.store.repositories import reference
from intacct_bridge.sync.reconcile import reconcile_stream, write_values
from intacct_bridge.sync.streams import PulledValue, QueryClient, Stream

# The objects besides the entities, each read like a dimension (id, name, STATUS, owning entity); they are
# no GL-line dimension, so `dimension` and the category/line field names are unused for them.
REFERENCE_SPECS = (
    DimensionSpec(Dimension.ENTITY, "", reference.JOURNALS, "SYMBOL", "TITLE", "", "journal"),
    DimensionSpec(Dimension.ENTITY, "", reference.AR_TERMS, "NAME", "DESCRIPTION", "", "AR term"),
    DimensionSpec(Dimension.ENTITY, "", reference.TAX_DETAILS, "DETAILID", "DESCRIPTION", "", "tax detail"),
)


@dataclass
class ReferencePulled:
    """How many values of each object one pull saw (`entities` first), and how many campaigns it made."""

    counts: dict[str, int] = field(default_factory=dict)
    campaigns_created: int = 0

    def describe(self) -> str:
        return ", ".join(f"{reference.LABELS[name]}: {count}" for name, count in self.counts.items())


def pull_reference(store: Store, workspace_id: int, client: QueryClient, pulled_at: datetime) -> ReferencePulled:
    """Pull every reference object; values no longer in Intacct are marked inactive (never deleted)."""
    result = ReferencePulled()
    entities = Stream(ENTITY_SPEC, "Entities", owned=False)
    counted = reconcile_stream(store, workspace_id, ENTITY_SPEC, entities.values(client), pulled_at, sides=(None,))
    result.counts[reference.ENTITIES] = counted.values
    result.campaigns_created += counted.created
    for spec in REFERENCE_SPECS:
        values = list(Stream(spec, reference.LABELS[spec.intacct_object]).values(client))
        _save(store, workspace_id, spec.intacct_object, values, pulled_at)
        result.counts[spec.intacct_object] = len(values)
    return result


def _save(store: Store, workspace_id: int, object_name: str, values: list[PulledValue], pulled_at: datetime) -> None:
    with store.write_session() as session:
        write_values(session, workspace_id, object_name, values, pulled_at)
        session.execute(
            update(IntacctValue)
            .where(IntacctValue.workspace_id == workspace_id, IntacctValue.object_name == object_name,
                   IntacctValue.last_seen_at < pulled_at)
            .values(status="inactive")
        )

"""Dimension values created in Intacct (the Campaigns page's "Add"): a record kind of the one outbox.

Each value is one generic `create` of its object (LOCATION with LOCATIONID and NAME, a user-defined
dimension with id and name) under the poster's stable controlid; a lost answer is settled by looking
the value up by its id. Once posted, its CR and DR campaigns are added at once (the next pull would),
so pickers offer it. Written at the top level, like master data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.dimension_values import DimensionValueView, check_value
from intacct_bridge.domain.receivables import GateMode
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.models import DimensionValue
from intacct_bridge.sync.kinds import Checked, FindClient, Lookup, Outcome, Outgoing, RunScope, Settled
from intacct_bridge.sync.receivables.stored import StoredKind
from intacct_bridge.sync.reconcile import add_created_value
from intacct_bridge.sync.streams import PulledValue


def to_view(row: DimensionValue) -> DimensionValueView:
    return DimensionValueView(row.id, row.external_id, row.dimension, row.category_name, row.object_name,
                              row.id_field, row.name_field, row.value_id, row.name)


class DimensionValues(StoredKind):
    name: ClassVar[str] = "dimension_value"
    label: ClassVar[str] = "dimension values"
    model = DimensionValue
    rules = staticmethod(check_value)
    to_view = staticmethod(to_view)
    top_level: ClassVar[bool] = True
    gate_mode: ClassVar[GateMode] = GateMode.HOLD   # fixed: one value refused never holds back another

    def check(self, view: DimensionValueView) -> Checked:
        return Checked(view.id, view, tuple(check_value(view)))   # no lines, terms or entity rules apply

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        view: DimensionValueView = checked.view
        payload = {view.id_field: view.value_id, view.name_field: view.name}
        return Outgoing(view.id, fn.Create(view.object_name, payload, controlid=""), reference=view.external_id,
                        summary={"object": view.object_name, "id_field": view.id_field, "id": view.value_id,
                                 "name": view.name})

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        """`OBJECT:ID` references, looked up object by object by their id field."""
        by_object: dict[tuple[str, str], list[str]] = {}
        for lookup in lookups:
            object_name, _, value_id = lookup.reference.partition(":")
            id_field = (lookup.summary or {}).get("id_field") or "id"
            by_object.setdefault((object_name, id_field), []).append(value_id)
        found: dict[str, str] = {}
        for (object_name, id_field), ids in by_object.items():
            rows = find_records(client, object_name, id_field, ids)
            found.update({f"{object_name}:{key}": str(row.get("RECORDNO") or key) for key, row in rows.items()})
        return found

    def record(self, session: Session, settled: Sequence[Settled], now: datetime) -> None:
        super().record(session, settled, now)
        done = [s.record_id for s in settled if s.outcome in (Outcome.POSTED, Outcome.ALREADY_POSTED)]
        for row in session.scalars(select(DimensionValue).where(DimensionValue.id.in_(done))) if done else ():
            add_created_value(session, row.workspace_id, to_view(row).spec(),
                              PulledValue(key=row.value_id, name=row.name, active=True), now)


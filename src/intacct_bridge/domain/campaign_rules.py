"""Mapping rules: `amount > 1000 → DR department 200`, evaluated in order, after explicit tags.

A rule fills one (dimension, side) slot of an action that carries no campaign there, when its
conditions match (`domain.conditions`). Rules are tried in their order and the first matching one
fills a slot; explicit campaigns always win, and the defaults by action type (`MappingRule`) fill
only what the rules left empty. `domain.mapping.apply_defaults` applies both and reports each
filled slot for the run log.
"""

from __future__ import annotations

from dataclasses import dataclass

from intacct_bridge.domain.conditions import Condition, Join, describe_group
from intacct_bridge.domain.vocabulary import Dimension, Side


@dataclass(frozen=True)
class CampaignRule:
    """Conditions joined by AND/OR → the campaign of (dimension, side) with Intacct value `value_id`."""

    id: int | None
    conditions: tuple[Condition, ...]
    dimension: Dimension
    side: Side
    value_id: str
    join: Join = Join.ALL

    def when(self) -> str:
        """The conditions in words: `Amount > 1000.00 AND Action type equals ticket`."""
        return describe_group(self.conditions, self.join)

    def describe(self) -> str:
        return f"if {self.when()} then {self.side.value} {self.dimension.value} " \
               f"{self.value_id}"

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "join": self.join.value, "conditions": [c.as_dict() for c in self.conditions],
                "dimension": self.dimension.value, "side": self.side.value, "value_id": self.value_id}

"""Skip-export rules: conditions joined by AND/OR; a matching action is not exported while the rule stands.

Beside the exclusion campaign (a tag on one action, `EXCLUDE_CAMPAIGN`), a rule skips every action
it matches, e.g. `type equals refund-test OR amount < 0.50`. A skipped action is neither flagged for
review nor posted; each run logs it `skipped` with the rule that matched. Nothing is written about it,
so removing (or pausing) the rule is the whole reversal: the next run posts it like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from intacct_bridge.domain.conditions import Condition, Join, describe_group, facts_of, group_matches
from intacct_bridge.domain.model import ActionView


@dataclass(frozen=True)
class SkipRule:
    id: int | None
    name: str
    conditions: tuple[Condition, ...]
    join: Join = Join.ALL
    active: bool = True

    def describe(self) -> str:
        return f"{self.name}: {describe_group(self.conditions, self.join)}"

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "join": self.join.value, "active": self.active,
                "conditions": [c.as_dict() for c in self.conditions]}


def skip_reason(view: ActionView, rules: Sequence[SkipRule], zone: ZoneInfo) -> str | None:
    """Why the action is not exported (the first active rule it matches, in words), or None."""
    facts = facts_of(view, zone)
    for rule in rules:
        if rule.active and group_matches(rule.conditions, rule.join, facts):
            return f"skipped by rule {rule.describe()}"
    return None

"""Plain values the rules work on. The store converts its rows to these; nothing here does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from intacct_bridge.domain.vocabulary import Dimension, Side


@dataclass(frozen=True)
class CampaignTag:
    """A campaign an action carries, as the rules need it.

    `dimension` is None for the organization's own campaigns (e.g. "Spring Gala") and for
    system campaigns; `intacct_object` tells one custom field's campaigns from another's.
    """

    id: int | None
    name: str
    category: str
    dimension: Dimension | None = None
    side: Side | None = None
    value_id: str | None = None
    active: bool = True
    intacct_object: str | None = None
    system: bool = False


@dataclass(frozen=True)
class ActionView:
    """An action with what validation and journal building read.

    `amount` and `happened_at` are typed loosely on purpose: they come from files and
    APIs, and telling the user what is wrong with them is the validator's job.
    """

    id: int
    external_id: str
    type: str
    amount: Decimal | str | int | float | None
    happened_at: datetime | date | str | None
    created_at: datetime | None = None
    summary: str | None = None
    url: str | None = None
    constituent_name: str | None = None
    campaigns: tuple[CampaignTag, ...] = field(default_factory=tuple)
    version: int = 1                      # bumped when a posted action changed: each version posts once


@dataclass(frozen=True)
class Reason:
    """Why an action cannot be posted: the field at fault and the fix, in plain words."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass(frozen=True)
class AppliedDefault:
    """A mapping default that filled a gap in an action, for the run log."""

    action_type: str
    dimension: Dimension
    side: Side
    value_id: str
    campaign_name: str
    rule: str | None = None   # a mapping rule's conditions, when a rule (not the type's default) filled the slot

    def describe(self) -> str:
        if self.rule:
            return f"rule {self.rule}: {self.campaign_name} ({self.dimension.value} {self.side.value})"
        return f"default for {self.action_type!r}: {self.campaign_name} ({self.dimension.value} {self.side.value})"

    def as_dict(self) -> dict[str, str]:
        return {
            "action_type": self.action_type,
            "dimension": self.dimension.value,
            "side": self.side.value,
            "value_id": self.value_id,
            "campaign": self.campaign_name,
            **({"rule": self.rule} if self.rule else {}),
        }

"""A workspace's sync settings as the rules read them (the store keeps them in `workspace_settings`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intacct_bridge.domain.campaign_rules import CampaignRule
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.next_steps import SET_DEFAULT_ENTITY
from intacct_bridge.domain.skip_rules import SkipRule
from intacct_bridge.domain.vocabulary import (
    PostedChanges,
    ReconcileSchedule,
    ClosedPeriodPolicy,
    ReversalDate,
    SummaryPeriod,
    MODAL_DIMENSIONS,
    STANDARD_DIMENSIONS,
    Dimension,
    DimensionMode,
    PostingLevel,
    PostingMode,
    Side,
    custom_category_name,
)
from intacct_bridge.domain.xml_text import TextPolicy


#: The longest "every N hours" schedule: a week.
MAX_EVERY_HOURS = 168


@dataclass(frozen=True)
class CustomField:
    """A custom field or user-defined dimension: its object (FUND), GL line field (GLDIMFUND), label (Fund).

    The workspace's first one is `SyncSettings.custom_field` (mode: `modes[Dimension.CUSTOM]`); the others
    (seed 001 allows up to 20) are `SyncSettings.user_dimensions`, each with its own `mode`.
    """

    object_name: str
    gl_field: str
    label: str
    mode: DimensionMode = DimensionMode.EXCLUDE

    @property
    def category_name(self) -> str:
        return custom_category_name(self.label)

    @property
    def value(self) -> str:
        """How reasons name it (`udd:program.CR`), as `Dimension.value` names the others."""
        return f"{USER_DIMENSION_PREFIX}{self.object_name.lower()}"


USER_DIMENSION_PREFIX = "udd:"
MAX_USER_DIMENSIONS = 20
# A dimension the rules group campaigns by: a standard one, or a user-defined dimension beyond the custom field.
DimensionKey = Dimension | CustomField


@dataclass(frozen=True)
class MappingRule:
    """Default campaign by action type: `ticket` → CR account 4100, applied when the action has none there."""

    action_type: str
    dimension: Dimension
    side: Side
    value_id: str


@dataclass(frozen=True)
class SyncSettings:
    modes: dict[Dimension, DimensionMode] = field(
        default_factory=lambda: {d: DimensionMode.EXCLUDE for d in MODAL_DIMENSIONS}
    )
    custom_field: CustomField | None = None
    posting_mode: PostingMode = PostingMode.INDIVIDUAL
    journal: str = "GJ"
    start_date: date | None = None
    schedule_time: time | None = None
    schedule_every_hours: int | None = None  # instead of the nightly time: every N hours
    timezone: str = "UTC"
    mapping_rules: tuple[MappingRule, ...] = ()
    text_policy: TextPolicy = TextPolicy.REFUSE  # the `control_characters` setting
    posted_changes: PostedChanges = PostedChanges.REFUSE
    reversal_date: ReversalDate = ReversalDate.ORIGINAL
    closed_period_policy: ClosedPeriodPolicy = ClosedPeriodPolicy.REJECT  # a date in a closed period
    user_dimensions: tuple[CustomField, ...] = ()    # user-defined dimensions beyond the custom field
    posting_level: PostingLevel = PostingLevel.TOP   # multi-entity: top level (default) or each record's entity
    default_entity: str | None = None                # the entity of a record that names none (entity level)
    reconcile_schedule: ReconcileSchedule = ReconcileSchedule.OFF   # when it reconciles by itself
    reconcile_time: time | None = None               # the daily reconciliation's time (local)
    summary_types: frozenset[str] = frozenset()      # action types (lower case) posted as summaries
    summary_period: SummaryPeriod = SummaryPeriod.DAY

    def summarized(self, action_type: str | None) -> bool:
        """Whether actions of this type post as a summary entry (else one entry each)."""
        return (action_type or "").strip().lower() in self.summary_types
    campaign_rules: tuple[CampaignRule, ...] = ()    # conditions → campaign, in order, before the type defaults
    skip_rules: tuple[SkipRule, ...] = ()            # conditions → not exported (while the rule stands)
    description_template: str | None = None          # `{type} {external_id}`: the entry's text (None: summary...)

    def entity_for(self, named: str | None) -> str | None:
        """The entity session a record is written in: None at the top level; else its own or the default."""
        if self.posting_level is PostingLevel.TOP:
            return None
        return (named or "").strip() or self.default_entity

    def mode(self, dimension: DimensionKey) -> DimensionMode:
        """Accounts are always required; the other dimensions follow the chosen mode."""
        if isinstance(dimension, CustomField):
            return dimension.mode
        return self._effective_modes[dimension]

    def user_dimension(self, object_name: str | None) -> CustomField | None:
        """The user-defined dimension (beyond the custom field) whose object this is, if any."""
        return self._user_dimensions_by_object.get(object_name or "")

    @cached_property
    def _user_dimensions_by_object(self) -> dict[str, CustomField]:
        return {u.object_name: u for u in self.user_dimensions}

    @cached_property
    def _effective_modes(self) -> dict[Dimension, DimensionMode]:
        """Every dimension's mode, worked out once: the rules ask for it several times per action.

        (Settings are frozen, so the table cannot go stale; `dataclasses.replace` makes a new one.)
        """
        effective = {d: self.modes.get(d, DimensionMode.EXCLUDE) for d in Dimension}
        effective[Dimension.ACCOUNT] = DimensionMode.REQUIRE
        if self.custom_field is None:
            effective[Dimension.CUSTOM] = DimensionMode.EXCLUDE
        return effective

    @cached_property
    def _active_dimensions(self) -> tuple[DimensionKey, ...]:
        ordered: list[DimensionKey] = [Dimension.ACCOUNT, *MODAL_DIMENSIONS, *self.user_dimensions]
        return tuple(d for d in ordered if self.mode(d) is not DimensionMode.EXCLUDE)

    def active_dimensions(self) -> list[DimensionKey]:
        """Dimensions that are pulled, checked and sent: accounts plus every non-Exclude one."""
        return list(self._active_dimensions)

    def category_name(self, dimension: DimensionKey) -> str:
        if isinstance(dimension, CustomField):
            return dimension.category_name
        if dimension is Dimension.CUSTOM:
            return self.custom_field.category_name if self.custom_field else "[Sage Intacct] <custom field>"
        return STANDARD_DIMENSIONS[dimension].category_name

    def gl_field(self, dimension: DimensionKey) -> str | None:
        """The GLENTRY element a dimension's value goes in (ACCOUNTNO, LOCATION, ..., GLDIMFUND)."""
        if isinstance(dimension, CustomField):
            return dimension.gl_field
        if dimension is Dimension.CUSTOM:
            return self.custom_field.gl_field if self.custom_field else None
        return STANDARD_DIMENSIONS[dimension].gl_field

    def intacct_object(self, dimension: DimensionKey) -> str | None:
        """The Intacct object a dimension's values are pulled from (LOCATION, ..., FUND)."""
        if isinstance(dimension, CustomField):
            return dimension.object_name
        if dimension is Dimension.CUSTOM:
            return self.custom_field.object_name if self.custom_field else None
        spec = STANDARD_DIMENSIONS.get(dimension)
        return spec.intacct_object if spec else None

    def zone(self) -> ZoneInfo:
        """The workspace's time zone (raises for an unknown name; `problems()` reports it first)."""
        return self._zone

    @cached_property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # once: the rules read it per action

    def problems(self) -> list[Reason]:
        """Settings that make every run impossible, reported before any action is looked at."""
        found: list[Reason] = []
        if not self.journal.strip():
            found.append(Reason("journal", "no journal: set the journal symbol, e.g. GJ"))
        if self.modes.get(Dimension.CUSTOM, DimensionMode.EXCLUDE) is not DimensionMode.EXCLUDE and (
            self.custom_field is None
        ):
            found.append(
                Reason(
                    "custom_field",
                    "custom field mode is not Exclude but no custom field is set: set one or Exclude it",
                )
            )
        if self.posting_level is PostingLevel.ENTITY and not self.default_entity:
            found.append(Reason("default_entity", "posting level is entity but no default entity is set: "
                                                  f"{SET_DEFAULT_ENTITY}"))
        try:
            self.zone()
        except (ZoneInfoNotFoundError, ValueError):
            found.append(
                Reason("timezone", f"unknown time zone {self.timezone!r}: use an IANA name like America/New_York")
            )
        return found

"""The validation gate (SPEC §2): every reason an action cannot become a journal entry.

An action is invalid when it lacks a CR or DR account, carries more than one campaign of a
side in a dimension, breaks a Require/Available rule, uses an inactive campaign, or has a
zero/missing/ill-formed amount or date. Each reason names the field and the fix.
"""

from __future__ import annotations

from collections import defaultdict

from intacct_bridge.domain.model import ActionView, CampaignTag, Reason
from intacct_bridge.domain.sync_settings import CustomField, DimensionKey, SyncSettings
from intacct_bridge.domain.values import parse_amount, posting_date_of
from intacct_bridge.domain.vocabulary import STANDARD_DIMENSIONS, Dimension, DimensionMode, Side

TagsBySide = dict[Side, list[CampaignTag]]


def dimension_label(dimension: DimensionKey, settings: SyncSettings) -> str:
    if isinstance(dimension, CustomField):
        return dimension.label
    if dimension is Dimension.CUSTOM:
        return settings.custom_field.label if settings.custom_field else "custom field"
    return STANDARD_DIMENSIONS[dimension].label


def counts_for(tag: CampaignTag, settings: SyncSettings) -> bool:
    """Whether a campaign takes part in the journal entry under these settings."""
    if tag.dimension is None or tag.side is None or tag.system:
        return False
    if tag.dimension is Dimension.CUSTOM and (udd := settings.user_dimension(tag.intacct_object)) is not None:
        return udd.mode is not DimensionMode.EXCLUDE  # a user-defined dimension beyond the custom field
    if settings.mode(tag.dimension) is DimensionMode.EXCLUDE:
        return False
    if tag.dimension is Dimension.CUSTOM and settings.custom_field is not None:
        # Campaigns of a previously configured custom field no longer count.
        return tag.intacct_object in (None, settings.custom_field.object_name)
    return True


def _no_tags() -> TagsBySide:
    return {Side.CR: [], Side.DR: []}


def key_of(tag: CampaignTag, settings: SyncSettings) -> DimensionKey:
    """The dimension a campaign counts in: a user-defined dimension's own, or its category's."""
    if tag.dimension is Dimension.CUSTOM and (udd := settings.user_dimension(tag.intacct_object)) is not None:
        return udd
    return tag.dimension  # type: ignore[return-value]


def tags_by_dimension(action: ActionView, settings: SyncSettings) -> dict[DimensionKey, TagsBySide]:
    """The action's Intacct campaigns that count, grouped by dimension and side."""
    grouped: dict[DimensionKey, TagsBySide] = defaultdict(_no_tags)
    for tag in action.campaigns:
        if counts_for(tag, settings):
            grouped[key_of(tag, settings)][tag.side].append(tag)  # type: ignore[index]
    return grouped


def _side_reasons(
    dimension: DimensionKey, side: Side, tags: list[CampaignTag], needed: bool, settings: SyncSettings
) -> list[Reason]:
    if (tags or not needed) and len(tags) < 2:
        return []  # the common case, decided before any text is made
    label = dimension_label(dimension, settings)
    category = settings.category_name(dimension)
    field = f"{dimension.value}.{side.value}"
    if not tags:
        return [Reason(field, f"no {side.value} {label}: add one campaign from {category} with side {side.value}")]
    names = ", ".join(sorted(t.name for t in tags))
    return [
        Reason(
            field,
            f"{len(tags)} {side.value} {label} campaigns ({names}): keep exactly one from {category} "
            f"with side {side.value}",
        )
    ]


def dimension_reasons(
    dimension: DimensionKey, tags: TagsBySide, settings: SyncSettings
) -> list[Reason]:
    """Require: one CR and one DR. Available: none at all, or one CR and one DR. Inactive: never."""
    mode = settings.mode(dimension)
    if mode is DimensionMode.EXCLUDE:
        return []
    used_any = bool(tags[Side.CR] or tags[Side.DR])
    needed = mode is DimensionMode.REQUIRE or used_any
    reasons: list[Reason] = []
    for side in (Side.CR, Side.DR):
        reasons += _side_reasons(dimension, side, tags[side], needed, settings)
    for side in (Side.CR, Side.DR):
        for tag in tags[side]:
            if not tag.active:
                reasons.append(
                    Reason(
                        f"{dimension.value}.{side.value}",
                        f"campaign {tag.name!r} is inactive in Sage Intacct: replace it with an active one "
                        f"from {settings.category_name(dimension)}",
                    )
                )
    return reasons


def validate_action(
    action: ActionView, settings: SyncSettings, grouped: dict[DimensionKey, TagsBySide] | None = None
) -> list[Reason]:
    """All reasons this action cannot be posted; an empty list means it can.

    `grouped`: the action's `tags_by_dimension`, when the caller has it already (building does).
    """
    reasons: list[Reason] = []
    _, amount_reason = parse_amount(action.amount)
    if amount_reason:
        reasons.append(amount_reason)
    _, date_reason = posting_date_of(action.happened_at, settings.zone())
    if date_reason:
        reasons.append(date_reason)
    if grouped is None:
        grouped = tags_by_dimension(action, settings)
    for dimension in settings.active_dimensions():
        reasons += dimension_reasons(dimension, grouped[dimension], settings)
    return reasons

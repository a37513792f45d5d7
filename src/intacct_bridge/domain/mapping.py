"""Mapping defaults: a convenience on top of explicit tagging.

A workspace can say "every `ticket` credits account 4100". A rule fills a (dimension, side)
slot only when the action carries no campaign there; explicit campaigns always win. The
result lists which defaults were used, for the run log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from intacct_bridge.domain.model import ActionView, AppliedDefault, CampaignTag, Reason
from intacct_bridge.domain.sync_settings import MappingRule, SyncSettings
from intacct_bridge.domain.validation import dimension_label, tags_by_dimension
from intacct_bridge.domain.vocabulary import Dimension, DimensionMode, Side

CampaignKey = tuple[Dimension, Side, str]


@dataclass(frozen=True)
class Mapped:
    action: ActionView
    applied: tuple[AppliedDefault, ...] = ()
    problems: tuple[Reason, ...] = ()


def campaign_key(tag: CampaignTag) -> CampaignKey | None:
    """How a rule finds its campaign: (dimension, side, Intacct value id)."""
    if tag.dimension is None or tag.side is None or tag.value_id is None:
        return None
    return (tag.dimension, tag.side, tag.value_id)


def catalogue_of(tags: list[CampaignTag], settings: SyncSettings) -> dict[CampaignKey, CampaignTag]:
    """Index the workspace's Intacct campaigns for rule lookup (current custom field only)."""
    index: dict[CampaignKey, CampaignTag] = {}
    wanted_custom = settings.custom_field.object_name if settings.custom_field else None
    for tag in tags:
        key = campaign_key(tag)
        if key is None or (tag.dimension is Dimension.CUSTOM and tag.intacct_object not in (None, wanted_custom)):
            continue
        index[key] = tag
    return index


def rules_for(action_type: str, rules: tuple[MappingRule, ...]) -> list[MappingRule]:
    wanted = action_type.strip().casefold()
    return [rule for rule in rules if rule.action_type.strip().casefold() == wanted]


def apply_defaults(
    action: ActionView, settings: SyncSettings, catalogue: Mapping[CampaignKey, CampaignTag]
) -> Mapped:
    """The action with defaults filled into its empty (dimension, side) slots."""
    rules = rules_for(action.type, settings.mapping_rules) if settings.mapping_rules else []
    if not rules:
        return Mapped(action)  # most actions: nothing to fill, and no need to group its tags to know it
    present = tags_by_dimension(action, settings)
    added: list[CampaignTag] = []
    applied: list[AppliedDefault] = []
    problems: list[Reason] = []
    for rule in rules:
        if settings.mode(rule.dimension) is DimensionMode.EXCLUDE or present[rule.dimension][rule.side]:
            continue
        tag = catalogue.get((rule.dimension, rule.side, rule.value_id))
        if tag is None:
            label = dimension_label(rule.dimension, settings)
            problems.append(
                Reason(
                    f"{rule.dimension.value}.{rule.side.value}",
                    f"the default for {action.type!r} names {rule.side.value} {label} {rule.value_id}, which is not "
                    f"in {settings.category_name(rule.dimension)}: pull from Intacct again or change the default",
                )
            )
            continue
        added.append(tag)
        applied.append(AppliedDefault(action.type, rule.dimension, rule.side, rule.value_id, tag.name))
    if not added:
        return Mapped(action, (), tuple(problems))
    return Mapped(replace(action, campaigns=(*action.campaigns, *added)), tuple(applied), tuple(problems))

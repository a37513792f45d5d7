"""Mapping defaults and rules: a convenience on top of explicit tagging.

A workspace can say "every `ticket` credits account 4100" (a default by action type) and
"amount > 1000 debits department 200" (a mapping rule, `domain.campaign_rules`). Either fills a
(dimension, side) slot only when the action carries no campaign there; explicit campaigns always
win, then the rules in their order (the first matching one per slot), then the type's defaults.
The result lists which defaults and rules were used, for the run log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from intacct_bridge.domain.campaign_rules import CampaignRule
from intacct_bridge.domain.conditions import describe_group, facts_of, group_matches
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


def _missing(settings: SyncSettings, dimension: Dimension, side: Side, value_id: str, what: str,
             fix: str) -> Reason:
    label = dimension_label(dimension, settings)
    return Reason(f"{dimension.value}.{side.value}",
                  f"{what} names {side.value} {label} {value_id}, which is not in {settings.category_name(dimension)}: "
                  f"pull from Intacct again or change the {fix}")


def _matching_rules(action: ActionView, settings: SyncSettings) -> list[CampaignRule]:
    if not settings.campaign_rules:
        return []
    facts = facts_of(action, settings.zone())
    return [r for r in settings.campaign_rules if group_matches(r.conditions, r.join, facts)]


def apply_defaults(
    action: ActionView, settings: SyncSettings, catalogue: Mapping[CampaignKey, CampaignTag]
) -> Mapped:
    """The action with rules and defaults filled into its empty (dimension, side) slots."""
    rules = rules_for(action.type, settings.mapping_rules) if settings.mapping_rules else []
    matching = _matching_rules(action, settings)
    if not rules and not matching:
        return Mapped(action)  # most actions: nothing to fill, and no need to group its tags to know it
    present = tags_by_dimension(action, settings)
    filled: set[tuple[Dimension, Side]] = set()
    added: list[CampaignTag] = []
    applied: list[AppliedDefault] = []
    problems: list[Reason] = []
    candidates = [(r.dimension, r.side, r.value_id, describe_group(r.conditions, r.join)) for r in matching]
    candidates += [(r.dimension, r.side, r.value_id, None) for r in rules]
    for dimension, side, value_id, rule_words in candidates:
        if (settings.mode(dimension) is DimensionMode.EXCLUDE or present[dimension][side]
                or (dimension, side) in filled):
            continue
        filled.add((dimension, side))  # the first rule (or else the default) for a slot decides it
        tag = catalogue.get((dimension, side, value_id))
        if tag is None:
            what = f"the rule {rule_words!r}" if rule_words else f"the default for {action.type!r}"
            problems.append(_missing(settings, dimension, side, value_id, what, "rule" if rule_words else "default"))
            continue
        added.append(tag)
        applied.append(AppliedDefault(action.type, dimension, side, value_id, tag.name, rule_words))
    if not added:
        return Mapped(action, (), tuple(problems))
    return Mapped(replace(action, campaigns=(*action.campaigns, *added)), tuple(applied), tuple(problems))
